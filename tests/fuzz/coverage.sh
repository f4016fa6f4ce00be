#!/usr/bin/env bash
# coverage.sh: line and region coverage of src/ by the fuzz corpus. Builds the
# fuzz targets with clang's source-based coverage (-DXENT_FUZZ_COVERAGE=ON) in
# build/fuzz-cov, replays the seeds (tests/fuzz/corpus) and what earlier runs
# found (build/fuzz/corpus) through every target, and prints llvm-cov's report
# for src/ (Debian: llvm-14 provides llvm-profdata-14 and llvm-cov-14). The
# scalar and f32x4 builds of each file count as one: a line is covered when
# either build ran it. See tests/fuzz/README.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
jobs="$(nproc 2>/dev/null || echo 2)"
profdata="$(command -v llvm-profdata-14 || command -v llvm-profdata)"
cov="$(command -v llvm-cov-14 || command -v llvm-cov)"
CC=clang cmake -S . -B build/fuzz-cov -DXENT_FUZZ=ON -DXENT_FUZZ_COVERAGE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build/fuzz-cov -j "$jobs" >/dev/null
rm -rf build/fuzz-cov/prof
mkdir -p build/fuzz-cov/prof
objects=()
for exe in build/fuzz-cov/fuzz_xent_*; do
  fn="$(basename "$exe")"
  fn="${fn#fuzz_}"
  dirs=("tests/fuzz/corpus/$fn")
  [ -d "build/fuzz/corpus/$fn" ] && dirs+=("build/fuzz/corpus/$fn")
  LLVM_PROFILE_FILE="build/fuzz-cov/prof/$fn.profraw" "$exe" -runs=0 -artifact_prefix=build/fuzz-cov/ "${dirs[@]}" >/dev/null 2>&1
  objects+=(-object "$exe")
done
"$profdata" merge -sparse -o build/fuzz-cov/merged.profdata build/fuzz-cov/prof/*.profraw
"$cov" report -instr-profile build/fuzz-cov/merged.profdata "${objects[@]:1}" src/
