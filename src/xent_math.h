/* xent_math.h: the elementary functions every loss kernel needs, exp, log,
 * log1p, log1p(exp(-|x|)), sigmoid and pow, each at width 1 (_scalar) and
 * width 4 (_f32x4, only when XENT_HAVE_SIMD128). Serves docs/semantics.md sections
 * 1 (Keras clipping and log), 2 (softmax and sigmoid cross-entropy: exp,
 * log-sum-exp, log1p(exp(-|x|))) and the focal factor pow(1 - p, gamma).
 * Included by the loss kernels in src/ (binary, categorical and softmax,
 * sparse, focal), probe.c, tests/c/test_math.c and bench/passes.c.
 *
 * Both widths use the same constants and the same operations in the same
 * order, and the f32x4 code has no branches (compare + bitselect, pmin/pmax):
 * compiled with -ffp-contract=off every lane is bit-identical to the scalar
 * function (tests/c/test_math.c checks it). Rounding to an integer is the
 * magic-number add/subtract (0x1.8p23 for float, 0x1.8p52 for double) in both.
 * Error figures are the maxima measured by tests/c/test_math.c, 2^20
 * bit-uniform samples per domain against the double libm value.
 *
 * Portability note: the scalar code assumes float arithmetic is evaluated in
 * float (FLT_EVAL_METHOD == 0: x86-64 SSE, wasm, arm64), as everywhere we
 * build. */
#ifndef XENT_MATH_H
#define XENT_MATH_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "xent_simd.h"

/* ---- shared constants ---- */
#define XENT_M_LOG2E 0x1.715476p+0f       /* 1/ln 2 */
#define XENT_M_LN2_HI 0x1.62E400p-1f      /* ln 2, 15 significant bits: n*hi is exact for |n| < 512 */
#define XENT_M_LN2_LO 0x1.7F7D1Cp-20f     /* ln 2 - hi */
#define XENT_M_MAGIC 0x1.8p23f            /* x + magic - magic = x rounded to nearest int */
#define XENT_M_EXP_LO -0x1.5D589Ep+6f     /* -87.33654: smallest x with exp(x) >= FLT_MIN */
#define XENT_M_EXP_HI 0x1.63p+6f          /* 88.75 > ln(FLT_MAX): exp overflows to +inf */
/* exp(r) = 1 + r + r^2 (c2 + c3 r + c4 r^2 + c5 r^3 + c6 r^4) on |r| <= ln2/2:
 * minimax for relative error (fitted for this file by iterated reweighted
 * least squares, coefficients rounded to float), max error 3.6e-9 = 0.03 ulp. */
#define XENT_M_EXP_C2 0x1.fffffcp-2f
#define XENT_M_EXP_C3 0x1.555492p-3f
#define XENT_M_EXP_C4 0x1.5558f2p-5f
#define XENT_M_EXP_C5 0x1.123a20p-7f
#define XENT_M_EXP_C6 0x1.6a23cep-10f
/* log: m in [sqrt(1/2), sqrt(2)), f = m - 1 (exact),
 * log(1 + f) = f - f^2/2 + f^3 P(f) with P of degree 7: minimax for the
 * relative error of log(1 + f) on [sqrt(1/2) - 1, sqrt(2) - 1], max fit
 * error 0.098 ulp (`node scripts/fit-poly.js log 7` refits it: Lawson's
 * iteratively reweighted least squares, coefficients rounded to float one at
 * a time with the rest refitted). No division: f / (2 + f) of the atanh form
 * cost as much as the whole polynomial (bench/README.md). */
#define XENT_M_LOG_P0 0x1.555554p-2f
#define XENT_M_LOG_P1 -0x1.000226p-2f
#define XENT_M_LOG_P2 0x1.99a01cp-3f
#define XENT_M_LOG_P3 -0x1.54728ap-3f
#define XENT_M_LOG_P4 0x1.22d92ep-3f
#define XENT_M_LOG_P5 -0x1.0d8242p-3f
#define XENT_M_LOG_P6 0x1.055ec6p-3f
#define XENT_M_LOG_P7 -0x1.38c9dep-4f
/* log1p(e) for e in [0, 1] (softplus): e - e^2/2 + e^3 T(e), T of degree 8
 * fitted the same way on [0, 1] (`node scripts/fit-poly.js sp 8`), max fit
 * error 0.020 ulp. 1 + e needs no range reduction: a polynomial and nothing
 * else. */
#define XENT_M_L1P_T0 0x1.5554b4p-2f
#define XENT_M_L1P_T1 -0x1.ffdcf4p-3f
#define XENT_M_L1P_T2 0x1.981792p-3f
#define XENT_M_L1P_T3 -0x1.4c5c3ep-3f
#define XENT_M_L1P_T4 0x1.03af58p-3f
#define XENT_M_L1P_T5 -0x1.5ff16cp-4f
#define XENT_M_L1P_T6 0x1.6aee18p-5f
#define XENT_M_L1P_T7 -0x1.e12ee0p-7f
#define XENT_M_L1P_T8 0x1.2a6f76p-9f
#define XENT_M_SQRTHALF_BITS 0x3F3504F3u  /* sqrt(1/2) as float bits */

static inline uint32_t xent__f2u(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
static inline float xent__u2f(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }
static inline uint64_t xent__d2u(double f) { uint64_t u; memcpy(&u, &f, 8); return u; }
static inline double xent__u2d(uint64_t u) { double f; memcpy(&f, &u, 8); return f; }

/* ---- exp ----
 * Range reduction: n = round(x / ln2) (magic add), r = x - n ln2_hi - n ln2_lo
 * (the first product and difference are exact), |r| <= ln2/2.
 * Polynomial: the degree-6 minimax above, e = 1 + (r + r^2 P(r)).
 * Reconstruction: exp(x) = e 2^n1 2^n2 with n1 = floor(n/2), n2 = n - n1, so
 * n = 128 (x just below ln FLT_MAX) needs no special case.
 * Range: x is clamped to [-87.33654, 88.75] first (pmax/pmin keep NaN);
 * x < -87.33654 gives exactly 0 (-inf, -1e30 too: results that would be
 * denormal are flushed, so no denormal is ever produced); x > 88.7228 gives
 * +inf; NaN gives NaN; exp(0) = 1 exactly.
 * Measured: max 0.92 ulp on [-87.33, 88.72] (bound asserted: 1 ulp). */
static inline float xent_exp_scalar(float x) {
  float xc = x < XENT_M_EXP_LO ? XENT_M_EXP_LO : x;
  xc = XENT_M_EXP_HI < xc ? XENT_M_EXP_HI : xc;
  float nm = xc * XENT_M_LOG2E + XENT_M_MAGIC;
  float n = nm - XENT_M_MAGIC;
  float r = xc - n * XENT_M_LN2_HI;
  r = r - n * XENT_M_LN2_LO;
  float p = XENT_M_EXP_C6;
  p = p * r + XENT_M_EXP_C5;
  p = p * r + XENT_M_EXP_C4;
  p = p * r + XENT_M_EXP_C3;
  p = p * r + XENT_M_EXP_C2;
  p = (r * r) * p + r;
  float e = 1.0f + p;
  uint32_t ni = xent__f2u(nm) - xent__f2u(XENT_M_MAGIC);
  uint32_t n1 = ((ni + 256u) >> 1) - 128u;
  float s1 = xent__u2f((n1 + 127u) << 23);
  float s2 = xent__u2f((ni - n1 + 127u) << 23);
  float y = (e * s1) * s2;
  return x < XENT_M_EXP_LO ? 0.0f : y;
}

/* ---- log of a positive normal x (the reduction and polynomial; log core
 * below adds denormals). bias is the exponent bias, 127 (150 for an x scaled
 * by 2^23). Returns log(x) as k ln2_hi + (f - (hfsq - (f^3 P(f) + (k ln2_lo + c))))
 * where c is the caller's correction term (0 for log). */
static inline float xent__log_reduced_scalar(float xs, int32_t bias, float c) {
  uint32_t ix = xent__f2u(xs) + (0x3F800000u - XENT_M_SQRTHALF_BITS);
  int32_t k = (int32_t)(ix >> 23) - bias;
  float m = xent__u2f((ix & 0x007FFFFFu) + XENT_M_SQRTHALF_BITS);
  float f = m - 1.0f;
  float z = f * f;
  float P01 = XENT_M_LOG_P1 * f + XENT_M_LOG_P0, P23 = XENT_M_LOG_P3 * f + XENT_M_LOG_P2;
  float P45 = XENT_M_LOG_P5 * f + XENT_M_LOG_P4, P67 = XENT_M_LOG_P7 * f + XENT_M_LOG_P6;
  float P = (P67 * z + P45) * (z * z) + (P23 * z + P01);
  float t = (z * f) * P;
  float hfsq = 0.5f * z;
  float kf = (float)k;
  return kf * XENT_M_LN2_HI + (f - (hfsq - (t + (kf * XENT_M_LN2_LO + c))));
}

/* ---- log core: x > 0 normal or denormal, finite; specials by the callers.
 * Denormals are scaled by 2^23 first (exact). */
static inline float xent__log_core_scalar(float x, float c) {
  int tiny = x < 0x1p-126f;
  return xent__log_reduced_scalar(tiny ? x * 0x1p23f : x, tiny ? 150 : 127, c);
}

/* log(x) for x known positive, normal and finite (a clipped probability). */
static inline float xent__log_normal_scalar(float x) { return xent__log_reduced_scalar(x, 127, 0.0f); }

/* ---- log ----
 * Range reduction: x = 2^k m, m in [sqrt(1/2), sqrt(2)) from the bits
 * (denormals scaled by 2^23 first); polynomial: f - f^2/2 + f^3 P(f) above.
 * log(+-0) = -inf, log(x < 0) = NaN, log(+inf) = +inf, NaN -> NaN, log(1) = 0.
 * Measured: max 0.87 ulp on [0.5, 2], 0.76 ulp on (0, FLT_MAX] including
 * denormals (bound asserted: 1 ulp). */
static inline float xent_log_scalar(float x) {
  float y = xent__log_core_scalar(x, 0.0f);
  y = x >= 0.0f ? y : xent__u2f(0x7FC00000u);
  y = x == 0.0f ? -INFINITY : y;
  y = x == INFINITY ? INFINITY : y;
  return y;
}

/* ---- log1p core: u = 1 + x (never denormal for x >= -1), log(u) plus the
 * correction c/u, c = 1 + x - u the rounding error of u, exact by Fast2Sum:
 * 1 - (u - x) when x > 1, x - (u - 1) otherwise. */
static inline float xent__log1p_core_scalar(float x) {
  float u = 1.0f + x;
  float c = x > 1.0f ? 1.0f - (u - x) : x - (u - 1.0f);
  c = c / u;
  return xent__log_core_scalar(u, c);
}

/* ---- log1p ----
 * log(1 + x) through the log core on u = 1 + x with the correction c/u above,
 * so tiny x gives x (log1p(1e-10) = 1e-10, denormals pass through).
 * log1p(-1) = -inf, x < -1 -> NaN, +inf -> +inf, NaN -> NaN.
 * Measured: max 0.91 ulp on [-1, FLT_MAX], 0.66 ulp on [-1e-3, 1e-3]
 * (bound asserted: 1 ulp). */
static inline float xent_log1p_scalar(float x) {
  float y = xent__log1p_core_scalar(x);
  y = x >= -1.0f ? y : xent__u2f(0x7FC00000u);
  y = x == -1.0f ? -INFINITY : y;
  y = x == INFINITY ? INFINITY : y;
  return y;
}

/* ---- log1p on [0, 1] (softplus core) ----
 * e - (e^2/2 - e^3 T(e)) with T above: no division, no range reduction; e of
 * 0 gives 0 and tiny e gives e. Only for 0 <= e <= 1 (exp(-|x|)). */
static inline float xent__log1p_unit_scalar(float e) {
  float z = e * e, z2 = z * z;
  float T01 = XENT_M_L1P_T1 * e + XENT_M_L1P_T0, T23 = XENT_M_L1P_T3 * e + XENT_M_L1P_T2;
  float T45 = XENT_M_L1P_T5 * e + XENT_M_L1P_T4, T67 = XENT_M_L1P_T7 * e + XENT_M_L1P_T6;
  float T = ((XENT_M_L1P_T8 * z2 + (T67 * z + T45)) * z2) + (T23 * z + T01);
  return e - (0.5f * z - (z * e) * T);
}

/* ---- softplus(-|x|) = log1p(exp(-|x|)) ----
 * exp and the log1p-on-[0, 1] core above, e = exp(-|x|) in [0, 1]. Equals
 * log1p(e) for every x (including +-1e30 and +-inf, which give 0); values
 * below FLT_MIN (|x| > 87.3) are flushed to 0 like exp's. NaN -> NaN.
 * Measured: max 1.64 ulp relative to log1p(exp(-|x|)) over all finite x
 * (bound asserted: 2 ulp). */
static inline float xent_softplus_neg_abs_scalar(float x) {
  float e = xent_exp_scalar(-fabsf(x));
  return xent__log1p_unit_scalar(e);
}

/* ---- sigmoid ----
 * e = exp(-|x|), q = e / (1 + e) = sigmoid(-|x|) in [0, 1/2]; sigmoid(x) =
 * 1 - q for x >= 0, q otherwise: no overflow, and 1 - q rounds once, so the
 * result is exactly 1 only where float32 forces it (1 - sigmoid(x) < 2^-25,
 * x > 17.33; sigmoid(17) = 1 - 4e-8 stays below 1). Returns 0 where
 * sigmoid(x) < FLT_MIN (x < -87.34, exp's flush); +-inf -> 1 / 0, NaN -> NaN.
 * Measured: max 2.01 ulp over all finite x, 1.97 on [-87, 87] (bound
 * asserted: 2.5 ulp). */
static inline float xent_sigmoid_scalar(float x) {
  float e = xent_exp_scalar(-fabsf(x));
  float q = e / (1.0f + e);
  return x >= 0.0f ? 1.0f - q : q;
}

/* ---- pow for base >= 0, gamma >= 0 ----
 * Computed in double so the error of gamma log(base) (up to 104 in size)
 * does not reach the float result: base = 2^k m as in log (float bits), then
 * in double: log m = 2s + s R(z), R = z (2/3 + 2/5 z + ... + 2/13 z^5), the
 * atanh series (z <= 0.0295, truncation < 2e-12), y = gamma (k ln2 + log m)
 * clamped to [-104, 89], exp(y) = 2^n exp(r), n = round(y / ln2) by the 0x1.8p52
 * magic, r = y - n ln2, exp(r) by its Taylor polynomial of degree 9 (|r| <=
 * ln2/2, error < 7e-12), then rounded once to float (results below 2^-150
 * become 0, above FLT_MAX +inf, denormals are correctly produced).
 * pow(b, 0) = 1 for every b, pow(0, g > 0) = 0, pow(1, g) = 1,
 * pow(+inf, g > 0) = +inf, base < 0 or NaN -> NaN, gamma NaN -> NaN.
 * Measured: max 0.50 ulp (correctly rounded on every sample) for base in
 * [0, 1e4] and gamma in {0.25, ..., 10} (bound asserted: 1 ulp). */
#define XENT_M_LN2_D 0x1.62E42FEFA39EFp-1
#define XENT_M_LOG2E_D 0x1.71547652B82FEp+0
#define XENT_M_MAGIC_D 0x1.8p52

static inline double xent__pow_core_d(double m, double kd, double g) {
  double f = m - 1.0;
  double s = f / (2.0 + f);
  double z = s * s;
  double R = 2.0 / 13.0;
  R = R * z + 2.0 / 11.0;
  R = R * z + 2.0 / 9.0;
  R = R * z + 2.0 / 7.0;
  R = R * z + 2.0 / 5.0;
  R = R * z + 2.0 / 3.0;
  R = R * z;
  double l = kd * XENT_M_LN2_D + (2.0 * s + s * R);
  double y = g * l;
  y = y < -104.0 ? -104.0 : y;
  y = 89.0 < y ? 89.0 : y;
  double nm = y * XENT_M_LOG2E_D + XENT_M_MAGIC_D;
  double n = nm - XENT_M_MAGIC_D;
  double r = y - n * XENT_M_LN2_D;
  double p = 1.0 / 362880.0;
  p = p * r + 1.0 / 40320.0;
  p = p * r + 1.0 / 5040.0;
  p = p * r + 1.0 / 720.0;
  p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  p = p * r + 0.5;
  p = p * r + 1.0;
  p = p * r + 1.0;
  uint64_t ni = xent__d2u(nm) - xent__d2u(XENT_M_MAGIC_D);
  double sc = xent__u2d((ni + 1023u) << 52);
  return p * sc;
}

static inline float xent_pow_scalar(float base, float gamma) {
  int tiny = base < 0x1p-126f;
  float bs = tiny ? base * 0x1p23f : base;
  uint32_t ix = xent__f2u(bs) + (0x3F800000u - XENT_M_SQRTHALF_BITS);
  int32_t k = (int32_t)(ix >> 23) - (tiny ? 150 : 127);
  float m = xent__u2f((ix & 0x007FFFFFu) + XENT_M_SQRTHALF_BITS);
  float y = (float)xent__pow_core_d((double)m, (double)k, (double)gamma);
  y = base == 0.0f ? 0.0f : y;
  y = base == INFINITY ? INFINITY : y;
  y = base >= 0.0f ? y : xent__u2f(0x7FC00000u);
  y = gamma == 0.0f ? 1.0f : y;
  return y;
}

#if XENT_HAVE_SIMD128

#define XENT__F(c) wasm_f32x4_splat(c)
#define XENT__I(c) wasm_i32x4_splat((int32_t)(c))
#define XENT__MA(a, b, c) wasm_f32x4_add(wasm_f32x4_mul(a, b), c) /* a b + c, two roundings */

static inline v128_t xent_exp_f32x4(v128_t x) {
  v128_t xc = wasm_f32x4_pmax(x, XENT__F(XENT_M_EXP_LO));
  xc = wasm_f32x4_pmin(xc, XENT__F(XENT_M_EXP_HI));
  v128_t nm = wasm_f32x4_add(wasm_f32x4_mul(xc, XENT__F(XENT_M_LOG2E)), XENT__F(XENT_M_MAGIC));
  v128_t n = wasm_f32x4_sub(nm, XENT__F(XENT_M_MAGIC));
  v128_t r = wasm_f32x4_sub(xc, wasm_f32x4_mul(n, XENT__F(XENT_M_LN2_HI)));
  r = wasm_f32x4_sub(r, wasm_f32x4_mul(n, XENT__F(XENT_M_LN2_LO)));
  v128_t p = XENT__F(XENT_M_EXP_C6);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), XENT__F(XENT_M_EXP_C5));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), XENT__F(XENT_M_EXP_C4));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), XENT__F(XENT_M_EXP_C3));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), XENT__F(XENT_M_EXP_C2));
  p = wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_mul(r, r), p), r);
  v128_t e = wasm_f32x4_add(XENT__F(1.0f), p);
  v128_t ni = wasm_i32x4_sub(nm, XENT__F(XENT_M_MAGIC));
  v128_t n1 = wasm_i32x4_sub(wasm_u32x4_shr(wasm_i32x4_add(ni, XENT__I(256)), 1), XENT__I(128));
  v128_t s1 = wasm_i32x4_shl(wasm_i32x4_add(n1, XENT__I(127)), 23);
  v128_t s2 = wasm_i32x4_shl(wasm_i32x4_add(wasm_i32x4_sub(ni, n1), XENT__I(127)), 23);
  v128_t y = wasm_f32x4_mul(wasm_f32x4_mul(e, s1), s2);
  return wasm_v128_andnot(y, wasm_f32x4_lt(x, XENT__F(XENT_M_EXP_LO)));
}

static inline v128_t xent__log_reduced_f32x4(v128_t xs, v128_t bias, v128_t c) {
  v128_t ix = wasm_i32x4_add(xs, XENT__I(0x3F800000u - XENT_M_SQRTHALF_BITS));
  v128_t k = wasm_i32x4_sub(wasm_u32x4_shr(ix, 23), bias);
  v128_t m = wasm_i32x4_add(wasm_v128_and(ix, XENT__I(0x007FFFFFu)), XENT__I(XENT_M_SQRTHALF_BITS));
  v128_t f = wasm_f32x4_sub(m, XENT__F(1.0f));
  v128_t z = wasm_f32x4_mul(f, f);
  v128_t P01 = XENT__MA(XENT__F(XENT_M_LOG_P1), f, XENT__F(XENT_M_LOG_P0));
  v128_t P23 = XENT__MA(XENT__F(XENT_M_LOG_P3), f, XENT__F(XENT_M_LOG_P2));
  v128_t P45 = XENT__MA(XENT__F(XENT_M_LOG_P5), f, XENT__F(XENT_M_LOG_P4));
  v128_t P67 = XENT__MA(XENT__F(XENT_M_LOG_P7), f, XENT__F(XENT_M_LOG_P6));
  v128_t P = XENT__MA(XENT__MA(P67, z, P45), wasm_f32x4_mul(z, z), XENT__MA(P23, z, P01));
  v128_t t = wasm_f32x4_mul(wasm_f32x4_mul(z, f), P);
  v128_t hfsq = wasm_f32x4_mul(XENT__F(0.5f), z);
  v128_t kf = wasm_f32x4_convert_i32x4(k);
  t = wasm_f32x4_add(t, wasm_f32x4_add(wasm_f32x4_mul(kf, XENT__F(XENT_M_LN2_LO)), c));
  t = wasm_f32x4_sub(f, wasm_f32x4_sub(hfsq, t));
  return wasm_f32x4_add(wasm_f32x4_mul(kf, XENT__F(XENT_M_LN2_HI)), t);
}

static inline v128_t xent__log_core_f32x4(v128_t x, v128_t c) {
  v128_t tiny = wasm_f32x4_lt(x, XENT__F(0x1p-126f));
  return xent__log_reduced_f32x4(wasm_v128_bitselect(wasm_f32x4_mul(x, XENT__F(0x1p23f)), x, tiny),
                                 wasm_v128_bitselect(XENT__I(150), XENT__I(127), tiny), c);
}

static inline v128_t xent__log_normal_f32x4(v128_t x) {
  return xent__log_reduced_f32x4(x, XENT__I(127), XENT__F(0.0f));
}

static inline v128_t xent_log_f32x4(v128_t x) {
  v128_t y = xent__log_core_f32x4(x, XENT__F(0.0f));
  y = wasm_v128_bitselect(y, XENT__I(0x7FC00000u), wasm_f32x4_ge(x, XENT__F(0.0f)));
  y = wasm_v128_bitselect(XENT__F(-INFINITY), y, wasm_f32x4_eq(x, XENT__F(0.0f)));
  y = wasm_v128_bitselect(XENT__F(INFINITY), y, wasm_f32x4_eq(x, XENT__F(INFINITY)));
  return y;
}

static inline v128_t xent__log1p_core_f32x4(v128_t x) {
  v128_t u = wasm_f32x4_add(XENT__F(1.0f), x);
  v128_t c = wasm_v128_bitselect(wasm_f32x4_sub(XENT__F(1.0f), wasm_f32x4_sub(u, x)),
                                 wasm_f32x4_sub(x, wasm_f32x4_sub(u, XENT__F(1.0f))),
                                 wasm_f32x4_gt(x, XENT__F(1.0f)));
  c = wasm_f32x4_div(c, u);
  return xent__log_core_f32x4(u, c);
}

static inline v128_t xent_log1p_f32x4(v128_t x) {
  v128_t y = xent__log1p_core_f32x4(x);
  y = wasm_v128_bitselect(y, XENT__I(0x7FC00000u), wasm_f32x4_ge(x, XENT__F(-1.0f)));
  y = wasm_v128_bitselect(XENT__F(-INFINITY), y, wasm_f32x4_eq(x, XENT__F(-1.0f)));
  y = wasm_v128_bitselect(XENT__F(INFINITY), y, wasm_f32x4_eq(x, XENT__F(INFINITY)));
  return y;
}

static inline v128_t xent__log1p_unit_f32x4(v128_t e) {
  v128_t z = wasm_f32x4_mul(e, e), z2 = wasm_f32x4_mul(z, z);
  v128_t T01 = XENT__MA(XENT__F(XENT_M_L1P_T1), e, XENT__F(XENT_M_L1P_T0));
  v128_t T23 = XENT__MA(XENT__F(XENT_M_L1P_T3), e, XENT__F(XENT_M_L1P_T2));
  v128_t T45 = XENT__MA(XENT__F(XENT_M_L1P_T5), e, XENT__F(XENT_M_L1P_T4));
  v128_t T67 = XENT__MA(XENT__F(XENT_M_L1P_T7), e, XENT__F(XENT_M_L1P_T6));
  v128_t T = XENT__MA(XENT__MA(XENT__F(XENT_M_L1P_T8), z2, XENT__MA(T67, z, T45)), z2,
                      XENT__MA(T23, z, T01));
  return wasm_f32x4_sub(e, wasm_f32x4_sub(wasm_f32x4_mul(XENT__F(0.5f), z),
                                          wasm_f32x4_mul(wasm_f32x4_mul(z, e), T)));
}

static inline v128_t xent_softplus_neg_abs_f32x4(v128_t x) {
  v128_t e = xent_exp_f32x4(wasm_f32x4_neg(wasm_f32x4_abs(x)));
  return xent__log1p_unit_f32x4(e);
}

static inline v128_t xent_sigmoid_f32x4(v128_t x) {
  v128_t e = xent_exp_f32x4(wasm_f32x4_neg(wasm_f32x4_abs(x)));
  v128_t q = wasm_f32x4_div(e, wasm_f32x4_add(XENT__F(1.0f), e));
  return wasm_v128_bitselect(wasm_f32x4_sub(XENT__F(1.0f), q), q, wasm_f32x4_ge(x, XENT__F(0.0f)));
}

static inline v128_t xent__pow_core_f64x2(v128_t m, v128_t kd, v128_t g) {
#define XENT__D(c) wasm_f64x2_splat(c)
#define XENT__DMA(a, b, c) wasm_f64x2_add(wasm_f64x2_mul(a, b), XENT__D(c))
  v128_t f = wasm_f64x2_sub(m, XENT__D(1.0));
  v128_t s = wasm_f64x2_div(f, wasm_f64x2_add(XENT__D(2.0), f));
  v128_t z = wasm_f64x2_mul(s, s);
  v128_t R = XENT__D(2.0 / 13.0);
  R = XENT__DMA(R, z, 2.0 / 11.0);
  R = XENT__DMA(R, z, 2.0 / 9.0);
  R = XENT__DMA(R, z, 2.0 / 7.0);
  R = XENT__DMA(R, z, 2.0 / 5.0);
  R = XENT__DMA(R, z, 2.0 / 3.0);
  R = wasm_f64x2_mul(R, z);
  v128_t l = wasm_f64x2_add(wasm_f64x2_mul(kd, XENT__D(XENT_M_LN2_D)),
                            wasm_f64x2_add(wasm_f64x2_mul(XENT__D(2.0), s), wasm_f64x2_mul(s, R)));
  v128_t y = wasm_f64x2_mul(g, l);
  y = wasm_f64x2_pmax(y, XENT__D(-104.0));
  y = wasm_f64x2_pmin(y, XENT__D(89.0));
  v128_t nm = XENT__DMA(y, XENT__D(XENT_M_LOG2E_D), XENT_M_MAGIC_D);
  v128_t n = wasm_f64x2_sub(nm, XENT__D(XENT_M_MAGIC_D));
  v128_t r = wasm_f64x2_sub(y, wasm_f64x2_mul(n, XENT__D(XENT_M_LN2_D)));
  v128_t p = XENT__D(1.0 / 362880.0);
  p = XENT__DMA(p, r, 1.0 / 40320.0);
  p = XENT__DMA(p, r, 1.0 / 5040.0);
  p = XENT__DMA(p, r, 1.0 / 720.0);
  p = XENT__DMA(p, r, 1.0 / 120.0);
  p = XENT__DMA(p, r, 1.0 / 24.0);
  p = XENT__DMA(p, r, 1.0 / 6.0);
  p = XENT__DMA(p, r, 0.5);
  p = XENT__DMA(p, r, 1.0);
  p = XENT__DMA(p, r, 1.0);
  v128_t ni = wasm_i64x2_sub(nm, XENT__D(XENT_M_MAGIC_D));
  v128_t sc = wasm_i64x2_shl(wasm_i64x2_add(ni, wasm_i64x2_splat(1023)), 52);
  return wasm_f64x2_mul(p, sc);
#undef XENT__DMA
#undef XENT__D
}

static inline v128_t xent_pow_f32x4(v128_t base, v128_t gamma) {
  v128_t tiny = wasm_f32x4_lt(base, XENT__F(0x1p-126f));
  v128_t bs = wasm_v128_bitselect(wasm_f32x4_mul(base, XENT__F(0x1p23f)), base, tiny);
  v128_t ix = wasm_i32x4_add(bs, XENT__I(0x3F800000u - XENT_M_SQRTHALF_BITS));
  v128_t k = wasm_i32x4_sub(wasm_u32x4_shr(ix, 23),
                            wasm_v128_bitselect(XENT__I(150), XENT__I(127), tiny));
  v128_t m = wasm_i32x4_add(wasm_v128_and(ix, XENT__I(0x007FFFFFu)), XENT__I(XENT_M_SQRTHALF_BITS));
  v128_t m_hi = wasm_i32x4_shuffle(m, m, 2, 3, 2, 3);
  v128_t k_hi = wasm_i32x4_shuffle(k, k, 2, 3, 2, 3);
  v128_t g_hi = wasm_i32x4_shuffle(gamma, gamma, 2, 3, 2, 3);
  v128_t y_lo = xent__pow_core_f64x2(wasm_f64x2_promote_low_f32x4(m), wasm_f64x2_convert_low_i32x4(k),
                                     wasm_f64x2_promote_low_f32x4(gamma));
  v128_t y_hi = xent__pow_core_f64x2(wasm_f64x2_promote_low_f32x4(m_hi),
                                     wasm_f64x2_convert_low_i32x4(k_hi),
                                     wasm_f64x2_promote_low_f32x4(g_hi));
  v128_t y = wasm_i32x4_shuffle(wasm_f32x4_demote_f64x2_zero(y_lo),
                                wasm_f32x4_demote_f64x2_zero(y_hi), 0, 1, 4, 5);
  y = wasm_v128_andnot(y, wasm_f32x4_eq(base, XENT__F(0.0f)));
  y = wasm_v128_bitselect(XENT__F(INFINITY), y, wasm_f32x4_eq(base, XENT__F(INFINITY)));
  y = wasm_v128_bitselect(y, XENT__I(0x7FC00000u), wasm_f32x4_ge(base, XENT__F(0.0f)));
  y = wasm_v128_bitselect(XENT__F(1.0f), y, wasm_f32x4_eq(gamma, XENT__F(0.0f)));
  return y;
}

#undef XENT__F
#undef XENT__I
#undef XENT__MA

#endif /* XENT_HAVE_SIMD128 */

#endif /* XENT_MATH_H */
