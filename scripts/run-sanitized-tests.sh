#!/usr/bin/env bash
# Runs the ctest suites matching REGEX of a sanitizer build (make test-sanitize). Every process
# the tests start (the test binaries, and the `leadproc serve` that the API tests run) writes a
# sanitizer report to BUILD/sanitizer-reports/ instead of stderr, so that a finding in a child
# process counts even when its test would not notice (a leak reported at a server's exit): the
# run fails if ctest fails or if any report was written, and prints the reports after ctest's
# summary. Usage: run-sanitized-tests.sh BUILD REGEX
set -uo pipefail
cd "$(dirname "$0")/.."
build=$(realpath "${1:?build dir}")
regex=${2:?ctest regex}
reports="$build/sanitizer-reports"
rm -rf "$reports"
mkdir -p "$reports"
export ASAN_OPTIONS="detect_leaks=1:log_path=$reports/asan"
export UBSAN_OPTIONS="print_stacktrace=1:log_path=$reports/ubsan"
ctest --test-dir "$build" -R "$regex" --output-on-failure --timeout 900
rc=$?
shopt -s nullglob
found=("$reports"/*)
if [ ${#found[@]} -gt 0 ]; then
  echo "test-sanitize: ${#found[@]} sanitizer report(s) in $reports:"
  for f in "${found[@]}"; do
    echo "==== $f"
    head -n 60 "$f"
  done
  exit 1
fi
exit $rc
