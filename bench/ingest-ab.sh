#!/usr/bin/env bash
# Ingest A/B (docs/benchmarks.md §27): the run-all.sh ingest configuration — a fresh
# `leadproc-gen --scale 0` database per run, POST /api/v1/leads with $CONNS keep-alive connections
# for $DURATION s (leadproc-load --config-from-server) — for several variants, alternating, so
# that a slow or busy machine moves every variant alike.
#
#   bench/ingest-ab.sh LABEL=BUILD[,VAR=value...] ...
#   ROUNDS=3 bench/ingest-ab.sh main=/work/main/build mine=build
#   bench/ingest-ab.sh base=build fewer-gather=build,LEADPROC_WORKERS=32
#
# BUILD is a build directory (its leadproc and bench/leadproc-gen make and serve the database:
# an older schema needs its own generator); VARs go to that variant's server, except
# AB_SQL=FILE: SQL run on the variant's database before it is served (what an index costs:
# a file of DROP INDEX statements). The load generator
# is the first variant's; LOAD_CPUS=LIST runs it on those CPUs only (taskset -c), e.g. off the
# SQLite writer's CPU, as clients on other machines would be. Each run prints one line: the UTC time, the 1-minute load average, the
# label, leads/s, p99, and the server's CPU per lead and cores (leadproc-load's RESULT line);
# the last lines are each variant's mean.
set -euo pipefail
if [[ $# -lt 1 ]]; then
  sed -n '2,16p' "$0" >&2
  exit 2
fi
DURATION=${DURATION:-15}
ROUNDS=${ROUNDS:-2}
CONNS=${CONNS:-16}
PASSWORD=bench-password-not-secret
WORK=$(mktemp -d /tmp/leadproc-ingest-ab.XXXXXX)
source "$(dirname "$0")/server.sh"
trap 'stop_server; rm -rf "$WORK"' EXIT

LOAD=${1#*=}
LOAD=${LOAD%%,*}/bench/leadproc-load
declare -A SUM COUNT
run() {  # run LABEL=BUILD[,VAR=value...]
  local label=${1%%=*} spec=${1#*=}
  local build=${spec%%,*} vars=() all=() sql=
  [[ $spec == *,* ]] && IFS=, read -r -a all <<<"${spec#*,}"
  for v in "${all[@]}"; do
    if [[ $v == AB_SQL=* ]]; then sql=${v#AB_SQL=}; else vars+=("$v"); fi
  done
  local db=$WORK/ingest.db
  rm -f "$db" "$db-wal" "$db-shm"
  "$build/bench/leadproc-gen" --db "$db" --scale 0 --force >/dev/null 2>&1
  "$build/leadproc" --database-url "sqlite:$db" migrate >/dev/null
  local email=bench.admin.$RANDOM@example.test
  echo "$PASSWORD" | LEADPROC_BCRYPT_COST=4 "$build/leadproc" --database-url "sqlite:$db" user \
    create --email "$email" --department ADMIN >/dev/null
  [[ -n $sql ]] && sqlite3 "$db" <"$sql"
  serve "$build/leadproc" "sqlite:$db" "${vars[@]}"
  local token key r m0 m1 t0 t1
  token=$(curl -s -X POST "$URL/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$email\",\"password\":\"$PASSWORD\"}" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
  key=$(curl -s -X POST "$URL/api/v1/api-keys" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' -d '{"name":"bench","platform":"website"}' |
    sed -n 's/.*"key":"\([^"]*\)".*/\1/p')
  m0=$(curl -s "$URL/metrics"); t0=$(date +%s.%N)
  r=$(${LOAD_CPUS:+taskset -c "$LOAD_CPUS"} "$LOAD" --url "$URL" --mode lead -c "$CONNS" -d "$DURATION" --pid "$SERVER_PID" \
    --config-from-server -H "X-Api-Key: $key" --config-header "Authorization: Bearer $token" 2>&1 |
    grep '^RESULT' | tail -1)
  m1=$(curl -s "$URL/metrics"); t1=$(date +%s.%N)
  stop_server
  local rate p99 us cores
  rate=$(sed -n 's/.* ok_per_s=\([0-9.]*\).*/\1/p' <<<"$r")
  p99=$(sed -n 's/.* p99_ms=\([0-9.]*\).*/\1/p' <<<"$r")
  us=$(sed -n 's/.* server_us_per_request=\([0-9.]*\).*/\1/p' <<<"$r")
  cores=$(sed -n 's/.* server_cores=\([0-9.]*\).*/\1/p' <<<"$r")
  # The writer's share, from /metrics before and after the load: its CPU per write (in µs) and
  # the fraction of the time it was running a transaction (sqlite_store.h WriteStats).
  local writer
  writer=$(awk -v t="$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')" '
    FNR == 1 { f++ }
    /^leadproc_sqlite_writes_total / { w[f] = $2 }
    /^leadproc_sqlite_writer_cpu_seconds_total / { c[f] = $2 }
    /^leadproc_sqlite_writer_busy_seconds_total / { b[f] = $2 }
    END { n = w[2] - w[1]; if (n > 0) printf "writer %5.1f us/write %3.0f%% busy", (c[2] - c[1]) * 1e6 / n, (b[2] - b[1]) * 100 / t }' \
    <(echo "$m0") <(echo "$m1"))
  printf '%s load %s %-16s %8.1f leads/s  p99 %7.1f ms  %6.1f us/lead  %.2f cores  %s\n' \
    "$(date -u +%H:%M:%S)" "$(cut -d' ' -f1 /proc/loadavg)" "$label" "$rate" "$p99" "$us" "$cores" \
    "$writer"
  SUM[$label]=$(awk -v a="${SUM[$label]:-0}" -v b="$rate" 'BEGIN {print a + b}')
  COUNT[$label]=$((${COUNT[$label]:-0} + 1))
}
for round in $(seq "$ROUNDS"); do
  for variant in "$@"; do run "$variant"; done
done
for variant in "$@"; do
  label=${variant%%=*}
  awk -v l="$label" -v s="${SUM[$label]}" -v n="${COUNT[$label]}" \
    'BEGIN {printf "mean %-16s %8.1f leads/s over %d runs\n", l, s / n, n}'
done
