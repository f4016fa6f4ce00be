#!/usr/bin/env bash
# rename.sh OUT OBJ...: links the f32x4 build's objects into one relocatable
# object OUT whose global xent* symbols are renamed xs_xent*, so that the fuzz
# targets (fuzz_xent.c) link the scalar and the f32x4 builds of the same
# source side by side. Called by CMakeLists.txt under -DXENT_FUZZ=ON.
set -euo pipefail
out="$1"
shift
ld -r -o "$out.all.o" "$@"
nm --defined-only -g "$out.all.o" | awk '$3 ~ /^xent/ { print $3, "xs_" $3 }' > "$out.map"
objcopy --redefine-syms="$out.map" "$out.all.o" "$out"
rm -f "$out.all.o"
