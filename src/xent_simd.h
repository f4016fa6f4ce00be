/* xent_simd.h: selects the kernel width. XENT_HAVE_SIMD128 is 1 when the
 * f32x4 kernels are compiled: under -msimd128 (the wasm SIMD module), or in
 * native builds with XENT_USE_SIMDE, where SIMDe's simde/wasm/simd128.h
 * (Debian's libsimde-dev) provides the same intrinsics so the f32x4 kernels run
 * under ctest, sanitizers and fuzzers. Every other build runs the scalar
 * kernels. */
#ifndef XENT_SIMD_H
#define XENT_SIMD_H

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#define XENT_HAVE_SIMD128 1
#elif defined(XENT_USE_SIMDE)
#define SIMDE_WASM_SIMD128_ENABLE_NATIVE_ALIASES
#include <simde/wasm/simd128.h>
#define XENT_HAVE_SIMD128 1
#else
#define XENT_HAVE_SIMD128 0
#endif

#endif /* XENT_SIMD_H */
