#!/usr/bin/env bash
# Webhooks (docs/benchmarks.md, "Outbox and webhooks"): what the outbox and two webhook
# subscriptions cost ingestion, beside a binary without the outbox, and how fast the events of
# the run are then delivered.
#
#   bench/webhooks.sh BUILD_LEADPROC BEFORE_LEADPROC [LOAD_BIN_DIR]
#   bench/webhooks.sh build/leadproc - build/bench     # no "before" binary: the two "after" runs
#
# `leadproc-gen --scale 0` databases (the run-all.sh configuration; the gen next to
# BEFORE_LEADPROC, whose schema this build migrates forward at start), POST /api/v1/leads with 16
# connections for $DURATION s (leadproc-load), alternating: BEFORE (no outbox), AFTER (the outbox
# written, no subscription) and AFTER with two subscriptions ("*" and "lead.created") to a local
# receiver answering 200 (python3). For the last, after the load: the time until every delivery
# is done, and each delivery's lag from its event's commit (p50 / p99 / max). $ROUNDS rounds.
#
# VARIANTS (default "before after after-2-subscriptions"; no "before*" without BEFORE_LEADPROC)
# picks the runs of each round and their order, among: before, before-2-subscriptions, after,
# after-2-subscriptions, after-2-subscriptions-nice0 (the AFTER binary with
# LEADPROC_WEBHOOK_NICE=0: its sending thread at the process's priority). RECEIVER_NICE (default
# 0) runs the receiver under `nice -n`: it stands in for another machine but shares these cores.
# RECEIVER_WRITES=2 makes it answer in two writes (headers, then body) instead of one.
# Each line says which binary, subscriptions and receiver nice value it is from.
set -euo pipefail
AFTER=$1
BEFORE=$2
LOADBIN=${3:-$(dirname "$BEFORE")/bench}
GEN=$LOADBIN/leadproc-gen
DURATION=${DURATION:-15}
ROUNDS=${ROUNDS:-2}
RECEIVER_NICE=${RECEIVER_NICE:-0}
RECEIVER_WRITES=${RECEIVER_WRITES:-1}
if [[ $BEFORE == - ]]; then
  VARIANTS=${VARIANTS:-after after-2-subscriptions}
else
  VARIANTS=${VARIANTS:-before after after-2-subscriptions}
fi
WORK=$(mktemp -d /tmp/leadproc-webhook-bench.XXXXXX)
PASSWORD=bench-password-1
RECEIVER_PID=
source "$(dirname "$0")/server.sh"
trap 'stop_server; [[ -n $RECEIVER_PID ]] && kill "$RECEIVER_PID" 2>/dev/null; rm -rf "$WORK"' EXIT

# The receiver: 200 to every POST, on a free port written to $WORK/rport.
cat >"$WORK/receiver.py" <<'PY'
import http.server, socketserver, sys
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        # One write: the status line, headers and body in one segment (two small writes on a
        # kept-alive connection wait for the client's ACK of the first: Nagle; ~40 ms when the
        # client delays it). RECEIVER_WRITES=2: two writes, as many HTTP servers answer.
        if sys.argv[2] == "2":
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n")
            self.wfile.write(b"ok")
        else:
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
    def log_message(self, *a): pass
class S(socketserver.ThreadingMixIn, http.server.HTTPServer): daemon_threads = True
s = S(("127.0.0.1", 0), H)
open(sys.argv[1], "w").write(str(s.server_address[1]))
s.serve_forever()
PY
nice -n "$RECEIVER_NICE" python3 "$WORK/receiver.py" "$WORK/rport" "$RECEIVER_WRITES" &
RECEIVER_PID=$!
for _ in $(seq 100); do [[ -s $WORK/rport ]] && break; sleep 0.1; done
HOOK=http://127.0.0.1:$(cat "$WORK/rport")/hooks

start_server() {  # start_server BINARY DB [VAR=value...]
  local binary=$1 db=$2
  shift 2
  serve "$binary" "sqlite:$db" LEADPROC_WEBHOOK_ALLOW_NETWORKS=127.0.0.0/8 "$@"
}
api() {  # api METHOD PATH BODY
  curl -s -X "$1" "$URL/api/v1$2" -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' ${3:+-d "$3"}
}

ingest() {  # ingest LABEL BINARY [subscriptions [VAR=value...]]
  local label=$1 binary=$2 subs=${3:-}
  shift 3 2>/dev/null || shift $#
  local db=$WORK/ingest-$label.db
  rm -f "$db" "$db-wal" "$db-shm"
  "$GEN" --db "$db" --scale 0 --force >/dev/null 2>&1
  local email=bench.admin.$RANDOM@example.test
  echo "$PASSWORD" | LEADPROC_BCRYPT_COST=4 "$binary" --database-url "sqlite:$db" user create \
    --email "$email" --department ADMIN >/dev/null
  start_server "$binary" "$db" "$@"
  TOKEN=$(curl -s -X POST "$URL/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$email\",\"password\":\"$PASSWORD\"}" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
  local key
  key=$(api POST /api-keys '{"name":"bench","platform":"website"}' |
    sed -n 's/.*"key":"\([^"]*\)".*/\1/p')
  if [[ -n $subs ]]; then
    api POST /webhooks "{\"url\":\"$HOOK\",\"eventTypes\":[\"*\"]}" >/dev/null
    api POST /webhooks "{\"url\":\"$HOOK\",\"eventTypes\":[\"lead.created\"]}" >/dev/null
  fi
  local r
  r=$("$LOADBIN/leadproc-load" --url "$URL" --mode lead -c 16 -d "$DURATION" --pid "$SERVER_PID" \
    --config-from-server -H "X-Api-Key: $key" --config-header "Authorization: Bearer $TOKEN" 2>&1 |
    grep '^RESULT' | tail -1)
  local load_end_ms
  load_end_ms=$(date +%s%3N)
  echo "[$label] $r"
  if [[ -n $subs ]]; then
    local start pending=1
    start=$(date +%s.%N)
    while [[ $pending != 0 ]]; do
      sleep 0.5
      pending=$(sqlite3 "$db" "SELECT (SELECT count(*) FROM outbox_events WHERE fanned_out = 0) + (SELECT count(*) FROM webhook_deliveries WHERE status <> 'delivered')")
    done
    local drained
    drained=$(echo "$(date +%s.%N) - $start" | bc)
    sqlite3 "$db" "WITH l AS (SELECT d.updated_at - o.created_at AS ms FROM webhook_deliveries d JOIN outbox_events o ON o.seq = d.event_seq ORDER BY ms), n AS (SELECT count(*) AS c FROM l) SELECT '[$label] events=' || (SELECT count(*) FROM outbox_events) || ' deliveries=' || (SELECT c FROM n) || ' delivered_during_load=' || (SELECT count(*) FROM webhook_deliveries WHERE updated_at <= $load_end_ms) || ' drained_after_load_s=$drained' || ' lag_ms p50=' || (SELECT ms FROM l LIMIT 1 OFFSET (SELECT c/2 FROM n)) || ' p99=' || (SELECT ms FROM l LIMIT 1 OFFSET (SELECT c*99/100 FROM n)) || ' max=' || (SELECT max(ms) FROM l)"
  fi
  stop_server
}

echo "== receiver nice $RECEIVER_NICE, answers in $RECEIVER_WRITES write(s); variants: $VARIANTS"
for round in $(seq "$ROUNDS"); do
  echo "== round $round (load average $(cut -d' ' -f1 /proc/loadavg), $(date -u +%H:%M:%S) UTC)"
  for variant in $VARIANTS; do
    case $variant in
      before) ingest before "$BEFORE" ;;
      before-2-subscriptions) ingest before-2-subscriptions "$BEFORE" subs ;;
      after) ingest after "$AFTER" ;;
      after-2-subscriptions) ingest after-2-subscriptions "$AFTER" subs ;;
      after-2-subscriptions-nice0)
        ingest after-2-subscriptions-nice0 "$AFTER" subs LEADPROC_WEBHOOK_NICE=0 ;;
      *) echo "unknown variant $variant" >&2; exit 2 ;;
    esac
  done
done
