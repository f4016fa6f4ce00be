#!/usr/bin/env bash
# build.sh [wasm|native|all]: builds the two wasm modules into dist/ and the
# JS modules that inline them (js/wasm/*.js), and/or the native library and C
# tests in build/native. Generated files are not committed.
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-all}"
jobs="$(nproc 2>/dev/null || echo 2)"

if [ "$what" = native ] || [ "$what" = all ]; then
  cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build/native -j "$jobs" >/dev/null
fi

if [ "$what" = wasm ] || [ "$what" = all ]; then
  # shellcheck disable=SC1091
  . ./emsdk-env.sh
  emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build/wasm -j "$jobs" >/dev/null
  mkdir -p dist js/wasm
  cp build/wasm/xent-simd.wasm build/wasm/xent.wasm dist/
  node scripts/inline-wasm.js dist/xent-simd.wasm js/wasm/simd.js
  node scripts/inline-wasm.js dist/xent.wasm js/wasm/scalar.js
fi
