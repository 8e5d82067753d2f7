#!/usr/bin/env bash
# Runs every test through ctest and ends with ctest's summary line.
set -euo pipefail
build=${1:-build}
cd "$(dirname "$0")/.."
ctest --test-dir "$build" --output-on-failure --timeout 600
