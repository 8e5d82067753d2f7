#!/usr/bin/env bash
# Live events (docs/benchmarks.md, "Live events"): what open event streams cost and how fast an
# event reaches them, and ingest with and without them, beside a binary without live events.
#
#   bench/live-events.sh [BUILD] [BEFORE_BINARY]
#
# 1. streams: a demo-data database; 1,000 streams of two PSV agents (leadproc-sse-bench), the
#    server's memory per stream, then 200 leads one after another, each `assigned` event timed.
# 2. ingest: `leadproc-gen --scale 0` databases (the run-all.sh configuration), POST /api/v1/leads
#    with 16 connections for $DURATION s (leadproc-load), alternating: BEFORE_BINARY (no live
#    events; its own leadproc-gen next to it, as its schema is older), this build, and this build
#    with 1,000 streams of 50 POC users open during the run. $ROUNDS rounds.
set -euo pipefail
BUILD=${1:-build}
BEFORE=${2:-}
BIN=$BUILD/bench
LEADPROC=$BUILD/leadproc
DURATION=${DURATION:-15}
ROUNDS=${ROUNDS:-2}
WORK=$(mktemp -d /tmp/leadproc-live-bench.XXXXXX)
PASSWORD=bench-password-1
source "$(dirname "$0")/server.sh"
trap 'stop_server; rm -rf "$WORK"' EXIT
start_server() {  # start_server BINARY DB [VAR=value...]
  local binary=$1 db=$2
  shift 2
  serve "$binary" "sqlite:$db" "$@"
}
login() {  # login EMAIL: a bearer token
  curl -s -X POST "$URL/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$1\",\"password\":\"${2:-$PASSWORD}\"}" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p'
}

# ---- 1. 1,000 streams: memory per stream and delivery latency ----
db=$WORK/demo.db
"$LEADPROC" --database-url "sqlite:$db" demo-data >/dev/null
start_server "$LEADPROC" "$db" LEADPROC_EVENT_STREAMS_PER_USER=1000 LEADPROC_BCRYPT_COST=4
T1=$(login priya.psv@leadproc.test leadproc-demo-1)
T2=$(login rahul.psv@leadproc.test leadproc-demo-1)
echo "== 1,000 streams of two PSV agents; 200 Goa leads 50 ms apart (each to one of them)"
"$BIN/leadproc-sse-bench" --port "$PORT" --pid "$SERVER_PID" --streams 1000 --token "$T1" \
  --token "$T2" --key lpk_demo-website-form-key-not-for-production --leads 200 --interval-ms 50 \
  --lead '{"name":"Bench Lead","number":"NUMBER","destination":"Goa","leadSource":{"platform":"website"}}'
stop_server

# ---- 2. ingest before / after / after with 1,000 streams ----
ingest() {  # ingest LABEL BINARY GEN [streams]
  local label=$1 binary=$2 gen=$3 streams=${4:-}
  local db=$WORK/ingest-$label.db
  rm -f "$db" "$db-wal" "$db-shm"
  "$gen" --db "$db" --scale 0 --force >/dev/null 2>&1
  local email=bench.admin.$RANDOM@example.test
  echo "$PASSWORD" | LEADPROC_BCRYPT_COST=4 "$binary" --database-url "sqlite:$db" user create \
    --email "$email" --department ADMIN >/dev/null
  local tokens=()
  if [[ -n $streams ]]; then
    # 50 POC users of the configuration, each with 20 streams: the leads go to them.
    for e in $(sqlite3 "$db" "SELECT u.email FROM users u JOIN availabilities a ON a.person_id = u.id WHERE a.process = 'PSV' AND u.email IS NOT NULL GROUP BY u.email LIMIT 50"); do
      echo "$PASSWORD" | LEADPROC_BCRYPT_COST=4 "$binary" --database-url "sqlite:$db" user \
        set-password --email "$e" >/dev/null
    done
  fi
  start_server "$binary" "$db" LEADPROC_EVENT_STREAMS_PER_USER=1000
  local token key
  token=$(login "$email")
  key=$(curl -s -X POST "$URL/api/v1/api-keys" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' -d '{"name":"bench","platform":"website"}' |
    sed -n 's/.*"key":"\([^"]*\)".*/\1/p')
  local bench_pid=
  if [[ -n $streams ]]; then
    local args=()
    for e in $(sqlite3 "$db" "SELECT u.email FROM users u JOIN availabilities a ON a.person_id = u.id WHERE a.process = 'PSV' AND u.email IS NOT NULL GROUP BY u.email LIMIT 50"); do
      args+=(--token "$(login "$e")")
    done
    "$BIN/leadproc-sse-bench" --port "$PORT" --pid "$SERVER_PID" --streams 1000 "${args[@]}" \
      --hold $((DURATION + 10)) >"$WORK/streams.out" 2>&1 &
    bench_pid=$!
    for _ in $(seq 100); do grep -q '^streams:' "$WORK/streams.out" 2>/dev/null && break; sleep 0.2; done
  fi
  local r
  r=$("$BIN/leadproc-load" --url "$URL" --mode lead -c 16 -d "$DURATION" --pid "$SERVER_PID" \
    --config-from-server -H "X-Api-Key: $key" --config-header "Authorization: Bearer $token" 2>&1 |
    grep '^RESULT' | tail -1)
  if [[ -n $bench_pid ]]; then
    wait "$bench_pid" || true
    grep -E '^(streams|held)' "$WORK/streams.out" | sed "s/^/[$label] /"
  fi
  echo "[$label] $r"
  stop_server
}
if [[ -n $BEFORE ]]; then
  for round in $(seq "$ROUNDS"); do
    echo "== ingest, round $round"
    ingest before "$BEFORE" "$(dirname "$BEFORE")/leadproc-gen"
    ingest after "$LEADPROC" "$BIN/leadproc-gen"
    ingest after-streams "$LEADPROC" "$BIN/leadproc-gen" 1000
  done
fi
