#!/usr/bin/env bash
# ensure.sh start|test|bench: installs what a fresh Debian machine with only
# Node.js lacks for that command (Debian packages when run as root, npm
# dependencies), then builds what is stale. Called by the npm scripts.
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-test}"

need=()
command -v cmake >/dev/null 2>&1 || need+=(cmake)
command -v cc >/dev/null 2>&1 || need+=(gcc)
command -v emcc >/dev/null 2>&1 || need+=(emscripten)
if [ "$what" = test ]; then
  [ -f /usr/include/simde/wasm/simd128.h ] || need+=(libsimde-dev)
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  # PyTorch for /usr/bin/python3: the PyTorch cross-checks of the tests.
  /usr/bin/python3 -c "import torch" >/dev/null 2>&1 || need+=(python3-torch)
  # The fuzz targets (tests/fuzz): clang with its libFuzzer and sanitizer runtimes.
  command -v clang >/dev/null 2>&1 || need+=(clang)
  compgen -G '/usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a' >/dev/null || need+=(libclang-rt-14-dev)
fi
if [ "${#need[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "xent: installing Debian packages: ${need[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "xent: missing Debian packages: ${need[*]}; install them with: sudo apt-get install ${need[*]}" >&2
    exit 1
  fi
fi

if [ "$what" != start ]; then
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund
  fi
fi

if [ "$what" = test ]; then
  bash scripts/build.sh wasm
else
  bash scripts/build.sh wasm
fi
