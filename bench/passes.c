/* passes.c: timing probes for the benchmark's diagnosis, not part of
 * the library. Each function is one pass of a kernel (or a variant of it) over
 * a [rows, cols] float32 array, built with -msimd128 from the same math
 * (src/xent_math.h) and flags as the library, so that `node bench/passes.js`
 * can say which pass limits a kernel and what a change would buy. Every
 * function returns a value that depends on its work, so none is optimised away. */
#include <float.h>
#include <math.h>
#include <stddef.h>
#include <string.h>
#include <wasm_simd128.h>

#include "xent_internal.h"
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

/* Elementwise maps over n (n % 16 == 0) elements, four vectors per iteration as the exp probe, each stored, for the sigmoid
 * and probability families: which elementary function costs what. */
#define MAP(name, expr)                                          \
  float name(const float *x, size_t n, float *out) {             \
    for (size_t i = 0; i < n; i += 16) {                         \
      v128_t v;                                                  \
      v128_t v0 = wasm_v128_load(x + i), v1 = wasm_v128_load(x + i + 4); \
      v128_t v2 = wasm_v128_load(x + i + 8), v3 = wasm_v128_load(x + i + 12); \
      v = v0; v0 = (expr);                                       \
      v = v1; v1 = (expr);                                       \
      v = v2; v2 = (expr);                                       \
      v = v3; v3 = (expr);                                       \
      wasm_v128_store(out + i, v0);                              \
      wasm_v128_store(out + i + 4, v1);                          \
      wasm_v128_store(out + i + 8, v2);                          \
      wasm_v128_store(out + i + 12, v3);                         \
    }                                                            \
    return out[n - 1];                                           \
  }

MAP(map_copy, v)
MAP(map_exp, xent_exp_f32x4(v))
MAP(map_div, wasm_f32x4_div(F(1.0f), wasm_f32x4_add(F(1.0f), v)))
MAP(map_log, xent_log_f32x4(v))
MAP(map_softplus, xent_softplus_neg_abs_f32x4(v))
MAP(map_sigmoid, xent_sigmoid_f32x4(v))
/* The log core without xent_log's special-value selects (since the
 * division-free polynomial, the core itself has no division). */
static inline v128_t log_nodiv(v128_t x) { return xent__log_core_f32x4(x, F(0.0f)); }
MAP(map_log_nodiv, log_nodiv(v))

/* The softplus core (division-free polynomial for log1p on [0, 1]). */
static inline v128_t log1p_poly(v128_t e) { return xent__log1p_unit_f32x4(e); }

/* W3's element work done the cheaper way: one exp, the polynomial softplus,
 * one division for the sigmoid, f64x2 loss sums, the gradient stored. */
static inline v128_t w3_step(const float *x, const float *y, float *out) {
  const v128_t zero = F(0.0f), one = F(1.0f), sc = F(1.0f / 4096000.0f);
  v128_t xv = wasm_v128_load(x), yv = wasm_v128_load(y);
  v128_t e = xent_exp_f32x4(wasm_f32x4_neg(wasm_f32x4_abs(xv)));
  v128_t loss = wasm_f32x4_add(wasm_f32x4_sub(wasm_f32x4_pmax(xv, zero), wasm_f32x4_mul(xv, yv)), log1p_poly(e));
  v128_t sig = wasm_f32x4_div(wasm_v128_bitselect(one, e, wasm_f32x4_ge(xv, zero)), wasm_f32x4_add(one, e));
  wasm_v128_store(out, wasm_f32x4_mul(wasm_f32x4_sub(sig, yv), sc));
  return loss;
}
/* The same without the sigmoid's division (a multiply instead): what it costs. */
static inline v128_t w3_step_nodiv(const float *x, const float *y, float *out) {
  const v128_t zero = F(0.0f), one = F(1.0f), sc = F(1.0f / 4096000.0f);
  v128_t xv = wasm_v128_load(x), yv = wasm_v128_load(y);
  v128_t e = xent_exp_f32x4(wasm_f32x4_neg(wasm_f32x4_abs(xv)));
  v128_t loss = wasm_f32x4_add(wasm_f32x4_sub(wasm_f32x4_pmax(xv, zero), wasm_f32x4_mul(xv, yv)), log1p_poly(e));
  v128_t sig = wasm_f32x4_mul(wasm_v128_bitselect(one, e, wasm_f32x4_ge(xv, zero)), wasm_f32x4_add(one, e));
  wasm_v128_store(out, wasm_f32x4_mul(wasm_f32x4_sub(sig, yv), sc));
  return loss;
}
double w3_fused_nodiv(const float *x, const float *y, size_t n, float *out) {
  v128_t s0 = wasm_f64x2_splat(0), s1 = s0;
  for (size_t i = 0; i < n; i += 8) {
    s0 = sum64(s0, w3_step_nodiv(x + i, y + i, out + i));
    s1 = sum64(s1, w3_step_nodiv(x + i + 4, y + i + 4, out + i + 4));
  }
  return hsum64(wasm_f64x2_add(s0, s1));
}
/* W3 in blocks of 256: a loop that only stores e = exp(-|x|) into the output,
 * then an in-cache loop that reads e back and finishes loss and gradient. */
static inline v128_t w3_finish(const float *x, const float *y, float *out) {
  const v128_t zero = F(0.0f), one = F(1.0f), sc = F(1.0f / 4096000.0f);
  v128_t xv = wasm_v128_load(x), yv = wasm_v128_load(y), e = wasm_v128_load(out);
  v128_t loss = wasm_f32x4_add(wasm_f32x4_sub(wasm_f32x4_pmax(xv, zero), wasm_f32x4_mul(xv, yv)), log1p_poly(e));
  v128_t sig = wasm_f32x4_div(wasm_v128_bitselect(one, e, wasm_f32x4_ge(xv, zero)), wasm_f32x4_add(one, e));
  wasm_v128_store(out, wasm_f32x4_mul(wasm_f32x4_sub(sig, yv), sc));
  return loss;
}
double w3_split(const float *x, const float *y, size_t n, float *out) {
  v128_t s0 = wasm_f64x2_splat(0), s1 = s0;
  for (size_t b = 0; b < n; b += 256) {
    for (size_t i = b; i < b + 256; i += 8) {
      wasm_v128_store(out + i, xent_exp_f32x4(wasm_f32x4_neg(wasm_f32x4_abs(wasm_v128_load(x + i)))));
      wasm_v128_store(out + i + 4, xent_exp_f32x4(wasm_f32x4_neg(wasm_f32x4_abs(wasm_v128_load(x + i + 4)))));
    }
    for (size_t i = b; i < b + 256; i += 8) {
      s0 = sum64(s0, w3_finish(x + i, y + i, out + i));
      s1 = sum64(s1, w3_finish(x + i + 4, y + i + 4, out + i + 4));
    }
  }
  return hsum64(wasm_f64x2_add(s0, s1));
}
double w3_fused_poly(const float *x, const float *y, size_t n, float *out) {
  v128_t s0 = wasm_f64x2_splat(0), s1 = s0;
  for (size_t i = 0; i < n; i += 8) {
    s0 = sum64(s0, w3_step(x + i, y + i, out + i));
    s1 = sum64(s1, w3_step(x + i + 4, y + i + 4, out + i + 4));
  }
  return hsum64(wasm_f64x2_add(s0, s1));
}

/* W4's element work with division-free logs: clip, two logs, one division for
 * the gradient, f64x2 loss sums, the gradient stored. */
static inline v128_t w4_step(const float *p, const float *y, float *out) {
  const v128_t one = F(1.0f), eps = F(XENT_EPS), hi = F(XENT_ONE_MINUS_EPS), sc = F(1.0f / 4096000.0f);
  v128_t pv = wasm_v128_load(p), yv = wasm_v128_load(y);
  v128_t pc = wasm_f32x4_pmin(wasm_f32x4_pmax(pv, eps), hi);
  v128_t q = wasm_f32x4_sub(one, pc);
  v128_t loss = wasm_f32x4_neg(wasm_f32x4_add(wasm_f32x4_mul(yv, log_nodiv(pc)), wasm_f32x4_mul(wasm_f32x4_sub(one, yv), log_nodiv(q))));
  v128_t g = wasm_f32x4_div(wasm_f32x4_sub(pc, yv), wasm_f32x4_mul(pc, q));
  v128_t inside = wasm_v128_and(wasm_f32x4_ge(pv, eps), wasm_f32x4_le(pv, hi));
  wasm_v128_store(out, wasm_v128_and(wasm_f32x4_mul(g, sc), inside));
  return loss;
}
/* W3 in blocks of 256 and three loops: exps stored; losses summed; gradients. */
double w3_split3(const float *x, const float *y, size_t n, float *out) {
  const v128_t zero = F(0.0f), one = F(1.0f), sc = F(1.0f / 4096000.0f);
  v128_t s0 = wasm_f64x2_splat(0), s1 = s0;
  for (size_t b = 0; b < n; b += 256) {
    for (size_t i = b; i < b + 256; i += 8) {
      wasm_v128_store(out + i, xent_exp_f32x4(wasm_f32x4_neg(wasm_f32x4_abs(wasm_v128_load(x + i)))));
      wasm_v128_store(out + i + 4, xent_exp_f32x4(wasm_f32x4_neg(wasm_f32x4_abs(wasm_v128_load(x + i + 4)))));
    }
    for (size_t i = b; i < b + 256; i += 4) {
      v128_t xv = wasm_v128_load(x + i), yv = wasm_v128_load(y + i), e = wasm_v128_load(out + i);
      s0 = sum64(s0, wasm_f32x4_add(wasm_f32x4_sub(wasm_f32x4_pmax(xv, zero), wasm_f32x4_mul(xv, yv)), log1p_poly(e)));
    }
    for (size_t i = b; i < b + 256; i += 4) {
      v128_t xv = wasm_v128_load(x + i), yv = wasm_v128_load(y + i), e = wasm_v128_load(out + i);
      v128_t sig = wasm_f32x4_div(wasm_v128_bitselect(one, e, wasm_f32x4_ge(xv, zero)), wasm_f32x4_add(one, e));
      wasm_v128_store(out + i, wasm_f32x4_mul(wasm_f32x4_sub(sig, yv), sc));
    }
  }
  return hsum64(wasm_f64x2_add(s0, s1));
}

/* W4's element work for hard labels: one log of y ? p' : 1 - p'. */
static inline v128_t w4_step_hard(const float *p, const float *y, float *out) {
  const v128_t one = F(1.0f), eps = F(XENT_EPS), hi = F(XENT_ONE_MINUS_EPS), sc = F(1.0f / 4096000.0f);
  v128_t pv = wasm_v128_load(p), yv = wasm_v128_load(y);
  v128_t pc = wasm_f32x4_pmin(wasm_f32x4_pmax(pv, eps), hi);
  v128_t q = wasm_f32x4_sub(one, pc);
  v128_t loss = wasm_f32x4_neg(log_nodiv(wasm_v128_bitselect(pc, q, wasm_f32x4_eq(yv, one))));
  v128_t g = wasm_f32x4_div(wasm_f32x4_sub(pc, yv), wasm_f32x4_mul(pc, q));
  v128_t inside = wasm_v128_and(wasm_f32x4_ge(pv, eps), wasm_f32x4_le(pv, hi));
  wasm_v128_store(out, wasm_v128_and(wasm_f32x4_mul(g, sc), inside));
  return loss;
}
double w4_fused_hard(const float *p, const float *y, size_t n, float *out) {
  v128_t s0 = wasm_f64x2_splat(0), s1 = s0;
  for (size_t i = 0; i < n; i += 8) {
    s0 = sum64(s0, w4_step_hard(p + i, y + i, out + i));
    s1 = sum64(s1, w4_step_hard(p + i + 4, y + i + 4, out + i + 4));
  }
  return hsum64(wasm_f64x2_add(s0, s1));
}
double w4_fused_nodiv(const float *p, const float *y, size_t n, float *out) {
  v128_t s0 = wasm_f64x2_splat(0), s1 = s0;
  for (size_t i = 0; i < n; i += 8) {
    s0 = sum64(s0, w4_step(p + i, y + i, out + i));
    s1 = sum64(s1, w4_step(p + i + 4, y + i + 4, out + i + 4));
  }
  return hsum64(wasm_f64x2_add(s0, s1));
}

/* exp with its constants read once from memory (k, filled by exp_consts)
 * instead of v128.const at each use: the same instructions otherwise, to
 * measure what materialising SIMD constants costs in the engine. */
static v128_t exp_k[16];
size_t exp_consts(void) {
  const float c[] = {XENT_M_EXP_LO, XENT_M_EXP_HI, XENT_M_LOG2E, XENT_M_MAGIC, XENT_M_LN2_HI, XENT_M_LN2_LO,
                     XENT_M_EXP_C6, XENT_M_EXP_C5, XENT_M_EXP_C4, XENT_M_EXP_C3, XENT_M_EXP_C2, 1.0f};
  for (int i = 0; i < 12; i++) exp_k[i] = wasm_f32x4_splat(c[i]);
  exp_k[12] = wasm_i32x4_splat(256);
  exp_k[13] = wasm_i32x4_splat(128);
  exp_k[14] = wasm_i32x4_splat(127);
  return (size_t)exp_k;
}
static inline v128_t exp_tab(v128_t x, const v128_t *k) {
  v128_t xc = wasm_f32x4_pmax(x, k[0]);
  xc = wasm_f32x4_pmin(xc, k[1]);
  v128_t nm = wasm_f32x4_add(wasm_f32x4_mul(xc, k[2]), k[3]);
  v128_t n = wasm_f32x4_sub(nm, k[3]);
  v128_t r = wasm_f32x4_sub(xc, wasm_f32x4_mul(n, k[4]));
  r = wasm_f32x4_sub(r, wasm_f32x4_mul(n, k[5]));
  v128_t p = k[6];
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), k[7]);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), k[8]);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), k[9]);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), k[10]);
  p = wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_mul(r, r), p), r);
  v128_t e = wasm_f32x4_add(k[11], p);
  v128_t ni = wasm_i32x4_sub(nm, k[3]);
  v128_t n1 = wasm_i32x4_sub(wasm_u32x4_shr(wasm_i32x4_add(ni, k[12]), 1), k[13]);
  v128_t s1 = wasm_i32x4_shl(wasm_i32x4_add(n1, k[14]), 23);
  v128_t s2 = wasm_i32x4_shl(wasm_i32x4_add(wasm_i32x4_sub(ni, n1), k[14]), 23);
  v128_t y = wasm_f32x4_mul(wasm_f32x4_mul(e, s1), s2);
  return wasm_v128_andnot(y, wasm_f32x4_lt(x, k[0]));
}
float map_exp_tab(const float *x, size_t n, float *out, const v128_t *kp) {
  v128_t k[15];
  for (int i = 0; i < 15; i++) k[i] = kp[i];
  for (size_t i = 0; i < n; i += 16) {
    v128_t y0 = exp_tab(wasm_v128_load(x + i), k);
    v128_t y1 = exp_tab(wasm_v128_load(x + i + 4), k);
    v128_t y2 = exp_tab(wasm_v128_load(x + i + 8), k);
    v128_t y3 = exp_tab(wasm_v128_load(x + i + 12), k);
    wasm_v128_store(out + i, y0);
    wasm_v128_store(out + i + 4, y1);
    wasm_v128_store(out + i + 8, y2);
    wasm_v128_store(out + i + 12, y3);
  }
  return out[n - 1];
}

/* W2 (soft labels, no smoothing) with the per-element work in float32 and
 * only the three row sums in f64x2: y (z - m) as a float32 product (every term
 * has the same sign, so no cancellation), the gradient scale (r e - y) in
 * float32 (absolute error <= ~1 ulp of max(r e, y) times scale). */
double w2_f32(const float *y, const float *x, size_t rows, size_t cols, float *out) {
  double acc = 0;
  for (size_t r = 0; r < rows; r++, x += cols, y += cols, out += cols) {
    v128_t m0 = wasm_v128_load(x), m1 = m0;
    for (size_t j = 0; j < cols; j += 8) {
      m0 = wasm_f32x4_pmax(m0, wasm_v128_load(x + j));
      m1 = wasm_f32x4_pmax(m1, wasm_v128_load(x + j + 4));
    }
    m0 = wasm_f32x4_pmax(m0, m1);
    m0 = wasm_f32x4_pmax(m0, wasm_i32x4_shuffle(m0, m0, 2, 3, 0, 1));
    v128_t mv = wasm_f32x4_pmax(m0, wasm_i32x4_shuffle(m0, m0, 1, 0, 3, 2));
    v128_t s = wasm_f64x2_splat(0), sy = s, syd = s;
    for (size_t j = 0; j < cols; j += 8) {
      v128_t d0 = wasm_f32x4_pmax(wasm_f32x4_sub(wasm_v128_load(x + j), mv), F(-FLT_MAX));
      v128_t d1 = wasm_f32x4_pmax(wasm_f32x4_sub(wasm_v128_load(x + j + 4), mv), F(-FLT_MAX));
      v128_t y0 = wasm_v128_load(y + j), y1 = wasm_v128_load(y + j + 4);
      v128_t e0 = xent_exp_f32x4(d0), e1 = xent_exp_f32x4(d1);
      s = sum64(s, wasm_f32x4_add(e0, e1));
      sy = sum64(sy, wasm_f32x4_add(y0, y1));
      syd = sum64(sum64(syd, wasm_f32x4_mul(y0, d0)), wasm_f32x4_mul(y1, d1));
      wasm_v128_store(out + j, e0);
      wasm_v128_store(out + j + 4, e1);
    }
    double ssum = hsum64(s), sysum = hsum64(sy);
    v128_t rv = F((float)(sysum / ssum)), cv = F(1.0f / 4096.0f);
    for (size_t j = 0; j < cols; j += 4)
      wasm_v128_store(out + j, wasm_f32x4_mul(wasm_f32x4_sub(wasm_f32x4_mul(wasm_v128_load(out + j), rv), wasm_v128_load(y + j)), cv));
    acc += sysum * ssum - hsum64(syd);
  }
  return acc;
}

/* The three softmax passes with the exps of an iteration added pairwise in
 * float32 ((e0 + e1) + (e2 + e3), at most 2 roundings of positive terms) and
 * promoted once, instead of promoting every vector. */
double pass_softmax3_pair(const float *x, size_t rows, size_t cols, float *out) {
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
    v128_t s = wasm_f64x2_splat(0);
    size_t j = 0;
    for (; j + 16 <= cols; j += 16) {
      v128_t e0 = xent_exp_f32x4(wasm_f32x4_sub(wasm_v128_load(x + j), mv));
      v128_t e1 = xent_exp_f32x4(wasm_f32x4_sub(wasm_v128_load(x + j + 4), mv));
      v128_t e2 = xent_exp_f32x4(wasm_f32x4_sub(wasm_v128_load(x + j + 8), mv));
      v128_t e3 = xent_exp_f32x4(wasm_f32x4_sub(wasm_v128_load(x + j + 12), mv));
      s = sum64(s, wasm_f32x4_add(wasm_f32x4_add(e0, e1), wasm_f32x4_add(e2, e3)));
      wasm_v128_store(out + j, e0);
      wasm_v128_store(out + j + 4, e1);
      wasm_v128_store(out + j + 8, e2);
      wasm_v128_store(out + j + 12, e3);
    }
    for (; j < cols; j += 4) {
      v128_t e0 = xent_exp_f32x4(wasm_f32x4_sub(wasm_v128_load(x + j), mv));
      s = sum64(s, e0);
      wasm_v128_store(out + j, e0);
    }
    double sum = hsum64(s);
    v128_t cv = F((float)(1.0 / sum));
    for (j = 0; j < cols; j += 8) {
      wasm_v128_store(out + j, wasm_f32x4_mul(wasm_v128_load(out + j), cv));
      wasm_v128_store(out + j + 4, wasm_f32x4_mul(wasm_v128_load(out + j + 4), cv));
    }
    acc += sum;
  }
  return acc;
}

/* W2 (soft labels, no smoothing) as softmax.c could do it: the next row's
 * maximum found during pass 2, y (z - m) as a float32 product, the terms of
 * one 16-element iteration added in float32 and promoted once, the label range
 * tracked (pre_y < 2); pre_s says how S is added: 0 promoted per vector,
 * 1 added in float32 per 16 elements, 2 in float32 pairs; pre_y whether sum y
 * is added in float32 per 16. Pass 3 in float32. */
static inline double w2_iter(const float *y, const float *x, size_t rows, size_t cols,
                             float *out, int pre_s, int pre_y) {
  double acc = 0;
  v128_t mv = wasm_v128_load(x);
  for (int k = 0; k < 2; k++) mv = wasm_f32x4_pmax(mv, wasm_i32x4_shuffle(mv, mv, 1, 2, 3, 0));
  for (size_t r = 0; r < rows; r++, x += cols, y += cols, out += cols) {
    const float *xn = r + 1 < rows ? x + cols : x;
    v128_t s = wasm_f64x2_splat(0), sy = s, syd = s, x0 = wasm_v128_load(xn), x1 = x0;
    v128_t yhi = F(0.0f), ylo = yhi;
    for (size_t j = 0; j < cols; j += 16) {
      v128_t d0 = wasm_f32x4_sub(wasm_v128_load(x + j), mv);
      v128_t d1 = wasm_f32x4_sub(wasm_v128_load(x + j + 4), mv);
      v128_t d2 = wasm_f32x4_sub(wasm_v128_load(x + j + 8), mv);
      v128_t d3 = wasm_f32x4_sub(wasm_v128_load(x + j + 12), mv);
      v128_t y0 = wasm_v128_load(y + j), y1 = wasm_v128_load(y + j + 4);
      v128_t y2 = wasm_v128_load(y + j + 8), y3 = wasm_v128_load(y + j + 12);
      v128_t e0 = xent_exp_f32x4(d0), e1 = xent_exp_f32x4(d1);
      v128_t e2 = xent_exp_f32x4(d2), e3 = xent_exp_f32x4(d3);
      if (pre_s == 2) {
        s = sum64(sum64(s, wasm_f32x4_add(e0, e1)), wasm_f32x4_add(e2, e3));
      } else if (pre_s) {
        s = sum64(s, wasm_f32x4_add(wasm_f32x4_add(e0, e1), wasm_f32x4_add(e2, e3)));
      } else {
        s = sum64(sum64(s, e0), e1);
        s = sum64(sum64(s, e2), e3);
      }
      if (pre_y) {
        sy = sum64(sy, wasm_f32x4_add(wasm_f32x4_add(y0, y1), wasm_f32x4_add(y2, y3)));
      } else {
        sy = sum64(sum64(sy, y0), y1);
        sy = sum64(sum64(sy, y2), y3);
      }
      syd = sum64(syd, wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_mul(y0, d0), wasm_f32x4_mul(y1, d1)),
                                      wasm_f32x4_add(wasm_f32x4_mul(y2, d2), wasm_f32x4_mul(y3, d3))));
      if (pre_y < 2) {
        yhi = wasm_f32x4_pmax(wasm_f32x4_pmax(yhi, y0), wasm_f32x4_pmax(y1, wasm_f32x4_pmax(y2, y3)));
        ylo = wasm_f32x4_pmin(wasm_f32x4_pmin(ylo, y0), wasm_f32x4_pmin(y1, wasm_f32x4_pmin(y2, y3)));
      }
      x0 = wasm_f32x4_pmax(x0, wasm_f32x4_pmax(wasm_v128_load(xn + j), wasm_v128_load(xn + j + 8)));
      x1 = wasm_f32x4_pmax(x1, wasm_f32x4_pmax(wasm_v128_load(xn + j + 4), wasm_v128_load(xn + j + 12)));
      wasm_v128_store(out + j, e0);
      wasm_v128_store(out + j + 4, e1);
      wasm_v128_store(out + j + 8, e2);
      wasm_v128_store(out + j + 12, e3);
    }
    double ssum = hsum64(s), sysum = hsum64(sy);
    v128_t rv = F((float)(sysum / ssum)), cv = F(1.0f / 4096.0f);
    for (size_t j = 0; j < cols; j += 8) {
      wasm_v128_store(out + j, wasm_f32x4_mul(wasm_f32x4_sub(wasm_f32x4_mul(wasm_v128_load(out + j), rv), wasm_v128_load(y + j)), cv));
      wasm_v128_store(out + j + 4, wasm_f32x4_mul(wasm_f32x4_sub(wasm_f32x4_mul(wasm_v128_load(out + j + 4), rv), wasm_v128_load(y + j + 4)), cv));
    }
    x0 = wasm_f32x4_pmax(x0, x1);
    x0 = wasm_f32x4_pmax(x0, wasm_i32x4_shuffle(x0, x0, 2, 3, 0, 1));
    mv = wasm_f32x4_pmax(x0, wasm_i32x4_shuffle(x0, x0, 1, 0, 3, 2));
    acc += sysum * log(ssum) - hsum64(syd) + wasm_f32x4_extract_lane(wasm_f32x4_sub(yhi, ylo), 0);
  }
  return acc;
}
double w2_fast_s64_y64(const float *y, const float *x, size_t rows, size_t cols, float *out) { return w2_iter(y, x, rows, cols, out, 0, 0); }
double w2_fast_s64_y32(const float *y, const float *x, size_t rows, size_t cols, float *out) { return w2_iter(y, x, rows, cols, out, 0, 1); }
double w2_fast_s32_y32(const float *y, const float *x, size_t rows, size_t cols, float *out) { return w2_iter(y, x, rows, cols, out, 1, 1); }
double w2_fast_s2_y32(const float *y, const float *x, size_t rows, size_t cols, float *out) { return w2_iter(y, x, rows, cols, out, 2, 1); }
double w2_fast_s2_y32_norange(const float *y, const float *x, size_t rows, size_t cols, float *out) { return w2_iter(y, x, rows, cols, out, 2, 2); }
