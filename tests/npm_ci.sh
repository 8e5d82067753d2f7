#!/usr/bin/env bash
# Installs a node test folder's packages from its package-lock.json when node_modules is missing
# or older than the lock file (npm ci; no browser download: the browser tests drive Debian's
# /usr/bin/chromium). Used by tests/ui/run.sh and tests/openapi/run.sh.
#   tests/npm_ci.sh <folder holding package-lock.json>
set -euo pipefail
cd "${1:?usage: npm_ci.sh <folder>}"
command -v node >/dev/null || { echo "$(basename "$PWD") tests: node is not installed" >&2; exit 1; }
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || {
  echo "$(basename "$PWD") tests: Node.js $(node --version) is too old: 20 or later is needed" >&2
  exit 1
}
stamp=node_modules/.leadproc-lock
if ! cmp -s package-lock.json "$stamp" 2>/dev/null; then
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi
