#!/usr/bin/env bash
# Issue 22's PostgreSQL targets, measured in one run on one throwaway server (fsync on,
# synchronous_commit on: every 201 is a flushed commit):
#   1. PostgreSQL's own single-row commit rate: pgbench, CONNS clients, each transaction one
#      INSERT of one row (the limit no ingest can pass: a lead is at least one such commit);
#   2. for each build given (AFTER, then BEFORE if given), alternating ROUNDS times: ingest
#      through one `leadproc serve`, then through two instances on the same database (the load
#      split between them, CONNS connections in all), each on a fresh copy of the fixture
#      (`leadproc-gen --scale 0`: 200 destinations, 490 POCs, no leads; each build's own).
#
#   bench/pg-scale.sh AFTER_BUILD_DIR [BEFORE_BUILD_DIR]
#   DURATION=10 CONNS=16 ROUNDS=1 SQLITE_AB=0 bench/pg-scale.sh build /work/main/build
#
# SQLITE_AB=1 adds, for each build and round, the same one-instance ingest on SQLite.
#
# A build dir holds leadproc, bench/leadproc-load and bench/leadproc-gen (each build's gen makes
# its own fixtures; the AFTER build's load generator serves both). Prints one line per measurement and a summary.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
AFTER=$(cd "$1" && pwd)
BEFORE=${2:+$(cd "$2" && pwd)}
DURATION=${DURATION:-10}
CONNS=${CONNS:-16}
ROUNDS=${ROUNDS:-1}
WORK=$(mktemp -d /tmp/pg-scale.XXXXXX)
PASSWORD=bench-password-1234
LOADGEN=$AFTER/bench/leadproc-load

say() { echo "[$(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)] $*"; }
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" | tail -1; }

PG_STATE=$WORK/pg
PG_URL=$(PG_SERVER_OPTS="-c shared_buffers=256MB -c synchronous_commit=on" \
  "$ROOT/scripts/pg-test-server.sh" start "$PG_STATE" | tail -1)
PG_BASE=${PG_URL%/*}
SERVERS=()
cleanup() {
  for p in "${SERVERS[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done
  "$ROOT/scripts/pg-test-server.sh" stop "$PG_STATE" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
sql() { psql -qAt "$PG_URL" -v ON_ERROR_STOP=1 -c "$1"; }
POSTMASTER=$(head -1 "$(cat "$PG_STATE/datadir")/postmaster.pid")
pg_cpu() {  # CPU seconds used so far by this server's processes (the postmaster's children)
  local p
  for p in $(ps --ppid "$POSTMASTER" -o pid=); do cat "/proc/$p/stat" 2>/dev/null || true; done |
    awk -v hz="$(getconf CLK_TCK)" '{s += $14 + $15} END {print s / hz}'
}
say "PostgreSQL $(sql 'SHOW server_version'), fsync=$(sql 'SHOW fsync'), synchronous_commit=$(sql 'SHOW synchronous_commit')"

# ---- 1. PostgreSQL's single-row commit rate ----
sql "CREATE DATABASE commits"
psql -qAt "$PG_BASE/commits" -c "CREATE TABLE t (id bigserial PRIMARY KEY, v text NOT NULL)"
echo "INSERT INTO t (v) VALUES ('a lead-sized row is not the point: one commit is');" >"$WORK/one-row.sql"
say "pgbench: $CONNS clients, one single-row INSERT per transaction, ${DURATION}s"
TPS=$(pgbench -n -c "$CONNS" -j 2 -T "$DURATION" -f "$WORK/one-row.sql" "$PG_BASE/commits" 2>&1 |
  sed -n 's/^tps = \([0-9.]*\).*/\1/p' | tail -1)
say "RESULT pgbench single-row commits/s=$TPS"

# ---- the fixtures: one per build, made by its own generator (an older build cannot serve a
# database migrated past its schema) ----
fixture_of() { [[ $1 == "$AFTER/leadproc" ]] && echo fixture_after || echo fixture_before; }
for build in "$AFTER" ${BEFORE:+"$BEFORE"}; do
  fixture=$(fixture_of "$build/leadproc")
  sql "CREATE DATABASE $fixture"
  "$build/bench/leadproc-gen" --database-url "$PG_BASE/$fixture" --scale 0 >/dev/null
  psql -q "$PG_BASE/$fixture" -c "VACUUM ANALYZE"
done

start() {  # start BIN DB_URL: one more server; appends its pid to SERVERS and its URL to URLS
  local bin=$1 db=$2 n=${#SERVERS[@]}
  rm -f "$WORK/port$n"
  LEADPROC_BENCH_ENDPOINTS=1 "$bin" serve --database-url "$db" --listen 127.0.0.1:0 \
    --port-file "$WORK/port$n" >"$WORK/server$n.log" 2>&1 &
  SERVERS+=($!)
  for _ in $(seq 600); do [[ -s $WORK/port$n ]] && break; sleep 0.1; done
  [[ -s $WORK/port$n ]] || { tail "$WORK/server$n.log" >&2; exit 1; }
  local url=http://127.0.0.1:$(cat "$WORK/port$n")
  for _ in $(seq 100); do curl -fs "$url/readyz" >/dev/null && break; sleep 0.1; done
  URLS+=("$url")
}
stop_all() {
  for p in "${SERVERS[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done
  SERVERS=()
}
key_for() {  # key_for BIN DB_URL URL: an admin and an API key; sets AUTH
  local email=bench.$RANDOM$RANDOM@example.test token key
  echo "$PASSWORD" | LEADPROC_BCRYPT_COST=4 "$1" --database-url "$2" user create \
    --email "$email" --department ADMIN >/dev/null
  token=$(curl -s -X POST "$3/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$email\",\"password\":\"$PASSWORD\"}" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
  key=$(curl -s -X POST "$3/api/v1/api-keys" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' -d '{"name":"bench","platform":"website"}' |
    sed -n 's/.*"key":"\([^"]*\)".*/\1/p')
  AUTH=(-H "X-Api-Key: $key" --config-header "Authorization: Bearer $token")
}

# run VARIANT BIN INSTANCES: ingest through INSTANCES servers on a fresh copy of the fixture;
# sets RESULT to "leads/s p99_ms" (not in a subshell: the servers it starts are stopped here)
run() {
  local variant=$1 bin=$2 n=$3 db=ingest_$RANDOM i
  URLS=()
  sql "CREATE DATABASE $db TEMPLATE $(fixture_of "$bin")"
  "$bin" --database-url "$PG_BASE/$db" migrate >/dev/null
  for ((i = 0; i < n; i++)); do start "$bin" "$PG_BASE/$db"; done
  key_for "$bin" "$PG_BASE/$db" "${URLS[0]}"
  local pids=() cpu0
  cpu0=$(pg_cpu)
  for ((i = 0; i < n; i++)); do
    "$LOADGEN" --url "${URLS[$i]}" --mode lead -c $((CONNS / n)) -d "$DURATION" --warmup 2 \
      --pid "${SERVERS[$i]}" \
      --config-from-server "${AUTH[@]}" --label "$variant-$n-$i" >"$WORK/load$i.out" 2>&1 &
    pids+=($!)
  done
  # What the database's backends wait on meanwhile (one sample every 0.2 s): the lock-bound
  # diagnosis of docs/benchmarks.md §2, kept with each run.
  local samples=$WORK/waits.txt
  : >"$samples"
  while kill -0 "${pids[0]}" 2>/dev/null; do
    psql -qAt "$PG_BASE/$db" -c "SELECT coalesce(wait_event_type || ':' || wait_event, 'running')
      FROM pg_stat_activity WHERE datname = '$db' AND state = 'active' AND pid <> pg_backend_pid()" \
      >>"$samples" 2>/dev/null || true
    sleep 0.2
  done
  wait "${pids[@]}"
  local pg_cores
  pg_cores=$(awk "BEGIN{printf \"%.2f\", ($(pg_cpu) - $cpu0) / ($DURATION + 2)}")
  stop_all
  say "backend states sampled during $variant x$n: $(sort "$samples" | uniq -c | sort -rn | head -6 |
    awk '{printf "%s %s; ", $2, $1}')"
  local total=0 p99=0 r ok bad=0 cores=0
  for ((i = 0; i < n; i++)); do
    r=$(grep '^RESULT' "$WORK/load$i.out" | tail -1)
    ok=$(echo "$r" | field ok_per_s)
    total=$(awk "BEGIN{print $total + $ok}")
    bad=$((bad + $(echo "$r" | field errors) + $(echo "$r" | field s503) + $(echo "$r" | field timeouts)))
    cores=$(awk "BEGIN{print $cores + $(echo "$r" | field server_cores)}")
    p99=$(awk "BEGIN{x=$(echo "$r" | field p99_ms); print (x > $p99 ? x : $p99)}")
  done
  # Every answer was a 201 (the load generator counts the others as errors).
  local stored
  stored=$(psql -qAt "$PG_BASE/$db" -c "SELECT count(*) FROM opportunities")
  sql "DROP DATABASE $db"
  say "RESULT variant=$variant instances=$n leads_per_s=$total p99_ms=$p99 not_201=$bad" \
    "leadproc_cores=$cores postgres_cores=$pg_cores stored=$stored"
  RESULT="$total $p99"
}

# sqlite_run VARIANT BIN: the same ingest through one server on SQLite (a fresh
# `leadproc-gen --scale 0` file): that the change costs SQLite nothing (SQLITE_AB=1).
sqlite_run() {
  local variant=$1 bin=$2 db=$WORK/sqlite.db r
  rm -f "$db" "$db-wal" "$db-shm"
  "$(dirname "$bin")/bench/leadproc-gen" --db "$db" --scale 0 --force >/dev/null 2>&1
  URLS=()
  start "$bin" "sqlite:$db"
  key_for "$bin" "sqlite:$db" "${URLS[0]}"
  "$LOADGEN" --url "${URLS[0]}" --mode lead -c "$CONNS" -d "$DURATION" --warmup 2 \
    --pid "${SERVERS[0]}" --config-from-server "${AUTH[@]}" --label "sqlite-$variant" \
    >"$WORK/load-sqlite.out" 2>&1
  stop_all
  r=$(grep '^RESULT' "$WORK/load-sqlite.out" | tail -1)
  say "RESULT sqlite variant=$variant leads_per_s=$(echo "$r" | field ok_per_s)" \
    "p99_ms=$(echo "$r" | field p99_ms) server_us_per_lead=$(echo "$r" | field server_us_per_request)"
}

declare -A ONE TWO
variants=(after)
[[ -n $BEFORE ]] && variants+=(before)
for ((round = 1; round <= ROUNDS; round++)); do
  for v in "${variants[@]}"; do
    bin=$AFTER/leadproc
    [[ $v == before ]] && bin=$BEFORE/leadproc
    say "round $round: $v, one instance, $CONNS connections, ${DURATION}s"
    run "$v" "$bin" 1
    ONE[$v.$round]=$RESULT
    say "round $round: $v, two instances, $((CONNS / 2)) connections each, ${DURATION}s"
    run "$v" "$bin" 2
    TWO[$v.$round]=$RESULT
    if [[ ${SQLITE_AB:-0} == 1 ]]; then
      say "round $round: $v, SQLite, one instance, $CONNS connections, ${DURATION}s"
      sqlite_run "$v" "$bin"
    fi
  done
done

echo
echo "PostgreSQL single-row commits/s: $TPS"
for ((round = 1; round <= ROUNDS; round++)); do
  for v in "${variants[@]}"; do
    read -r one p1 <<<"${ONE[$v.$round]}"
    read -r two p2 <<<"${TWO[$v.$round]}"
    printf '%s round %d: one instance %.0f leads/s (p99 %s ms, %.1f%% of the commit rate); two %.0f (p99 %s ms, %.2fx one)\n' \
      "$v" "$round" "$one" "$p1" "$(awk "BEGIN{print 100*$one/$TPS}")" "$two" "$p2" \
      "$(awk "BEGIN{print $two/$one}")"
  done
done
