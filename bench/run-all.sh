#!/usr/bin/env bash
# Runs every benchmark of docs/benchmarks.md and prints a summary:
#   build (Release) -> scale data (leadproc-gen) -> query benchmark at scale ->
#   for an empty and the scale database: HTTP limit, ingest, storage limit ->
#   overload at 4x the sustainable rate -> group-commit prototype -> HTTP list endpoints.
#
#   bench/run-all.sh                 # 1M rows (generated once into $DATA), 20 s per run
#   SCALE=0.1 DURATION=5 bench/run-all.sh
#
# Environment: BUILD (build dir, default build-bench), DATA (default $BUILD/bench-data), SCALE
# (1 = the spec's upper sizes), DURATION (seconds per load run), CONNS (keep-alive connections),
# REGEN=1 (regenerate the data), SKIP="query overload group lists" (phases to skip),
# JOBS (ninja -j, default 2). Every run prints the 1-minute load average first: the numbers
# are only comparable on a quiet machine.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build-bench}
DATA=${DATA:-$BUILD/bench-data}
SCALE=${SCALE:-1}
DURATION=${DURATION:-20}
CONNS=${CONNS:-16}
JOBS=${JOBS:-2}
SKIP=${SKIP:-}
PASSWORD=bench-password-not-secret
BIN=$BUILD/bench
LEADPROC=$BUILD/leadproc
WORK=$DATA/work
mkdir -p "$DATA" "$WORK"
SUMMARY=$WORK/summary.txt
: >"$SUMMARY"

say() { echo "== $* (load average $(cut -d' ' -f1 /proc/loadavg))" >&2; }
note() { echo "$* [load $(cut -d' ' -f1 /proc/loadavg)]" | tee -a "$SUMMARY" >&2; }
skip() { [[ " $SKIP " == *" $1 "* ]]; }
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" | tail -1; }  # a key=value of a RESULT line

say "building (Release) in $BUILD"
if ! { cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release &&
  ninja -C "$BUILD" -j"$JOBS" leadproc leadproc-gen leadproc-load leadproc-store-limit \
    leadproc-query-bench leadproc-bench-server; } >"$WORK/build.log" 2>&1; then
  tail -40 "$WORK/build.log" >&2
  echo "run-all.sh: the build failed (full log: $WORK/build.log)" >&2
  exit 1
fi

SCALE_DB=$DATA/scale-$SCALE.db
if [[ ! -f $SCALE_DB || ${REGEN:-0} == 1 ]]; then
  say "generating $SCALE_DB (scale $SCALE)"
  "$BIN/leadproc-gen" --db "$SCALE_DB" --scale "$SCALE" --force | tee -a "$SUMMARY"
fi

# The fixture follows the schema: a binary with newer migrations applies them once, here (not
# in every copy, and not inside a timed run).
say "migrating $SCALE_DB to this build's schema"
"$LEADPROC" --database-url "sqlite:$SCALE_DB" migrate >/dev/null

if ! skip query; then
  say "query benchmark on $SCALE_DB"
  "$BIN/leadproc-query-bench" --db "$SCALE_DB" --iterations 2000 | grep -v '^RESULT' | tee -a "$SUMMARY"
fi

# ---- a server on a database, with an admin, a bearer token and an API key ----
SERVER_PID=
start_server() {  # start_server DB [leadproc|bench-server ARGS...]
  local db=$1 kind=${2:-leadproc}
  shift 2 || shift $#
  rm -f "$WORK/port"
  if [[ $kind == leadproc ]]; then
    "$LEADPROC" serve --database-url "sqlite:$db" --listen 127.0.0.1:0 --port-file "$WORK/port" \
      >"$WORK/server.log" 2>&1 &
  else
    "$BIN/leadproc-bench-server" --db "$db" --listen 127.0.0.1:0 --port-file "$WORK/port" "$@" \
      >"$WORK/server.log" 2>&1 &
  fi
  SERVER_PID=$!
  for _ in $(seq 3000); do
    [[ -s $WORK/port ]] && break
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  if [[ ! -s $WORK/port ]]; then
    tail -20 "$WORK/server.log" >&2
    echo "run-all.sh: the server did not start" >&2
    exit 1
  fi
  PORT=$(cat "$WORK/port")
  URL=http://127.0.0.1:$PORT
  for _ in $(seq 100); do curl -fs "$URL/readyz" >/dev/null && break; sleep 0.1; done
}
stop_server() {
  [[ -n $SERVER_PID ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
}
trap stop_server EXIT

credentials() {  # sets TOKEN and KEY for the server at $URL (database $1)
  TOKEN= KEY= AUTH=()
  if [[ $(curl -s -o /dev/null -w '%{http_code}' "$URL/api/v1/destinations") != 401 ]]; then
    return  # no authentication in this build
  fi
  local email=bench.admin.$RANDOM$RANDOM@example.test
  echo "$PASSWORD" | LEADPROC_BCRYPT_COST=4 "$LEADPROC" --database-url "sqlite:$1" user create \
    --email "$email" --department ADMIN >/dev/null
  TOKEN=$(curl -s -X POST "$URL/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$email\",\"password\":\"$PASSWORD\"}" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
  KEY=$(curl -s -X POST "$URL/api/v1/api-keys" -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' -d '{"name":"bench","platform":"website"}' |
    sed -n 's/.*"key":"\([^"]*\)".*/\1/p')
  set_auth_args
}
AUTH=()  # leadproc-load arguments: the API key for leads, the token for the look-ups
set_auth_args() {
  AUTH=()
  if [[ -n ${KEY:-} ]]; then
    AUTH=(-H "X-Api-Key: $KEY" --config-header "Authorization: Bearer $TOKEN")
  fi
}

load() {  # load LABEL ARGS...: runs leadproc-load, keeps its output, prints its RESULT line
  local label=$1
  shift
  "$BIN/leadproc-load" --url "$URL" --label "$label" "$@" >"$WORK/$label.out" 2>&1 || true
  grep -v '^RESULT' "$WORK/$label.out" >&2
  grep '^RESULT' "$WORK/$label.out" | tail -1
}

# ---- ingest vs the two limits, on an empty and on the scale database ----
LEAD_BYTES=480
SUSTAINABLE=
for which in empty scale; do
  db=$WORK/$which.db
  rm -f "$db" "$db-wal" "$db-shm"
  if [[ $which == scale ]]; then
    say "copying $SCALE_DB (the runs write to the copy)"
    cp "$SCALE_DB" "$db"
  else
    # The same configuration as the scale data (200 destinations, 490 POCs), no leads.
    "$BIN/leadproc-gen" --db "$db" --scale 0 --force >/dev/null 2>&1 ||
      "$LEADPROC" --database-url "sqlite:$db" migrate >/dev/null
  fi
  start_server "$db"
  credentials "$db"
  say "[$which] HTTP limit: GET /healthz padded to $LEAD_BYTES bytes, $CONNS connections"
  R_HTTP=$(load "$which-http" --mode get --path /healthz --pad $LEAD_BYTES -c "$CONNS" \
    -d "$DURATION" --pid "$SERVER_PID")
  R_AUTH=
  if [[ -n ${TOKEN:-} ]]; then
    say "[$which] HTTP + authentication: GET /api/v1/auth/me (bearer), $CONNS connections"
    R_AUTH=$(load "$which-auth" --mode get --path /api/v1/auth/me --pad $LEAD_BYTES -c "$CONNS" \
      -d "$DURATION" -H "Authorization: Bearer $TOKEN")
  fi
  say "[$which] ingest: POST /api/v1/leads, $CONNS connections"
  R_ING=$(load "$which-ingest" --mode lead -c "$CONNS" -d "$DURATION" --pid "$SERVER_PID" \
    --config-from-server "${AUTH[@]}")
  stop_server
  say "[$which] storage limit: ingest_lead straight through the Store, synchronous=FULL"
  "$BIN/leadproc-store-limit" --db "$db" --threads 1,$CONNS --duration "$DURATION" \
    >"$WORK/$which-store.out" 2>&1
  grep -v '^RESULT' "$WORK/$which-store.out" >&2
  http=$(echo "$R_HTTP" | field ok_per_s)
  ing=$(echo "$R_ING" | field ok_per_s)
  store=$(grep '^RESULT' "$WORK/$which-store.out" | sed -n 's/.* leads_per_s=\([^ ]*\).*/\1/p' |
    sort -n | tail -1)
  [[ -n $R_AUTH ]] && note "[$which] GET /api/v1/auth/me (HTTP + bearer check): $(echo "$R_AUTH" | field ok_per_s) req/s"
  note "[$which] HTTP limit $http req/s; ingest $ing leads/s (p50 $(echo "$R_ING" | field p50_ms) ms," \
    "p99 $(echo "$R_ING" | field p99_ms) ms, p99.9 $(echo "$R_ING" | field p999_ms) ms," \
    "server peak RSS $(echo "$R_ING" | field peak_rss_mib) MiB); storage limit $store leads/s"
  note "[$which] ingest = $(awk "BEGIN{printf \"%.1f\", 100*$ing/$http}")% of the HTTP limit," \
    "$(awk "BEGIN{printf \"%.0f\", 100*$ing/$store}")% of the storage limit"
  [[ $which == empty ]] && SUSTAINABLE=$ing
done

# ---- overload: open loop at 4x the sustainable rate ----
if ! skip overload; then
  db=$WORK/empty.db
  RATE=$(awk "BEGIN{printf \"%d\", 4*$SUSTAINABLE}")
  start_server "$db"
  credentials "$db"
  say "overload: open loop at $RATE leads/s (4 x $SUSTAINABLE), 1500 connections"
  R_OVER=$(load overload --mode lead -c 1500 -d "$DURATION" --rate "$RATE" --timeout-ms 30000 \
    --pid "$SERVER_PID" --config-from-server "${AUTH[@]}")
  alive=$(kill -0 "$SERVER_PID" 2>/dev/null && echo yes || echo NO)
  after=$(curl -s -o /dev/null -w '%{time_total}' "$URL/healthz" || echo failed)
  note "overload at ${RATE}/s: ok $(echo "$R_OVER" | field ok_per_s)/s, 503 $(echo "$R_OVER" | field s503)," \
    "errors $(echo "$R_OVER" | field errors), timeouts $(echo "$R_OVER" | field timeouts)," \
    "p99 $(echo "$R_OVER" | field p99_ms) ms, peak RSS $(echo "$R_OVER" | field peak_rss_mib) MiB;" \
    "server alive: $alive; /healthz right after: ${after}s"
  stop_server
  start_server "$db" bench-server --max-queue 128
  credentials "$db"
  say "overload with a shorter queue (bench server --max-queue 128) at $RATE leads/s"
  R_OVER=$(load overload-q128 --mode lead -c 1500 -d "$DURATION" --rate "$RATE" \
    --timeout-ms 30000 --pid "$SERVER_PID" --config-from-server "${AUTH[@]}")
  after=$(curl -s -o /dev/null -w '%{time_total}' "$URL/healthz" || echo failed)
  note "overload, max-queue 128: ok $(echo "$R_OVER" | field ok_per_s)/s, 503 $(echo "$R_OVER" | field s503)," \
    "p99 $(echo "$R_OVER" | field p99_ms) ms, peak RSS $(echo "$R_OVER" | field peak_rss_mib) MiB;" \
    "/healthz right after: ${after}s"
  stop_server
fi

# ---- tuning: group commit prototype (leadproc-bench-server) ----
if ! skip group; then
  db=$WORK/empty.db
  for knobs in "--group-commit 0 --workers 4" "--group-commit 64 --workers 4" \
    "--group-commit 64 --workers 16" "--group-commit 64 --workers 32"; do
    # shellcheck disable=SC2086
    start_server "$db" bench-server $knobs
    credentials "$db"
    say "bench server $knobs, 32 connections"
    R_G=$(load group --mode lead -c 32 -d "$DURATION" --pid "$SERVER_PID" \
      --config-from-server "${AUTH[@]}")
    stop_server
    wpt=$(sed -n 's/.*: \([0-9.]*\) writes per transaction.*/\1/p' "$WORK/server.log")
    note "bench server $knobs: ingest $(echo "$R_G" | field ok_per_s) leads/s, p50 $(echo "$R_G" | field p50_ms) ms," \
      "p99 $(echo "$R_G" | field p99_ms) ms (${wpt:-1} writes per transaction)"
  done
fi

# ---- HTTP list endpoints on the scale database ----
if ! skip lists; then
  db=$WORK/scale.db
  start_server "$db"
  credentials "$db"
  auth=()
  [[ -n ${TOKEN:-} ]] && auth=(-H "Authorization: Bearer $TOKEN")
  sales=$(curl -s "${auth[@]}" "$URL/api/v1/availabilities?process=Sales" |
    sed -n 's/.*"personId":"\([0-9a-f]\{24\}\)".*/\1/p' | head -1)
  week_from=$(date -u -d '-100 days' +%FT%TZ)
  week_to=$(date -u -d '-93 days' +%FT%TZ)
  for path in "/api/v1/opportunities?status=Open&limit=50" \
    "/api/v1/opportunities?assignee=$sales&status=Open&limit=20" \
    "/api/v1/opportunities?filterationProcess=PSV&status=InPSV&limit=50" \
    "/api/v1/opportunities?platform=instagram&limit=50" \
    "/api/v1/opportunities?unassigned=true&limit=50" \
    "/api/v1/opportunities?createdFrom=$week_from&createdTo=$week_to&limit=50" \
    "/api/v1/opportunities?filterationProcess=PSV&limit=50"; do
    R_L=$(load list --mode get --path "$path" -c 1 -d 5 --warmup 1 "${auth[@]}")
    note "GET $path: $(echo "$R_L" | field ok_per_s)/s, p50 $(echo "$R_L" | field p50_ms) ms, p99 $(echo "$R_L" | field p99_ms) ms"
  done
  stop_server
fi

echo
echo "==== summary ($(date -u +%FT%TZ), load average now $(cut -d' ' -f1-3 /proc/loadavg)) ===="
cat "$SUMMARY"
