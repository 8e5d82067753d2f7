#!/usr/bin/env bash
# Runs every benchmark of docs/benchmarks.md and prints a summary:
#   build (Release) -> scale data (leadproc-gen) -> query benchmark at scale ->
#   for an empty and the scale database: HTTP limit, ingest, storage limit ->
#   overload at 4x the sustainable rate -> group commit on and off, with 4..32 workers ->
#   PostgreSQL against SQLite (demo configuration) -> PostgreSQL at scale (queries, ingest) ->
#   HTTP list endpoints.
#
#   bench/run-all.sh                 # 1M rows (generated once into $DATA), 20 s per run
#   SCALE=0.1 DURATION=5 bench/run-all.sh
#
# Environment: BUILD (build dir, default build-bench), DATA (default $BUILD/bench-data), SCALE
# (1 = the spec's upper sizes), DURATION (seconds per load run), CONNS (keep-alive connections),
# REGEN=1 (regenerate the data), SKIP="query healthz overload group pg pgscale lists" (phases to
# skip; healthz: the extra padded GET /healthz line next to the HTTP limit), PG_SHARED_BUFFERS
# (the PostgreSQL-at-scale server's shared_buffers, default 1GB),
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
    leadproc-query-bench; } >"$WORK/build.log" 2>&1; then
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
  # A server's database is warm; the fixture was just written or copied, and this machine keeps
  # little of a 5 GB file in its page cache. One short pass first, so the numbers are the warm
  # ones (a cold first pass showed p99s 2-3x higher on the largest lists).
  say "query benchmark on $SCALE_DB (a warm-up pass, then the measured one)"
  "$BIN/leadproc-query-bench" --db "$SCALE_DB" --iterations 300 >/dev/null
  "$BIN/leadproc-query-bench" --db "$SCALE_DB" --iterations 2000 | grep -v '^RESULT' | tee -a "$SUMMARY"
fi

# ---- a server on a database, with an admin, a bearer token and an API key ----
# `leadproc serve` runs with the benchmark-only echo endpoint on (the HTTP limit); extra
# VAR=value arguments go to its environment (e.g. LEADPROC_QUEUE_DEADLINE_MS=0). A database is
# a SQLite file path or a postgresql:// URL.
source "$ROOT/bench/server.sh"
db_url() { [[ $1 == postgres* ]] && echo "$1" || echo "sqlite:$1"; }
start_server() {  # start_server DB [VAR=value...]
  local db=$1
  shift
  serve "$LEADPROC" "$(db_url "$db")" LEADPROC_BENCH_ENDPOINTS=1 "$@"
}
trap stop_server EXIT

credentials() {  # sets TOKEN and KEY for the server at $URL (database $1)
  TOKEN= KEY= AUTH=()
  if [[ $(curl -s -o /dev/null -w '%{http_code}' "$URL/api/v1/destinations") != 401 ]]; then
    return  # no authentication in this build
  fi
  local email=bench.admin.$RANDOM$RANDOM@example.test
  echo "$PASSWORD" | LEADPROC_BCRYPT_COST=4 "$LEADPROC" --database-url "$(db_url "$1")" user create \
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

resp_bytes() {  # resp_bytes LABEL: the average response size (headers + body) of a load run
  sed -n 's/.*per response \([0-9]*\).*/\1/p' "$WORK/$1.out" | tail -1
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
  # The HTTP limit: the lead bodies, API key and worker pool of the ingest run, and a same-size
  # 201, through the benchmark-only echo endpoint that writes nothing.
  say "[$which] HTTP limit: POST /api/v1/_bench/echo (lead bodies, API key), $CONNS connections"
  R_HTTP=$(load "$which-http" --mode echo -c "$CONNS" -d "$DURATION" --pid "$SERVER_PID" \
    --config-from-server "${AUTH[@]}")
  R_HEALTH=
  if ! skip healthz; then
    say "[$which] GET /healthz padded to $LEAD_BYTES bytes (I/O thread, no auth), $CONNS connections"
    R_HEALTH=$(load "$which-healthz" --mode get --path /healthz --pad $LEAD_BYTES -c "$CONNS" \
      -d "$DURATION")
  fi
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
  say "[$which] storage limit: ingest_lead straight through the Store, synced as in the server"
  "$BIN/leadproc-store-limit" --db "$db" --threads 1,$CONNS --duration "$DURATION" \
    >"$WORK/$which-store.out" 2>&1
  grep -v '^RESULT' "$WORK/$which-store.out" >&2
  http=$(echo "$R_HTTP" | field ok_per_s)
  ing=$(echo "$R_ING" | field ok_per_s)
  store=$(grep '^RESULT' "$WORK/$which-store.out" | sed -n 's/.* leads_per_s=\([^ ]*\).*/\1/p' |
    sort -n | tail -1)
  [[ -n $R_HEALTH ]] && note "[$which] GET /healthz padded (answered on the I/O thread): $(echo "$R_HEALTH" | field ok_per_s) req/s"
  [[ -n $R_AUTH ]] && note "[$which] GET /api/v1/auth/me (HTTP + bearer check): $(echo "$R_AUTH" | field ok_per_s) req/s"
  note "[$which] HTTP limit (POST /api/v1/_bench/echo): p50 $(echo "$R_HTTP" | field p50_ms) ms," \
    "p99 $(echo "$R_HTTP" | field p99_ms) ms; bytes per response: echo $(resp_bytes "$which-http")," \
    "ingest $(resp_bytes "$which-ingest")"
  note "[$which] HTTP limit $http req/s; ingest $ing leads/s (p50 $(echo "$R_ING" | field p50_ms) ms," \
    "p99 $(echo "$R_ING" | field p99_ms) ms, p99.9 $(echo "$R_ING" | field p999_ms) ms," \
    "server peak RSS $(echo "$R_ING" | field peak_rss_mib) MiB); storage limit $store leads/s"
  # The regression line of the SQLite floor (docs/benchmarks.md): >= 2,000 leads/s on the empty
  # database, >= 1,500 at 1M rows, every 201 durable.
  floor=$([[ $which == empty ]] && echo 2000 || echo 1500)
  note "[$which] FLOOR $(awk "BEGIN{print ($ing >= $floor) ? \"met\" : \"MISSED\"}"):" \
    "ingest $ing leads/s against the floor of $floor"
  note "[$which] ingest = $(awk "BEGIN{printf \"%.1f\", 100*$ing/$http}")% of the HTTP limit," \
    "$(awk "BEGIN{printf \"%.0f\", 100*$ing/$store}")% of the storage limit"
  # The CPU budget of the 40 % target: at 40 % of the HTTP limit, what the measured CPU per lead
  # of the server, and of the store alone (no HTTP), would need, against the machine's cores.
  store_us=$(grep '^RESULT' "$WORK/$which-store.out" | sed -n 's/.* cpu_us_per_lead=\([^ ]*\).*/\1/p' |
    tail -1)
  note "[$which] CPU: echo $(echo "$R_HTTP" | field server_us_per_request) us per request in the" \
    "server ($(echo "$R_HTTP" | field client_us_per_request) in the load generator); ingest" \
    "$(echo "$R_ING" | field server_us_per_request) us per lead in the server; the store alone" \
    "$store_us us per lead ($CONNS threads)"
  # A lower bound: a lead costs at least the store's CPU without HTTP plus the HTTP layer's CPU
  # without the store (the echo), plus the load generator's share.
  target=$(awk "BEGIN{printf \"%.0f\", 0.4*$http}")
  echo_us=$(echo "$R_HTTP" | field server_us_per_request)
  gen_us=$(echo "$R_HTTP" | field client_us_per_request)
  note "[$which] at 40 % of the HTTP limit ($target leads/s) the server as measured would need" \
    "$(awk "BEGIN{printf \"%.2f\", $target*$(echo "$R_ING" | field server_us_per_request)/1e6}") cores;" \
    "at least, the store alone + the HTTP layer alone + the load generator:" \
    "$(awk "BEGIN{printf \"%.2f + %.2f + %.2f = %.2f\", $target*$store_us/1e6, $target*$echo_us/1e6, $target*$gen_us/1e6, $target*($store_us+$echo_us+$gen_us)/1e6}")" \
    "cores, of $(nproc)"
  [[ $which == empty ]] && SUSTAINABLE=$ing
done

# ---- overload: open loop at 4x the sustainable rate ----
# `leadproc serve` as configured by default (queue of 1024, 1000 ms deadline), then without the
# deadline (bounded by count only, as before LEADPROC_QUEUE_DEADLINE_MS), then a short queue.
# /healthz and /readyz are timed in the middle of each load and right after it.
probe() {  # probe PATH: "<seconds>s (HTTP <status>)"; status 000: no answer within 30 s
  curl -s -o /dev/null -m 30 -w '%{time_total}s (HTTP %{http_code})' "$URL$1" || true
}
if ! skip overload; then
  db=$WORK/empty.db
  RATE=$(awk "BEGIN{printf \"%d\", 4*$SUSTAINABLE}")
  for run in "overload|default" "overload-nodeadline|LEADPROC_QUEUE_DEADLINE_MS=0" \
    "overload-q128|LEADPROC_QUEUE_DEADLINE_MS=0 LEADPROC_MAX_QUEUE=128"; do
    label=${run%%|*} config=${run#*|}
    # shellcheck disable=SC2086
    if [[ $config == default ]]; then start_server "$db"; else start_server "$db" $config; fi
    credentials "$db"
    say "overload ($config): open loop at $RATE leads/s (4 x $SUSTAINABLE), 1500 connections"
    mid=$(awk "BEGIN{print 1 + $DURATION/2}")  # 1 s of warm-up, then half the run
    (sleep "$mid"; echo "/healthz $(probe /healthz), /readyz $(probe /readyz)" >"$WORK/$label.probe") &
    PROBE_PID=$!
    R_OVER=$(load "$label" --mode lead -c 1500 -d "$DURATION" --rate "$RATE" --timeout-ms 30000 \
      --pid "$SERVER_PID" --config-from-server "${AUTH[@]}")
    wait "$PROBE_PID" 2>/dev/null || true
    alive=$(kill -0 "$SERVER_PID" 2>/dev/null && echo yes || echo NO)
    after=$(probe /healthz)
    note "overload ($config) at ${RATE}/s: ok $(echo "$R_OVER" | field ok_per_s)/s," \
      "503 $(echo "$R_OVER" | field s503), errors $(echo "$R_OVER" | field errors)," \
      "timeouts $(echo "$R_OVER" | field timeouts), p99 $(echo "$R_OVER" | field p99_ms) ms," \
      "peak RSS $(echo "$R_OVER" | field peak_rss_mib) MiB; server alive: $alive;" \
      "during the load: $(cat "$WORK/$label.probe" 2>/dev/null || echo 'no probe');" \
      "/healthz right after: $after"
    stop_server
  done
fi

writes_per_commit() {  # from the server's /metrics: SQLite writes per committed transaction
  curl -s "$URL/metrics" | awk '/^leadproc_sqlite_writes_total/ {w=$2}
    /^leadproc_sqlite_write_transactions_total/ {t=$2}
    END {if (t > 0) printf "%.1f", w/t; else print "?"}'
}

# ---- tuning: group commit off and on, with more workers (each a concurrent writer) ----
if ! skip group; then
  db=$WORK/empty.db
  for knobs in "LEADPROC_SQLITE_GROUP_COMMIT=1 LEADPROC_WORKERS=4" \
    "LEADPROC_SQLITE_GROUP_COMMIT=1 LEADPROC_WORKERS=16" \
    "LEADPROC_SQLITE_GROUP_COMMIT=64 LEADPROC_WORKERS=4" \
    "LEADPROC_SQLITE_GROUP_COMMIT=64 LEADPROC_WORKERS=16" \
    "LEADPROC_SQLITE_GROUP_COMMIT=64 LEADPROC_WORKERS=32"; do
    # shellcheck disable=SC2086
    start_server "$db" $knobs
    credentials "$db"
    say "ingest with $knobs, 32 connections"
    R_G=$(load group --mode lead -c 32 -d "$DURATION" --pid "$SERVER_PID" \
      --config-from-server "${AUTH[@]}")
    wpc=$(writes_per_commit)
    stop_server
    note "$knobs: ingest $(echo "$R_G" | field ok_per_s) leads/s, p50 $(echo "$R_G" | field p50_ms) ms," \
      "p99 $(echo "$R_G" | field p99_ms) ms ($wpc writes per commit)"
  done
fi

# ---- PostgreSQL against SQLite, on the demo configuration (leadproc demo-data) ----
# The two adapters on the same small configuration: an empty database, `leadproc demo-data`, the
# HTTP limit and ingest (PostgreSQL at scale is the next phase).
if ! skip pg; then
  PG_STATE=$WORK/pg-state
  PG_URL=$("$ROOT/scripts/pg-test-server.sh" start "$PG_STATE" | tail -1)
  for db in "$WORK/demo.db" "$PG_URL"; do
    [[ $db == postgres* ]] && name=PostgreSQL || { name=SQLite; rm -f "$db" "$db-wal" "$db-shm"; }
    "$LEADPROC" --database-url "$(db_url "$db")" demo-data >/dev/null
    start_server "$db"
    credentials "$db"
    say "[$name, demo data] HTTP limit (echo) and ingest, $CONNS connections"
    R_PH=$(load "pg-http" --mode echo -c "$CONNS" -d "$DURATION" --config-from-server "${AUTH[@]}")
    R_PI=$(load "pg-ingest" --mode lead -c "$CONNS" -d "$DURATION" --pid "$SERVER_PID" \
      --config-from-server "${AUTH[@]}")
    stop_server
    http=$(echo "$R_PH" | field ok_per_s)
    ing=$(echo "$R_PI" | field ok_per_s)
    note "[$name, demo data] HTTP limit $http req/s; ingest $ing leads/s (p50 $(echo "$R_PI" | field p50_ms) ms," \
      "p99 $(echo "$R_PI" | field p99_ms) ms, peak RSS $(echo "$R_PI" | field peak_rss_mib) MiB)" \
      "= $(awk "BEGIN{printf \"%.1f\", 100*$ing/$http}")% of the HTTP limit"
  done
  "$ROOT/scripts/pg-test-server.sh" stop "$PG_STATE" >/dev/null
fi

# ---- PostgreSQL at scale: the same fixture generated into PostgreSQL ----
# A server of its own under $DATA (kept between runs: `pause` at the end, `resume` next time),
# with PG_SHARED_BUFFERS of shared buffers. The fixture database scale_<SCALE> is generated once
# (REGEN=1 again); the ingest runs write to a copy (CREATE DATABASE ... TEMPLATE).
if ! skip pgscale; then
  PGS_STATE=$DATA/pg-scale-state
  export PG_TEST_TMPDIR=$DATA PG_SERVER_OPTS="-c shared_buffers=${PG_SHARED_BUFFERS:-1GB}"
  if [[ -f $PGS_STATE/datadir && -d $(cat "$PGS_STATE/datadir") ]]; then
    "$ROOT/scripts/pg-test-server.sh" resume "$PGS_STATE" >/dev/null 2>&1 || true
  else
    "$ROOT/scripts/pg-test-server.sh" start "$PGS_STATE" >/dev/null
  fi
  PGS_URL=$(cat "$PGS_STATE/url")
  PGS_BASE=${PGS_URL%/*}
  PGS_DB=scale_${SCALE//./_}
  psql_admin() { psql -qAt "$PGS_URL" -v ON_ERROR_STOP=1 -c "$1"; }
  if [[ ${REGEN:-0} == 1 ]]; then psql_admin "DROP DATABASE IF EXISTS $PGS_DB"; fi
  if [[ -z $(psql_admin "SELECT 1 FROM pg_database WHERE datname = '$PGS_DB'") ]]; then
    psql_admin "CREATE DATABASE $PGS_DB"
    say "generating $PGS_BASE/$PGS_DB (scale $SCALE)"
    if ! "$BIN/leadproc-gen" --database-url "$PGS_BASE/$PGS_DB" --scale "$SCALE" | tee -a "$SUMMARY"; then
      psql_admin "DROP DATABASE $PGS_DB"  # half a fixture must not be taken for a whole one
      exit 1
    fi
    psql "$PGS_BASE/$PGS_DB" -qc "VACUUM ANALYZE"
  fi
  "$LEADPROC" --database-url "$PGS_BASE/$PGS_DB" migrate >/dev/null
  if ! skip query; then
    say "[PostgreSQL] query benchmark on $PGS_DB (a warm-up pass, then the measured one)"
    "$BIN/leadproc-query-bench" --database-url "$PGS_BASE/$PGS_DB" --iterations 300 >/dev/null
    "$BIN/leadproc-query-bench" --database-url "$PGS_BASE/$PGS_DB" --iterations 2000 |
      grep -v '^RESULT' | tee -a "$SUMMARY"
  fi
  psql_admin "DROP DATABASE IF EXISTS ingest_work"
  say "[PostgreSQL] copying $PGS_DB (the runs write to the copy)"
  psql_admin "CREATE DATABASE ingest_work TEMPLATE $PGS_DB"
  start_server "$PGS_BASE/ingest_work"
  credentials "$PGS_BASE/ingest_work"
  say "[PostgreSQL, scale] HTTP limit (echo) and ingest, $CONNS connections"
  R_PH=$(load "pgscale-http" --mode echo -c "$CONNS" -d "$DURATION" --pid "$SERVER_PID" \
    --config-from-server "${AUTH[@]}")
  R_PI=$(load "pgscale-ingest" --mode lead -c "$CONNS" -d "$DURATION" --pid "$SERVER_PID" \
    --config-from-server "${AUTH[@]}")
  stop_server
  psql_admin "DROP DATABASE ingest_work"
  "$ROOT/scripts/pg-test-server.sh" pause "$PGS_STATE" >/dev/null
  http=$(echo "$R_PH" | field ok_per_s)
  ing=$(echo "$R_PI" | field ok_per_s)
  note "[PostgreSQL, scale $SCALE] HTTP limit $http req/s; ingest $ing leads/s" \
    "(p50 $(echo "$R_PI" | field p50_ms) ms, p99 $(echo "$R_PI" | field p99_ms) ms," \
    "p99.9 $(echo "$R_PI" | field p999_ms) ms, server peak RSS $(echo "$R_PI" | field peak_rss_mib) MiB)" \
    "= $(awk "BEGIN{printf \"%.1f\", 100*$ing/$http}")% of the HTTP limit"
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
