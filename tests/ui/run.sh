#!/usr/bin/env bash
# The web UI's browser tests (ctest `ui`): installs playwright-core from package-lock.json when
# node_modules is missing or out of date (npm ci; no browser download: the tests drive Debian's
# /usr/bin/chromium, installed by scripts/install-deps.sh), then runs every *.test.mjs with
# node's test runner against the leadproc binary given as $1.
set -euo pipefail
binary=$(realpath "${1:?usage: run.sh <path to the leadproc binary>}")
cd "$(dirname "$0")"

command -v node >/dev/null || { echo "ui tests: node is not installed" >&2; exit 1; }
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || {
  echo "ui tests: Node.js $(node --version) is too old: playwright-core needs 20 or later" >&2
  exit 1
}
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || {
  echo "ui tests: ${CHROMIUM:-/usr/bin/chromium} is missing (scripts/install-deps.sh installs it)" >&2
  exit 1
}
stamp=node_modules/.leadproc-lock
if ! cmp -s package-lock.json "$stamp" 2>/dev/null; then
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi
# One file at a time: each starts its own server and browser, and the machine has two cores.
LEADPROC_BINARY=$binary exec node --test --test-concurrency=1 ./*.test.mjs
