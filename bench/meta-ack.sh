#!/usr/bin/env bash
# The Meta Lead Ads webhook's acknowledgement under load (issue 19 item 10: p99 < 20 ms at 500
# notifications/s): a fresh SQLite database, `leadproc serve` with an app secret and the Graph API
# pointed at a closed loopback port (the asynchronous fetch fails and keeps each receipt with its
# reason: only the acknowledgement is measured), then `leadproc-load --mode meta` in open loop,
# each POST one signed leadgen change with a new 17-digit id.
#
#   bench/meta-ack.sh [BUILD_DIR] [RATE] [SECONDS]      (defaults: build 500 15)
set -euo pipefail
build=${1:-build}
rate=${2:-500}
seconds=${3:-15}
WORK=$(mktemp -d /tmp/leadproc-meta-ack-XXXXXX)
trap 'stop_server; rm -rf "$WORK"' EXIT
. "$(dirname "$0")/server.sh"
secret=bench-app-secret
serve "$build/leadproc" "sqlite:$WORK/meta.db" LEADPROC_META_APP_SECRET=$secret \
  LEADPROC_META_VERIFY_TOKEN=bench LEADPROC_META_GRAPH_URL=http://127.0.0.1:9
"$build/bench/leadproc-load" --url "$URL" --mode meta --meta-app-secret "$secret" \
  --rate "$rate" --connections 64 --duration "$seconds" --pid "$SERVER_PID" --label meta-ack
echo "receipts stored: $(sqlite3 "$WORK/meta.db" 'SELECT COUNT(*) FROM meta_receipts' 2>/dev/null || echo '?')"
