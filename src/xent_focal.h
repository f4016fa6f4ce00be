/* xent_focal.h: what the two focal kernel files share (docs/semantics.md 2.6,
 * 4.7 and 4.8): saturation to +-FLT_MAX, the focal power base^gamma (products
 * for gamma = 0..4, else xent_pow), gamma's small-integer test, and at width 4
 * the f64x2 row sums and the tails through a zeroed local copy. Included by
 * focal_binary.c (xent_binary_focal_crossentropy) and focal_categorical.c
 * (xent_categorical_focal_crossentropy), and for its generic helpers
 * (saturation, tails, f64x2 sums) by kl.c, weighted.c and, through
 * xent_lrow.h, poly.c and generalized.c; every helper is static inline so the
 * hot loops inline it. Not installed; the public
 * contract is xent.h. */
#ifndef XENT_FOCAL_H
#define XENT_FOCAL_H

#include <float.h>

#include "xent_internal.h"
#include "xent_math.h"

/* ---- Width 1 --------------------------------------------------------------- */

/* Saturate to [-FLT_MAX, FLT_MAX]; NaN passes (pmax then pmin). */
static inline float sat_scalar(float v) {
  v = v < -FLT_MAX ? -FLT_MAX : v;
  return FLT_MAX < v ? FLT_MAX : v;
}

/* base^gamma, base >= 0: xent_pow, or for gamma = n in 0..4 (the default 2
 * among them) n - 1 rounded products (at most 1.5 ulp; pow: 1 ulp), about
 * three times faster per element. Chosen per call, the same at both widths. */
static inline float focal_pow_scalar(float base, float gamma, int n) {
  if (n < 0) return xent_pow_scalar(base, gamma);
  float F = 1.0f;
  for (int i = 0; i < n; i++) F = F * base;
  return F;
}

/* Row sums at width 1 in the order of the f32x4 kernels' double lanes:
 * element i goes to acc[i % 4], and the four combine as (acc0 + acc2) +
 * (acc1 + acc3), which is what acc_f64 and sum_f64 below compute, so both
 * widths return the same sum bit for bit. */
static inline double sum4_scalar(const double *acc) { return (acc[0] + acc[2]) + (acc[1] + acc[3]); }

/* gamma as an integer 0..4 for focal_pow, else -1. */
static inline int small_integer(float gamma) {
  for (int n = 0; n <= 4; n++)
    if (gamma == (float)n) return n;
  return -1;
}

#if XENT_HAVE_SIMD128

/* ---- Width 4 (same steps and names as above) --------------------------------- */

/* The splat both focal files write their constants with. */
#define F4(c) wasm_f32x4_splat(c)

static inline v128_t sat_f32x4(v128_t v) {
  v = wasm_f32x4_pmax(v, F4(-FLT_MAX));
  return wasm_f32x4_pmin(v, F4(FLT_MAX));
}

static inline v128_t focal_pow_f32x4(v128_t base, v128_t gamma, int n) {
  if (n < 0) return xent_pow_f32x4(base, gamma);
  v128_t F = F4(1.0f);
  for (int i = 0; i < n; i++) F = wasm_f32x4_mul(F, base);
  return F;
}

/* Adds the four lanes of v to two f64x2 accumulators. */
static inline void acc_f64(v128_t *lo, v128_t *hi, v128_t v) {
  *lo = wasm_f64x2_add(*lo, wasm_f64x2_promote_low_f32x4(v));
  *hi = wasm_f64x2_add(*hi, wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(v, v, 2, 3, 2, 3)));
}

static inline double sum_f64(v128_t lo, v128_t hi) {
  v128_t s = wasm_f64x2_add(lo, hi);
  return wasm_f64x2_extract_lane(s, 0) + wasm_f64x2_extract_lane(s, 1);
}

/* Rows run four elements per step; the last step holds r = 1..3 real
 * elements, loaded lane by lane into zeroed lanes, masked out of every sum by
 * lanes_below(r), and stored back lane by lane (not memcpy, a libc call in
 * wasm): nothing is read or written past the row. (One branch per step on r,
 * none per element.) */
static inline size_t part(size_t n, size_t i) { return n - i < 4 ? n - i : 4; }

static inline v128_t lanes_below(size_t r) {
  return wasm_i32x4_lt(wasm_i32x4_make(0, 1, 2, 3), wasm_i32x4_splat((int32_t)r));
}

static inline v128_t load_part(const float *p, size_t r) {
  if (r == 4) return wasm_v128_load(p);
  v128_t v = wasm_f32x4_splat(0.0f);
  if (r > 0) v = wasm_f32x4_replace_lane(v, 0, p[0]);
  if (r > 1) v = wasm_f32x4_replace_lane(v, 1, p[1]);
  if (r > 2) v = wasm_f32x4_replace_lane(v, 2, p[2]);
  return v;
}

static inline void store_part(float *p, v128_t v, size_t r) {
  if (r == 4) {
    wasm_v128_store(p, v);
    return;
  }
  if (r > 0) p[0] = wasm_f32x4_extract_lane(v, 0);
  if (r > 1) p[1] = wasm_f32x4_extract_lane(v, 1);
  if (r > 2) p[2] = wasm_f32x4_extract_lane(v, 2);
}

#endif /* XENT_HAVE_SIMD128 */

#endif /* XENT_FOCAL_H */
