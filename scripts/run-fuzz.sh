#!/usr/bin/env bash
# Runs every libFuzzer target of fuzz/ (built by `make fuzz` in BUILD_DIR) for SECONDS each, one
# after the other, on one core each (-jobs=1). Each starts from its checked-in seeds
# (fuzz/corpus/<target>/, read only) plus the inputs it found in earlier runs
# (BUILD_DIR/fuzz-corpus/<target>/, kept between runs). A crash, leak, sanitizer report or
# timeout leaves its input in BUILD_DIR/fuzz-artifacts/ and makes the script exit non-zero after
# the remaining targets ran. Usage: run-fuzz.sh BUILD_DIR SECONDS [TARGET...]
set -uo pipefail
build=${1:?build dir}
seconds=${2:?seconds}
shift 2
cd "$(dirname "$0")/.."
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(lead_body http_request phone url sitemap import_json import_bson)
fi
mkdir -p "$build/fuzz-artifacts"
failed=()
for t in "${targets[@]}"; do
  work="$build/fuzz-corpus/$t"
  mkdir -p "$work"
  log="$build/fuzz-artifacts/$t.log"
  echo "fuzz: $t for ${seconds}s (log: $log)"
  # -close_fd_mask=2: the server's access log off the terminal (sanitizer reports still print).
  # -timeout: one input over 25 s is a hang (http_request itself gives up on the server at 20 s).
  # The CPU time it took (user + system: the server threads of http_request count too).
  TIMEFORMAT="  cpu: %U s user + %S s system in %R s"
  time "$build/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=4096 \
    -close_fd_mask=2 -print_final_stats=1 -artifact_prefix="$build/fuzz-artifacts/$t-" \
    "$work" "fuzz/corpus/$t" >"$log" 2>&1
  rc=$?
  grep -E '^(stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb)|DONE ' \
    "$log" | sed "s/^/  /"
  if [ $rc -ne 0 ]; then
    failed+=("$t")
    echo "fuzz: $t FAILED (exit $rc); the report:"
    grep -E -A30 'ERROR: |runtime error|==ERROR|Test unit written' "$log" | head -60
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: findings in ${failed[*]}"
  exit 1
fi
echo "fuzz: ${#targets[@]} targets ran ${seconds}s each, nothing found"
