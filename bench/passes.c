/* passes.c: timing probes for the benchmark's diagnosis (issue 6), not part of
 * the library. Each function is one pass of a kernel (or a variant of it) over
 * a [rows, cols] float32 array, built with -msimd128 from the same math
 * (src/xent_math.h) and flags as the library, so that `node bench/passes.js`
 * can say which pass limits a kernel and what a change would buy. Every
 * function returns a value that depends on its work, so none is optimised away. */
#include <stddef.h>
#include <string.h>
#include <wasm_simd128.h>

#include "xent_math.h"

#define F(c) wasm_f32x4_splat(c)

static inline v128_t sum64(v128_t s, v128_t e) {
  v128_t lo = wasm_f64x2_promote_low_f32x4(e);
  v128_t hi = wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(e, e, 2, 3, 2, 3));
  return wasm_f64x2_add(s, wasm_f64x2_add(lo, hi));
}
static inline double hsum64(v128_t v) { return wasm_f64x2_extract_lane(v, 0) + wasm_f64x2_extract_lane(v, 1); }
static inline float hsum32(v128_t v) {
  return wasm_f32x4_extract_lane(v, 0) + wasm_f32x4_extract_lane(v, 1) + wasm_f32x4_extract_lane(v, 2) +
         wasm_f32x4_extract_lane(v, 3);
}

/* Row maxima only (softmax pass 1). cols % 8 == 0. */
float pass_max(const float *x, size_t rows, size_t cols) {
  float acc = 0;
  for (size_t r = 0; r < rows; r++, x += cols) {
    v128_t m0 = wasm_v128_load(x), m1 = m0;
    for (size_t j = 0; j < cols; j += 8) {
      m0 = wasm_f32x4_pmax(m0, wasm_v128_load(x + j));
      m1 = wasm_f32x4_pmax(m1, wasm_v128_load(x + j + 4));
    }
    acc += wasm_f32x4_extract_lane(wasm_f32x4_pmax(m0, m1), 0);
  }
  return acc;
}

/* exp(x - 1) stored, and its row sums in f64x2 (softmax pass 2, as sparse.c). */
double pass_exp_sum64(const float *x, size_t rows, size_t cols, float *out) {
  double acc = 0;
  v128_t mv = F(1.0f);
  for (size_t r = 0; r < rows; r++, x += cols, out += cols) {
    v128_t s0 = wasm_f64x2_splat(0), s1 = s0;
    for (size_t j = 0; j < cols; j += 8) {
      v128_t e0 = xent_exp_f32x4(wasm_f32x4_sub(wasm_v128_load(x + j), mv));
      v128_t e1 = xent_exp_f32x4(wasm_f32x4_sub(wasm_v128_load(x + j + 4), mv));
      s0 = sum64(s0, e0);
      s1 = sum64(s1, e1);
      wasm_v128_store(out + j, e0);
      wasm_v128_store(out + j + 4, e1);
    }
    acc += hsum64(wasm_f64x2_add(s0, s1));
  }
  return acc;
}

/* Pass 2 as sparse.c writes it: 16 elements (4 exps) per iteration. */
double pass_exp_sum64_u16(const float *x, size_t rows, size_t cols, float *out) {
  double acc = 0;
  v128_t mv = F(1.0f);
  for (size_t r = 0; r < rows; r++, x += cols, out += cols) {
    v128_t s0 = wasm_f64x2_splat(0), s1 = s0;
    size_t j = 0;
    for (; j + 16 <= cols; j += 16) {
      v128_t e0 = xent_exp_f32x4(wasm_f32x4_sub(wasm_v128_load(x + j), mv));
      v128_t e1 = xent_exp_f32x4(wasm_f32x4_sub(wasm_v128_load(x + j + 4), mv));
      v128_t e2 = xent_exp_f32x4(wasm_f32x4_sub(wasm_v128_load(x + j + 8), mv));
      v128_t e3 = xent_exp_f32x4(wasm_f32x4_sub(wasm_v128_load(x + j + 12), mv));
      s0 = sum64(s0, e0);
      s1 = sum64(s1, e1);
      s0 = sum64(s0, e2);
      s1 = sum64(s1, e3);
      wasm_v128_store(out + j, e0);
      wasm_v128_store(out + j + 4, e1);
      wasm_v128_store(out + j + 8, e2);
      wasm_v128_store(out + j + 12, e3);
    }
    for (; j < cols; j += 4) {
      v128_t e0 = xent_exp_f32x4(wasm_f32x4_sub(wasm_v128_load(x + j), mv));
      s0 = sum64(s0, e0);
      wasm_v128_store(out + j, e0);
    }
    acc += hsum64(wasm_f64x2_add(s0, s1));
  }
  return acc;
}

/* Pass 2 without the store (the loss-only path). */
double pass_exp_sum64_nostore(const float *x, size_t rows, size_t cols) {
  double acc = 0;
  v128_t mv = F(1.0f);
  for (size_t r = 0; r < rows; r++, x += cols) {
    v128_t s0 = wasm_f64x2_splat(0), s1 = s0;
    for (size_t j = 0; j < cols; j += 8) {
      s0 = sum64(s0, xent_exp_f32x4(wasm_f32x4_sub(wasm_v128_load(x + j), mv)));
      s1 = sum64(s1, xent_exp_f32x4(wasm_f32x4_sub(wasm_v128_load(x + j + 4), mv)));
    }
    acc += hsum64(wasm_f64x2_add(s0, s1));
  }
  return acc;
}

/* The same with f32x4 partial sums (4 lanes x 2 accumulators), for comparison. */
double pass_exp_sum32(const float *x, size_t rows, size_t cols, float *out) {
  double acc = 0;
  v128_t mv = F(1.0f);
  for (size_t r = 0; r < rows; r++, x += cols, out += cols) {
    v128_t s0 = F(0), s1 = s0;
    for (size_t j = 0; j < cols; j += 8) {
      v128_t e0 = xent_exp_f32x4(wasm_f32x4_sub(wasm_v128_load(x + j), mv));
      v128_t e1 = xent_exp_f32x4(wasm_f32x4_sub(wasm_v128_load(x + j + 4), mv));
      s0 = wasm_f32x4_add(s0, e0);
      s1 = wasm_f32x4_add(s1, e1);
      wasm_v128_store(out + j, e0);
      wasm_v128_store(out + j + 4, e1);
    }
    acc += hsum32(wasm_f32x4_add(s0, s1));
  }
  return acc;
}

/* The three softmax passes per row (max; exp + f64 sum + store; in-cache scale):
 * the sparse/categorical logits kernel without labels or validation. */
double pass_softmax3(const float *x, size_t rows, size_t cols, float *out) {
  double acc = 0;
  for (size_t r = 0; r < rows; r++, x += cols, out += cols) {
    v128_t m0 = wasm_v128_load(x), m1 = m0;
    for (size_t j = 0; j < cols; j += 8) {
      m0 = wasm_f32x4_pmax(m0, wasm_v128_load(x + j));
      m1 = wasm_f32x4_pmax(m1, wasm_v128_load(x + j + 4));
    }
    m0 = wasm_f32x4_pmax(m0, m1);
    m0 = wasm_f32x4_pmax(m0, wasm_i32x4_shuffle(m0, m0, 2, 3, 0, 1));
    v128_t mv = wasm_f32x4_pmax(m0, wasm_i32x4_shuffle(m0, m0, 1, 0, 3, 2));
    v128_t s0 = wasm_f64x2_splat(0), s1 = s0;
    for (size_t j = 0; j < cols; j += 8) {
      v128_t e0 = xent_exp_f32x4(wasm_f32x4_sub(wasm_v128_load(x + j), mv));
      v128_t e1 = xent_exp_f32x4(wasm_f32x4_sub(wasm_v128_load(x + j + 4), mv));
      s0 = sum64(s0, e0);
      s1 = sum64(s1, e1);
      wasm_v128_store(out + j, e0);
      wasm_v128_store(out + j + 4, e1);
    }
    double s = hsum64(wasm_f64x2_add(s0, s1));
    v128_t cv = F((float)(1.0 / s));
    for (size_t j = 0; j < cols; j += 8) {
      wasm_v128_store(out + j, wasm_f32x4_mul(wasm_v128_load(out + j), cv));
      wasm_v128_store(out + j + 4, wasm_f32x4_mul(wasm_v128_load(out + j + 4), cv));
    }
    acc += s;
  }
  return acc;
}

/* Elementwise maps over n (n % 4 == 0) elements, each stored, for the sigmoid
 * and probability families: which elementary function costs what. */
#define MAP(name, expr)                                   \
  float name(const float *x, size_t n, float *out) {      \
    for (size_t i = 0; i < n; i += 4) {                   \
      v128_t v = wasm_v128_load(x + i);                   \
      wasm_v128_store(out + i, (expr));                   \
    }                                                     \
    return out[n - 1];                                    \
  }

MAP(map_copy, v)
MAP(map_exp, xent_exp_f32x4(v))
MAP(map_div, wasm_f32x4_div(F(1.0f), wasm_f32x4_add(F(1.0f), v)))
MAP(map_log, xent_log_f32x4(v))
MAP(map_softplus, xent_softplus_neg_abs_f32x4(v))
MAP(map_sigmoid, xent_sigmoid_f32x4(v))
/* The log core with its division f / (2 + f) replaced by a multiplication:
 * not accurate, only what the division costs. */
static inline v128_t log_nodiv(v128_t x) {
  v128_t ix = wasm_i32x4_add(x, wasm_i32x4_splat((int32_t)(0x3F800000u - XENT_M_SQRTHALF_BITS)));
  v128_t k = wasm_i32x4_sub(wasm_u32x4_shr(ix, 23), wasm_i32x4_splat(127));
  v128_t m = wasm_i32x4_add(wasm_v128_and(ix, wasm_i32x4_splat(0x007FFFFF)), wasm_i32x4_splat((int32_t)XENT_M_SQRTHALF_BITS));
  v128_t f = wasm_f32x4_sub(m, F(1.0f));
  v128_t s = wasm_f32x4_mul(f, wasm_f32x4_add(F(2.0f), f));
  v128_t z = wasm_f32x4_mul(s, s);
  v128_t R = F(XENT_M_LOG_C4);
  R = wasm_f32x4_add(wasm_f32x4_mul(R, z), F(XENT_M_LOG_C3));
  R = wasm_f32x4_add(wasm_f32x4_mul(R, z), F(XENT_M_LOG_C2));
  R = wasm_f32x4_add(wasm_f32x4_mul(R, z), F(XENT_M_LOG_C1));
  R = wasm_f32x4_mul(R, z);
  v128_t hfsq = wasm_f32x4_mul(wasm_f32x4_mul(F(0.5f), f), f);
  v128_t kf = wasm_f32x4_convert_i32x4(k);
  v128_t t = wasm_f32x4_mul(kf, F(XENT_M_LN2_LO));
  t = wasm_f32x4_add(wasm_f32x4_mul(s, wasm_f32x4_add(hfsq, R)), t);
  t = wasm_f32x4_sub(f, wasm_f32x4_sub(hfsq, t));
  return wasm_f32x4_add(wasm_f32x4_mul(kf, F(XENT_M_LN2_HI)), t);
}
MAP(map_log_nodiv, log_nodiv(v))
