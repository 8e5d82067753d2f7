#!/usr/bin/env bash
# The OpenAPI document's checks (ctest `openapi`, tests/openapi/README.md): installs the packages
# of package-lock.json when needed, then runs validate.test.mjs against the leadproc binary ($1)
# and the answers the API suite recorded ($2, written by ctest `api_sqlite`).
set -euo pipefail
binary=$(realpath "${1:?usage: run.sh <leadproc binary> <recorded answers (.jsonl)>}")
recorded=$(realpath "${2:?usage: run.sh <leadproc binary> <recorded answers (.jsonl)>}")
here=$(dirname "$0")
bash "$here/../npm_ci.sh" "$here"
cd "$here"
LEADPROC_BINARY=$binary LEADPROC_RECORDED_RESPONSES=$recorded exec node --test ./*.test.mjs
