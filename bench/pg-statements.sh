#!/usr/bin/env bash
# What one lead costs PostgreSQL, statement by statement (docs/benchmarks.md §35): a throwaway
# server (scripts/pg-test-server.sh, fsync and synchronous_commit on) with pg_stat_statements,
# the `leadproc-gen --scale 0` fixture (200 destinations, 490 POCs), DURATION s of
# `leadproc-load --mode lead` over CONNS connections through one `leadproc serve`, then each
# statement's calls and execution time per stored lead, costliest first, and the totals.
#
#   bench/pg-statements.sh BUILD_DIR        e.g. DURATION=10 CONNS=16 bench/pg-statements.sh build
#
# Calls per lead are exact and repeatable (they depend on the code, not on the machine's speed);
# the times are wall time inside the server's executor, so they include waits for the CPU.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "${1:?usage: bench/pg-statements.sh BUILD_DIR}" && pwd)
DURATION=${DURATION:-10}
CONNS=${CONNS:-16}
TOP=${TOP:-40}
PASSWORD=bench-password-1234
WORK=$(mktemp -d /tmp/pg-statements.XXXXXX)
source "$ROOT/bench/server.sh"
PG_URL=$(PG_SERVER_OPTS="-c shared_buffers=256MB -c synchronous_commit=on \
  -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all" \
  "$ROOT/scripts/pg-test-server.sh" start "$WORK/pg" | tail -1)
BASE=${PG_URL%/*}
trap 'stop_server; "$ROOT/scripts/pg-test-server.sh" stop "$WORK/pg" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
DB=$BASE/statements
psql -qAt "$PG_URL" -c "CREATE DATABASE statements"
"$BUILD/bench/leadproc-gen" --database-url "$DB" --scale 0 >/dev/null
psql -q "$DB" -c "VACUUM ANALYZE" -c "CREATE EXTENSION pg_stat_statements"
email=bench.$RANDOM$RANDOM@example.test
echo "$PASSWORD" | LEADPROC_BCRYPT_COST=4 "$BUILD/leadproc" --database-url "$DB" user create \
  --email "$email" --department ADMIN >/dev/null
serve "$BUILD/leadproc" "$DB"
token=$(curl -s -X POST "$URL/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d "{\"email\":\"$email\",\"password\":\"$PASSWORD\"}" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
key=$(curl -s -X POST "$URL/api/v1/api-keys" -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' -d '{"name":"bench","platform":"website"}' |
  sed -n 's/.*"key":"\([^"]*\)".*/\1/p')
psql -qAt "$DB" -c "SELECT pg_stat_statements_reset()" >/dev/null
"$BUILD/bench/leadproc-load" --url "$URL" --mode lead -c "$CONNS" -d "$DURATION" \
  --pid "$SERVER_PID" --config-from-server -H "X-Api-Key: $key" \
  --config-header "Authorization: Bearer $token" 2>&1 | grep '^RESULT'
stop_server
N=$(psql -qAt "$DB" -c "SELECT count(*) FROM opportunities")
echo "stored leads: $N"
psql -q "$DB" -c "SELECT round((calls::numeric / $N), 2) AS per_lead,
    round((total_exec_time / $N * 1000)::numeric, 0) AS exec_us_per_lead,
    round(mean_exec_time::numeric * 1000, 0) AS mean_us,
    left(regexp_replace(query, '\s+', ' ', 'g'), 100) AS statement
  FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'statements')
  ORDER BY total_exec_time DESC LIMIT $TOP"
psql -qAt "$DB" -c "SELECT 'RESULT statements_per_lead=' || round(sum(calls)::numeric / $N, 2) ||
    ' exec_us_per_lead=' || round((sum(total_exec_time) / $N * 1000)::numeric, 0)
  FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'statements')"
