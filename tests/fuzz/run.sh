#!/usr/bin/env bash
# run.sh [seconds per target] [extra libFuzzer flags...]: builds the libFuzzer
# targets (CMake -DXENT_FUZZ=ON, clang, ASan + UBSan) in build/fuzz and runs
# each one, starting from its seeds in tests/fuzz/corpus/<function>/, for the
# given time (default 3 s; eighteen targets, about a minute). New inputs go to
# build/fuzz/corpus/<function>/, never into the repository; a failing input
# is saved as build/fuzz/crash-*. Exits nonzero on the first failure. Called
# by scripts/test.js (`npm test`, .ci/run); tests/fuzz/README.md has the long run.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-3}"
shift || true
jobs="$(nproc 2>/dev/null || echo 2)"
CC=clang cmake -S . -B build/fuzz -DXENT_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build/fuzz -j "$jobs" >/dev/null
total=0
for exe in build/fuzz/fuzz_xent_*; do
  fn="$(basename "$exe")"
  fn="${fn#fuzz_}"
  mkdir -p "build/fuzz/corpus/$fn" "tests/fuzz/corpus/$fn"
  log="build/fuzz/$fn.log"
  # -seed=1: the same mutations in every run, so a short run (CI) on a slower
  # machine explores a prefix of what it explores here; pass -seed=N to vary.
  if ! "$exe" -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix=build/fuzz/ \
       -max_len=4096 -seed=1 "$@" "build/fuzz/corpus/$fn" "tests/fuzz/corpus/$fn" >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "fuzz: $fn failed; the input is in build/fuzz/crash-* (see $log)" >&2
    exit 1
  fi
  runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)"
  cov="$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)"
  total=$((total + ${runs:-0}))
  printf 'fuzz %-46s %9s runs  %s\n' "$fn" "${runs:-?}" "$cov"
done
echo "fuzz: $total executions in all, no failure"
