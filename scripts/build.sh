#!/usr/bin/env bash
# build.sh [wasm|check-wasm|native|sanitize|all]: builds from the C sources.
#   wasm        the two wasm modules into dist/ and the ES modules that inline
#               them (js/wasm/*.js). These are tracked in git (the package ships
#               them): after changing src/ or CMakeLists.txt, run this
#               (`npm run build`) and commit dist/ and js/wasm/.
#   check-wasm  rebuilds both modules in a scratch folder and compares them byte
#               for byte with the committed ones; exit 1 (with the fix) if they
#               differ, 77 if the Emscripten found is not the pinned one.
#   native      the library and the C tests in build/native (gcc, ctest).
#   sanitize    the same under ASan + UBSan in build/sanitize.
# Needs cmake, a C compiler and Emscripten (emsdk-env.sh finds it); `npm start`
# and the JS tests need none of this.
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-all}"
jobs="$(nproc 2>/dev/null || echo 2)"
# The committed modules are built by Debian's emscripten package, version:
PINNED_EMSCRIPTEN=3.1.6

# configure DIR [cmake args...]: a build folder moved or copied with the
# repository records the old absolute source path, and CMake refuses to reuse
# it; such a stale folder is started afresh.
configure() {
  local dir="$1" cache="$1/CMakeCache.txt" home
  shift
  if [ -f "$cache" ]; then
    home="$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$cache")"
    if [ "$home" != "$PWD" ] && [ "$home" != "$(pwd -P)" ]; then
      echo "xent: $dir was configured for $home; reconfiguring it for $PWD" >&2
      rm -rf "$dir"
    fi
  fi
  local log
  if ! log="$("$@" -S . -B "$dir" 2>&1)"; then
    echo "$log" >&2
    return 1
  fi
}

# The version emcc reports. A failing `emcc --version` says so with its output
# (under `set -e` a silent failure here used to end the script with no word).
emscripten_version() {
  local out
  if ! out="$(emcc --version 2>&1)"; then
    printf 'xent: `emcc --version` failed:\n%s\n' "$out" >&2
    return 1
  fi
  out="${out%%$'\n'*}"
  if [[ $out =~ [0-9]+\.[0-9]+\.[0-9]+ ]]; then echo "${BASH_REMATCH[0]}"; fi
}

# wasm_into BUILD_DIR OUT_DIR: builds both modules, writes OUT_DIR/dist/*.wasm
# and OUT_DIR/js/wasm/*.js.
wasm_into() {
  local dir="$1" out="$2"
  configure "$dir" emcmake cmake -DCMAKE_BUILD_TYPE=Release
  cmake --build "$dir" -j "$jobs" >/dev/null
  mkdir -p "$out/dist" "$out/js/wasm"
  cp "$dir/xent-simd.wasm" "$dir/xent.wasm" "$out/dist/"
  node scripts/inline-wasm.js "$out/dist/xent-simd.wasm" "$out/js/wasm/simd.js" dist/xent-simd.wasm
  node scripts/inline-wasm.js "$out/dist/xent.wasm" "$out/js/wasm/scalar.js" dist/xent.wasm
}

if [ "$what" = native ] || [ "$what" = all ]; then
  configure build/native cmake -DCMAKE_BUILD_TYPE=Release
  cmake --build build/native -j "$jobs" >/dev/null
fi

if [ "$what" = sanitize ] || [ "$what" = all ]; then
  configure build/sanitize cmake -DCMAKE_BUILD_TYPE=RelWithDebInfo -DXENT_SANITIZE=ON
  cmake --build build/sanitize -j "$jobs" >/dev/null
fi

if [ "$what" = wasm ] || [ "$what" = all ]; then
  # shellcheck disable=SC1091
  . ./emsdk-env.sh
  found="$(emscripten_version)"
  if [ "$found" != "$PINNED_EMSCRIPTEN" ]; then
    echo "xent: warning: Emscripten $found found; the committed modules are built with $PINNED_EMSCRIPTEN" \
      "(Debian's emscripten package), so the modules built now will differ from them byte for byte." >&2
  fi
  wasm_into build/wasm .
fi

if [ "$what" = check-wasm ]; then
  # shellcheck disable=SC1091
  . ./emsdk-env.sh
  found="$(emscripten_version)"
  if [ "$found" != "$PINNED_EMSCRIPTEN" ]; then
    echo "skipped: Emscripten $found found, but the committed modules are built with $PINNED_EMSCRIPTEN" \
      "(Debian's emscripten package); install that to check them against the sources"
    exit 77
  fi
  scratch="$(mktemp -d "${TMPDIR:-/tmp}/xent-check-wasm.XXXXXX")"
  trap 'rm -rf "$scratch"' EXIT
  wasm_into "$scratch/build" "$scratch/out"
  differ=()
  for f in dist/xent-simd.wasm dist/xent.wasm js/wasm/simd.js js/wasm/scalar.js; do
    if [ ! -f "$f" ]; then
      differ+=("$f (missing)")
    elif ! cmp -s "$f" "$scratch/out/$f"; then
      differ+=("$f ($(wc -c <"$f") bytes committed, $(wc -c <"$scratch/out/$f") built)")
    fi
  done
  if [ "${#differ[@]}" -gt 0 ]; then
    echo "The committed wasm modules differ from what the C sources build with Emscripten $found:"
    printf '  %s\n' "${differ[@]}"
    echo "Fix: run \`npm run build\`, then commit dist/ and js/wasm/ with your source change" \
      "(git add dist js/wasm)."
    exit 1
  fi
  echo "dist/*.wasm and js/wasm/*.js are what the sources build with Emscripten $found"
fi
