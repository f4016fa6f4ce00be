#!/usr/bin/env bash
# test.sh: every test. Run by `npm test` after scripts/ensure.sh has installed
# what was missing and built the wasm modules.
#   1. C tests (ctest), natively: scalar kernels and f32x4 kernels (via SIMDe);
#   2. the same under AddressSanitizer + UndefinedBehaviorSanitizer;
#   3. the libFuzzer targets, scalar and f32x4 builds side by side under
#      ASan + UBSan, 4 s each (tests/fuzz/run.sh; XENT_FUZZ_SECONDS changes it,
#      0 skips them);
#   4. JS API, recommender, CLI and property tests against the built wasm
#      (node --test);
#   5. browser tests in Debian's chromium (node --test, playwright-core).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs="$(nproc 2>/dev/null || echo 2)"

echo "== C tests (scalar and f32x4 through SIMDe)"
cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/native -j "$jobs" >/dev/null
ctest --test-dir build/native --output-on-failure -j "$jobs"

echo "== C tests under ASan + UBSan"
cmake -S . -B build/sanitize -DCMAKE_BUILD_TYPE=RelWithDebInfo -DXENT_SANITIZE=ON >/dev/null
cmake --build build/sanitize -j "$jobs" >/dev/null
ctest --test-dir build/sanitize --output-on-failure -j "$jobs"

fuzz_seconds="${XENT_FUZZ_SECONDS:-4}"
if [ "$fuzz_seconds" != 0 ]; then
  echo "== libFuzzer targets, ${fuzz_seconds} s each (tests/fuzz/run.sh)"
  bash tests/fuzz/run.sh "$fuzz_seconds"
fi

echo "== JS and browser tests"
shopt -s nullglob
node --test tests/js/*.test.js tests/browser/*.test.js
