/* xent_row.h: small row helpers shared by the softmax-family kernels
 * (categorical.c, softmax.c, sparse.c): the row maximum (pass 1), f32 -> f64
 * promotion and horizontal sums for the double row sums, and the tails that go
 * through a padded local copy or lane by lane, so that no kernel reads or
 * writes past a buffer. */
#ifndef XENT_ROW_H
#define XENT_ROW_H

#include <float.h>
#include <stddef.h>

#include "xent_internal.h"

#if defined(__GNUC__) || defined(__clang__)
#define XENT_ALWAYS_INLINE __attribute__((always_inline))
#else
#define XENT_ALWAYS_INLINE
#endif

/* +-Inf to +-FLT_MAX; NaN stays NaN (as wasm's f32x4.min/max do). */
static inline float clamp_finite(float v) {
  v = FLT_MAX < v ? FLT_MAX : v;
  return v < -FLT_MAX ? -FLT_MAX : v;
}

/* Tails are copied element by element, not with memcpy, which in wasm is a
 * call into libc that costs about as much as a whole 10-class row (benchmark
 * W5). copy3: dst[0..t) = src[0..t) for t < 4; copy_short the same for
 * t < 16; pad16: a block of 16 through a local copy, t elements of src and
 * the rest `pad`. */
static inline void copy3(float *dst, const float *src, size_t t) {
  if (t > 0) dst[0] = src[0];
  if (t > 1) dst[1] = src[1];
  if (t > 2) dst[2] = src[2];
}
static inline void copy_short(float *dst, const float *src, size_t t) {
  for (size_t i = 0; i < 16; i++)
    if (i < t) dst[i] = src[i];
}
static inline void pad16(float *dst, const float *src, size_t t, float pad) {
  for (size_t i = 0; i < 16; i++) dst[i] = i < t ? src[i] : pad;
}

/* Pass 1 of a row whose maximum was not found during the previous row's pass 2. */
XENT_MAYBE_UNUSED static float row_max_scalar(const float *z, size_t n) {
  float m = z[0];
  for (size_t j = 1; j < n; j++) m = m < z[j] ? z[j] : m;
  return m;
}

#if XENT_HAVE_SIMD128

/* The low and high float pairs of v as f64x2, and the sum of an f64x2. */
static inline v128_t lo64(v128_t v) { return wasm_f64x2_promote_low_f32x4(v); }
static inline v128_t hi64(v128_t v) {
  return wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(v, v, 2, 3, 2, 3));
}
static inline double hsum64(v128_t v) {
  return wasm_f64x2_extract_lane(v, 0) + wasm_f64x2_extract_lane(v, 1);
}
/* acc + v in the double lanes: lane 0 gets v0 + v2, lane 1 v1 + v3. */
static inline v128_t add64(v128_t acc, v128_t v) {
  return wasm_f64x2_add(acc, wasm_f64x2_add(lo64(v), hi64(v)));
}
/* Two f64x2 as one f32x4, and a clamp to +-FLT_MAX. */
static inline v128_t demote2(v128_t lo, v128_t hi) {
  return wasm_i32x4_shuffle(wasm_f32x4_demote_f64x2_zero(lo), wasm_f32x4_demote_f64x2_zero(hi),
                            0, 1, 4, 5);
}
static inline v128_t clamp_finite_f32x4(v128_t v) {
  v = wasm_f32x4_min(v, wasm_f32x4_splat(FLT_MAX));
  return wasm_f32x4_max(v, wasm_f32x4_splat(-FLT_MAX));
}

/* The last t = n % 4 elements lane by lane, the other lanes `pad`; and the
 * lane mask of those t elements. */
static inline v128_t load_tail(const float *src, size_t t, float pad) {
  v128_t v = wasm_f32x4_splat(pad);
  if (t > 0) v = wasm_f32x4_replace_lane(v, 0, src[0]);
  if (t > 1) v = wasm_f32x4_replace_lane(v, 1, src[1]);
  if (t > 2) v = wasm_f32x4_replace_lane(v, 2, src[2]);
  return v;
}
static inline void store_tail(float *dst, v128_t v, size_t t) {
  if (t > 0) dst[0] = wasm_f32x4_extract_lane(v, 0);
  if (t > 1) dst[1] = wasm_f32x4_extract_lane(v, 1);
  if (t > 2) dst[2] = wasm_f32x4_extract_lane(v, 2);
}
static inline v128_t tail_keep(size_t t) {
  return wasm_i32x4_lt(wasm_i32x4_make(0, 1, 2, 3), wasm_i32x4_splat((int32_t)t));
}

/* The largest lane, and pass 1 over a row in f32x4. */
static inline float hmax_f32x4(v128_t m) {
  m = wasm_f32x4_pmax(m, wasm_i32x4_shuffle(m, m, 2, 3, 0, 1));
  m = wasm_f32x4_pmax(m, wasm_i32x4_shuffle(m, m, 1, 0, 3, 2));
  return wasm_f32x4_extract_lane(m, 0);
}
static float row_max_f32x4(const float *z, size_t n) {
  size_t n4 = n & ~(size_t)3;
  v128_t m0 = wasm_f32x4_splat(z[0]), m1 = m0;
  size_t j = 0;
  for (; j + 8 <= n4; j += 8) {
    m0 = wasm_f32x4_pmax(m0, wasm_v128_load(z + j));
    m1 = wasm_f32x4_pmax(m1, wasm_v128_load(z + j + 4));
  }
  for (; j < n4; j += 4) m0 = wasm_f32x4_pmax(m0, wasm_v128_load(z + j));
  m0 = wasm_f32x4_pmax(m0, wasm_f32x4_pmax(m1, load_tail(z + n4, n - n4, z[0])));
  return hmax_f32x4(m0);
}

#endif /* XENT_HAVE_SIMD128 */

#endif /* XENT_ROW_H */
