#!/usr/bin/env bash
# ensure.sh test|c|js|browser|bench: installs what a fresh Debian machine with
# only Node.js lacks for that command (Debian packages when run as root, npm
# dev dependencies). Called by the npm scripts; `npm start` needs none of it
# (the built wasm modules are in the repository).
#   c, test   cmake, gcc, emscripten (the pinned 3.1.6 on Debian 12), libsimde-dev
#   browser, test   chromium
#   js, browser, test   python3-torch (for /usr/bin/python3)
#   every part   the npm dev dependencies (node_modules)
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-test}"
case "$what" in
  test | c | js | browser | bench) ;;
  *) echo "ensure.sh: unknown command $what (test, c, js, browser or bench)" >&2; exit 2 ;;
esac

need=()
if [ "$what" = test ] || [ "$what" = c ] || [ "$what" = bench ]; then
  command -v cmake >/dev/null 2>&1 || need+=(cmake)
  command -v cc >/dev/null 2>&1 || need+=(gcc)
  command -v emcc >/dev/null 2>&1 || need+=(emscripten)
fi
if [ "$what" = test ] || [ "$what" = c ]; then
  [ -f /usr/include/simde/wasm/simd128.h ] || need+=(libsimde-dev)
  # The fuzz targets (tests/fuzz): clang with its libFuzzer and sanitizer runtimes.
  command -v clang >/dev/null 2>&1 || need+=(clang)
  compgen -G '/usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a' >/dev/null || need+=(libclang-rt-14-dev)
fi
if [ "$what" = test ] || [ "$what" = browser ]; then
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
fi
# PyTorch for /usr/bin/python3: the PyTorch cross-checks of the tests (tests/js).
if [ "$what" = test ] || [ "$what" = js ] || [ "$what" = browser ]; then
  /usr/bin/python3 -c "import torch" >/dev/null 2>&1 || need+=(python3-torch)
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

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

# The benchmark measures modules built from the sources as they are now.
if [ "$what" = bench ]; then
  bash scripts/build.sh wasm
fi
