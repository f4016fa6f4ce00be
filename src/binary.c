/* binary.c: the sigmoid family. Keras binary_crossentropy (docs/semantics.md 2.3:
 * probability path with Keras' clip, logits path, label smoothing, mean over
 * the classes axis; gradients 4.1 and 4.3) and the unreduced tf.nn ops
 * sigmoid_cross_entropy_with_logits (3.1) and weighted_cross_entropy_with_logits
 * (3.2, gradient 4.2). Called through the public API (xent.h); reductions and
 * weights come from the plan of reduce.c.
 *
 * Each row is one pass: element losses are summed in double (f64x2 in the SIMD
 * kernels) while the gradient of each element is written; an unweighted
 * one-column batch is one pass over the whole batch. Element formulas:
 *
 *   probabilities  p' = min(max(p, eps), 1-eps), q = fl(1 - p') (as Keras)
 *                  loss -(y log p' + (1-y) log q)
 *                  grad m(p) (p' - y) / (p' q), m = 1 on [eps, 1-eps], else 0
 *   logits         e = exp(-|x|), l = 1 + (q-1) z, q = pos_weight (1 unweighted)
 *                  loss (1-z) relu(x) + q z relu(-x) + l log1p(e)
 *                  grad l sigmoid(x) - q z, as ((1-z) A - q z B) / (1 + e)
 *
 * The logits loss is tf.nn's max(x,0) - x z + log1p(exp(-|x|)) (q = 1) and
 * (1-z) x + l (log1p(exp(-|x|)) + relu(-x)) (any q) with the cancelling terms
 * gathered: for z in [0, 1] and q >= 0 every term is >= 0, so there is no
 * cancellation, and logits of +-1e30 give 1e30 (1-z) or 1e30 q z, finite.
 * Clips and relus are branch-free (pmin/pmax, compare + bitselect) in the
 * f32x4 kernels and the same conditional expressions in the scalar ones, so
 * both round identically element by element. Two shortcuts of the f32x4
 * kernels for speed, each bit-identical to the scalar result: on the
 * probability path a block of 8 whose labels are all 0 or 1 takes one log
 * (one branch per block, none per element); on the logits path the exps of
 * 256 elements are stored by a loop of their own before the element loop. */
#include <float.h>
#include <math.h>

#include "xent_internal.h"
#include "xent_math.h"

/* The kernel bodies are written once and specialised by a constant flag. */
#if defined(__GNUC__) || defined(__clang__)
#define XENT_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define XENT_ALWAYS_INLINE inline
#endif

/* Finite inputs, finite outputs, at no cost to ordinary calls: each kernel
 * exists twice. The plain one never saturates and also returns NaN for a row
 * whose smoothed labels reach SAFE_LABEL in magnitude; the _sat one clamps
 * every intermediate that could overflow (sat_scalar / narrow_f32x4). The
 * entry point runs the plain kernel when the gradient scale is at most
 * SAFE_SCALE in magnitude, and the _sat one over the same row again when the
 * row sum comes back non-finite. With |y'| <= 1e20 and |scale| <= 1e11 no
 * gradient can overflow: |p' - y'| / (p' (1 - p')) <= (1 + 1e20) / 1e-7 and
 * |(1 - z) A - z B| / (1 + e) <= 1 + 2e20, times 1e11, stay below FLT_MAX; an
 * infinite element loss shows as a non-finite row sum. Both kernels round
 * every finite value the same way, so the choice never changes a finite
 * result, and both builds choose alike. */
#define SAFE_LABEL 1e20f
#define SAFE_SCALE 1e11f

/* ---- One element at width 1 -------------------------------------------- */

/* Saturate to [-FLT_MAX, FLT_MAX] (pmax then pmin); NaN passes. Finite inputs
 * keep every loss and gradient finite this way: labels or pos_weight near
 * FLT_MAX overflow a product or a difference to +-Inf, which is clamped
 * before it can meet a zero (Inf x 0) or an opposite infinity. */
static inline float sat_scalar(float v) {
  v = v < -FLT_MAX ? -FLT_MAX : v;
  return FLT_MAX < v ? FLT_MAX : v;
}

/* Probability path; y is the smoothed label. Returns the loss, *g the gradient.
 * p' and q = fl(1 - p') lie in [1e-7, 1), positive and normal, so the log core
 * runs without xent_log's special cases (15% faster); only NaN needs passing on. */
static XENT_ALWAYS_INLINE float prob_elem_scalar(float p, float y, float *g, const int sat) {
  float pc = p < XENT_EPS ? XENT_EPS : p;                 /* pmax(p, eps) */
  pc = XENT_ONE_MINUS_EPS < pc ? XENT_ONE_MINUS_EPS : pc; /* pmin(pc, 1-eps) */
  float q = 1.0f - pc;
  float lp = xent__log_normal_scalar(pc);
  float lq = xent__log_normal_scalar(q);
  float loss = -(y * lp + (1.0f - y) * lq);
  loss = p == p ? loss : p; /* NaN p -> NaN */
  float d = (pc - y) / (pc * q);
  if (sat) d = sat_scalar(d);
  int inside = (p >= XENT_EPS) & (p <= XENT_ONE_MINUS_EPS);
  *g = inside ? d : 0.0f;
  return loss;
}

/* Logits path with positive weight q (qm1 = q - 1); z is the (smoothed) label.
 * With e = exp(-|x|): log1p(exp(-|x|)) = log1p(e), and the gradient
 * l sigmoid(x) - q z = ((1-z) A - q z B) / (1 + e), A = 1, B = e for x >= 0 and
 * A = e, B = 1 for x < 0: one exp for loss and gradient, and the difference of
 * two single products instead of two rounded sums. weighted = 0 (q = 1, the
 * Keras loss) drops l = 1 + 0 z, which is exactly 1 for every finite z (a
 * non-finite z gives NaN either way). */
static XENT_ALWAYS_INLINE float logit_elem_scalar(float x, float z, float q, float qm1, float *g,
                                                  const int weighted, const int sat) {
  float e = xent_exp_scalar(-fabsf(x));
  float l = 1.0f + qm1 * z, nz = 1.0f - z, qz = q * z;
  if (weighted && sat) { /* l, q z finite: l log1p(e) and q z relu(-x) are never Inf x 0 */
    l = sat_scalar(l);
    qz = sat_scalar(qz);
  }
  float pos = x < 0.0f ? 0.0f : x;   /* pmax(x, 0) */
  float neg = -x < 0.0f ? 0.0f : -x; /* pmax(-x, 0) */
  float sp = xent__log1p_unit_scalar(e);
  float loss = nz * pos + qz * neg + (weighted ? l * sp : sp);
  int nonneg = x >= 0.0f;
  float A = nonneg ? 1.0f : e, B = nonneg ? e : 1.0f;
  float d = (nz * A - qz * B) / (1.0f + e);
  *g = sat ? sat_scalar(d) : d;
  return loss;
}

/* A loss beyond float range from finite inputs (|q z x| > FLT_MAX with a large
 * pos_weight) saturates to +-FLT_MAX; NaN and infinite inputs pass through. */
static inline float saturate_scalar(float loss, float x, float z) {
  int finite = (fabsf(x) <= FLT_MAX) & (fabsf(z) <= FLT_MAX);
  float s = loss < -FLT_MAX ? -FLT_MAX : loss; /* pmax(loss, -FLT_MAX) */
  s = FLT_MAX < s ? FLT_MAX : s;               /* pmin(s, FLT_MAX) */
  return finite ? s : loss;
}

/* ---- Kernels at width 1 ------------------------------------------------------
 * bce_prob / bce_logit: binary_crossentropy over n elements whose labels are
 * smoothed as y a + c. Return the sum of the element losses in double; write
 * each element loss to `losses` and its gradient times `scale` to `g` when
 * these are not NULL. Called once per row of a [batch, classes] call, or once
 * for the whole batch of an unweighted one-column call. */
/* Element i of bce_body_scalar: its loss (saturated by the _sat kernels), and
 * the loss and gradient written out; *ymax tracks the largest |y'| (plain kernels). */
static XENT_ALWAYS_INLINE float bce_elem_scalar(const float *y, const float *p, size_t i, float a,
                                                float c, float scale, float *losses, float *g,
                                                float *ymax, const int logits, const int sat) {
  float ys = y[i] * a + c, d;
  float l = logits ? logit_elem_scalar(p[i], ys, 1.0f, 0.0f, &d, 0, sat)
                   : prob_elem_scalar(p[i], ys, &d, sat);
  if (sat) {
    l = sat_scalar(l);
  } else {
    float ya = fabsf(ys);
    *ymax = *ymax < ya ? ya : *ymax; /* pmax */
  }
  if (losses) losses[i] = sat_scalar(l);
  if (g) g[i] = sat ? sat_scalar(d * scale) : d * scale;
  return l;
}

static XENT_ALWAYS_INLINE double bce_body_scalar(const float *y, const float *p, size_t n, float a,
                                                 float c, float scale, float *losses, float *g,
                                                 const int logits, const int sat) {
  /* Element i is added to acc[i % 8] and the eight are combined as the f32x4
   * kernel's double lanes are, so both return the same row sum bit for bit.
   * Each acc[k] is carried in a register through its elements of a block of
   * 256 (every eighth, in order): indexed by i % 8 element by element, the
   * array lived in memory, a load and a store per element. */
  double acc[8] = {0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0};
  float ymax = 0.0f;
  for (size_t b = 0; b < n; b += 256) {
    size_t end = n - b < 256 ? n : b + 256;
    for (size_t k = 0; k < 8; k++) {
      double s = acc[k];
      for (size_t i = b + k; i < end; i += 8)
        s += (double)bce_elem_scalar(y, p, i, a, c, scale, losses, g, &ymax, logits, sat);
      acc[k] = s;
    }
  }
  if (!sat && !(ymax <= SAFE_LABEL)) return NAN;
  return ((acc[0] + acc[4]) + (acc[2] + acc[6])) + ((acc[1] + acc[5]) + (acc[3] + acc[7]));
}

XENT_MAYBE_UNUSED static double bce_prob_scalar(const float *y, const float *p, size_t n, float a,
                                                float c, float scale, float *losses, float *g) {
  return bce_body_scalar(y, p, n, a, c, scale, losses, g, 0, 0);
}

XENT_MAYBE_UNUSED static double bce_logit_scalar(const float *y, const float *x, size_t n, float a,
                                                 float c, float scale, float *losses, float *g) {
  return bce_body_scalar(y, x, n, a, c, scale, losses, g, 1, 0);
}

XENT_MAYBE_UNUSED static double bce_prob_sat_scalar(const float *y, const float *p, size_t n,
                                                    float a, float c, float scale, float *losses,
                                                    float *g) {
  return bce_body_scalar(y, p, n, a, c, scale, losses, g, 0, 1);
}

XENT_MAYBE_UNUSED static double bce_logit_sat_scalar(const float *y, const float *x, size_t n,
                                                     float a, float c, float scale, float *losses,
                                                     float *g) {
  return bce_body_scalar(y, x, n, a, c, scale, losses, g, 1, 1);
}

/* The tf.nn ops: element losses and gradients of n flat elements. */
XENT_MAYBE_UNUSED static void logit_elems_scalar(const float *z, const float *x, size_t n, float q,
                                                 float *losses, float *g) {
  float qm1 = q - 1.0f;
  for (size_t i = 0; i < n; i++) {
    float d;
    float l = saturate_scalar(logit_elem_scalar(x[i], z[i], q, qm1, &d, 1, 1), x[i], z[i]);
    if (losses) losses[i] = l;
    if (g) g[i] = d;
  }
}

#if XENT_HAVE_SIMD128

/* ---- One element at width 4 (same steps as above) ------------------------- */

/* sat_scalar and xent__narrow at width 4: clamps to [-FLT_MAX, FLT_MAX], NaN passes. */
static inline v128_t narrow_f32x4(v128_t v) {
  const v128_t big = wasm_f32x4_splat(FLT_MAX);
  return wasm_f32x4_pmax(wasm_f32x4_pmin(v, big), wasm_f32x4_neg(big));
}


/* hard: every y is 0 or 1. Then -(y log p' + (1-y) log q) is -log(y ? p' : q)
 * bit for bit (the other term is 0 log(.) = -0, which adds nothing), so one
 * log does; the scalar kernel computes both and gets the same numbers. */
static XENT_ALWAYS_INLINE v128_t prob_elem_f32x4(v128_t p, v128_t y, v128_t *g, const int hard,
                                                 const int sat) {
  const v128_t eps = wasm_f32x4_splat(XENT_EPS), hi = wasm_f32x4_splat(XENT_ONE_MINUS_EPS);
  const v128_t one = wasm_f32x4_splat(1.0f);
  v128_t pc = wasm_f32x4_pmax(p, eps);
  pc = wasm_f32x4_pmin(pc, hi);
  v128_t q = wasm_f32x4_sub(one, pc);
  v128_t loss;
  if (hard) {
    loss = wasm_f32x4_neg(xent__log_normal_f32x4(wasm_v128_bitselect(pc, q, wasm_f32x4_eq(y, one))));
  } else {
    v128_t lp = xent__log_normal_f32x4(pc), lq = xent__log_normal_f32x4(q);
    loss = wasm_f32x4_neg(wasm_f32x4_add(wasm_f32x4_mul(y, lp),
                                         wasm_f32x4_mul(wasm_f32x4_sub(one, y), lq)));
  }
  loss = wasm_v128_bitselect(loss, p, wasm_f32x4_eq(p, p)); /* NaN p -> NaN */
  v128_t d = wasm_f32x4_div(wasm_f32x4_sub(pc, y), wasm_f32x4_mul(pc, q));
  if (sat) d = narrow_f32x4(d);
  v128_t inside = wasm_v128_and(wasm_f32x4_ge(p, eps), wasm_f32x4_le(p, hi));
  *g = wasm_v128_and(d, inside);
  return loss;
}

/* e = exp(-|x|) comes from exp_block below. */
static XENT_ALWAYS_INLINE v128_t logit_elem_f32x4(v128_t x, v128_t e, v128_t z, v128_t q,
                                                  v128_t qm1, v128_t *g, const int weighted,
                                                  const int sat) {
  const v128_t zero = wasm_f32x4_splat(0.0f), one = wasm_f32x4_splat(1.0f);
  v128_t l = wasm_f32x4_add(one, wasm_f32x4_mul(qm1, z));
  v128_t nz = wasm_f32x4_sub(one, z), qz = wasm_f32x4_mul(q, z);
  if (weighted && sat) {
    l = narrow_f32x4(l);
    qz = narrow_f32x4(qz);
  }
  v128_t pos = wasm_f32x4_pmax(x, zero);
  v128_t neg = wasm_f32x4_pmax(wasm_f32x4_neg(x), zero);
  v128_t sp = xent__log1p_unit_f32x4(e);
  v128_t loss = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_mul(nz, pos), wasm_f32x4_mul(qz, neg)),
                               weighted ? wasm_f32x4_mul(l, sp) : sp);
  v128_t nonneg = wasm_f32x4_ge(x, zero);
  v128_t A = wasm_v128_bitselect(one, e, nonneg), B = wasm_v128_bitselect(e, one, nonneg);
  v128_t d = wasm_f32x4_div(wasm_f32x4_sub(wasm_f32x4_mul(nz, A), wasm_f32x4_mul(qz, B)),
                            wasm_f32x4_add(one, e));
  *g = sat ? narrow_f32x4(d) : d;
  return loss;
}

/* Tails element by element, not with memset/memcpy (in wasm a call into libc
 * that costs about as much as a short row; benchmark W5). pad8: the r < 8
 * elements of src, then zeros; copy_out: the first r of 8 back out. */
static inline void pad8(float *dst, const float *src, size_t r) {
  for (size_t i = 0; i < 8; i++) dst[i] = i < r ? src[i] : 0.0f;
}
static inline void copy_out(float *dst, const float *src, size_t r) {
  for (size_t i = 0; i < 8; i++)
    if (i < r) dst[i] = src[i];
}

/* The logits kernels work in blocks of EXP_BLOCK elements: one loop stores
 * e = exp(-|x|) of the block into eb (stack, in L1), then the element loop
 * reads it back. In one loop body the exp and the rest do not fit the
 * engine's 16 vector registers and spill: split, W3 runs ~30% faster
 * (bench/README.md). The last 1-7 elements go through a zeroed local copy. */
#define EXP_BLOCK 256

static void exp_block(const float *x, size_t m, float *eb) {
  float xt[8];
  for (size_t j = 0; j < m; j += 8) {
    const float *xb = x + j;
    if (m - j < 8) {
      pad8(xt, xb, m - j);
      xb = xt;
    }
    wasm_v128_store(eb + j, xent_exp_f32x4(wasm_f32x4_neg(wasm_f32x4_abs(wasm_v128_load(xb)))));
    wasm_v128_store(eb + j + 4,
                    xent_exp_f32x4(wasm_f32x4_neg(wasm_f32x4_abs(wasm_v128_load(xb + 4)))));
  }
}

/* Adds the four float lanes of v to two f64x2 accumulators. */
static inline void acc_f64(v128_t *lo, v128_t *hi, v128_t v) {
  *lo = wasm_f64x2_add(*lo, wasm_f64x2_promote_low_f32x4(v));
  *hi = wasm_f64x2_add(*hi, wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(v, v, 2, 3, 2, 3)));
}

static inline double sum_f64(v128_t a, v128_t b) {
  v128_t s = wasm_f64x2_add(a, b);
  return wasm_f64x2_extract_lane(s, 0) + wasm_f64x2_extract_lane(s, 1);
}

/* Lanes [0, r) set: keeps the real elements of a padded tail. */
static inline v128_t lanes_below(size_t r) {
  return wasm_i32x4_lt(wasm_i32x4_make(0, 1, 2, 3), wasm_i32x4_splat((int32_t)r));
}

static inline v128_t saturate_f32x4(v128_t loss, v128_t x, v128_t z) {
  const v128_t big = wasm_f32x4_splat(FLT_MAX);
  v128_t finite =
      wasm_v128_and(wasm_f32x4_le(wasm_f32x4_abs(x), big), wasm_f32x4_le(wasm_f32x4_abs(z), big));
  v128_t s = wasm_f32x4_pmax(loss, wasm_f32x4_neg(big));
  s = wasm_f32x4_pmin(s, big);
  return wasm_v128_bitselect(s, loss, finite);
}

/* ---- Kernels at width 4 ---------------------------------------------------------
 * Eight elements (two f32x4 steps) per iteration. The last 1-7 elements run
 * through the same two steps on a zeroed local copy (pad8); their padding lanes are
 * masked out of the sum and never stored. One copy of each step per kernel
 * keeps the module small. */

/* One f32x4 step of binary_crossentropy on smoothed labels ys: returns the
 * losses, *g the gradients (unscaled). */
static XENT_ALWAYS_INLINE v128_t bce_step_f32x4(v128_t ys, const float *p, const float *e,
                                                v128_t *g, const int logits, const int hard,
                                                const int sat) {
  v128_t vp = wasm_v128_load(p);
  return logits ? logit_elem_f32x4(vp, wasm_v128_load(e), ys, wasm_f32x4_splat(1.0f),
                                   wasm_f32x4_splat(0.0f), g, 0, sat)
                : prob_elem_f32x4(vp, ys, g, hard, sat);
}

/* All eight smoothed labels are 0 or 1 (the probability path's one-log case). */
static inline int all_hard(v128_t y0, v128_t y1) {
  const v128_t zero = wasm_f32x4_splat(0.0f), one = wasm_f32x4_splat(1.0f);
  v128_t h0 = wasm_v128_or(wasm_f32x4_eq(y0, zero), wasm_f32x4_eq(y0, one));
  v128_t h1 = wasm_v128_or(wasm_f32x4_eq(y1, zero), wasm_f32x4_eq(y1, one));
  return wasm_i32x4_all_true(wasm_v128_and(h0, h1));
}

static XENT_ALWAYS_INLINE double bce_body_f32x4(const float *y, const float *p, size_t n, float a,
                                                float c, float scale, float *losses, float *g,
                                                const int logits, const int sat) {
  const v128_t va = wasm_f32x4_splat(a), vc = wasm_f32x4_splat(c), vs = wasm_f32x4_splat(scale);
  v128_t s0 = wasm_f64x2_splat(0.0), s1 = s0, s2 = s0, s3 = s0, d0, d1;
  v128_t ymax = wasm_f32x4_splat(0.0f);
  float yt[8], pt[8], out[8], eb[EXP_BLOCK];
  for (size_t i = 0; i < n; i += 8) {
    size_t r = n - i;
    if (logits && i % EXP_BLOCK == 0) exp_block(p + i, r < EXP_BLOCK ? r : EXP_BLOCK, eb);
    const float *yb = y + i, *pb = p + i, *e = eb + i % EXP_BLOCK;
    if (r < 8) {
      pad8(yt, yb, r), pad8(pt, pb, r);
      yb = yt, pb = pt;
    }
    v128_t y0 = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(yb), va), vc);
    v128_t y1 = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(yb + 4), va), vc);
    v128_t l0, l1;
    if (!logits && all_hard(y0, y1)) {
      l0 = bce_step_f32x4(y0, pb, e, &d0, logits, 1, sat);
      l1 = bce_step_f32x4(y1, pb + 4, e + 4, &d1, logits, 1, sat);
    } else {
      l0 = bce_step_f32x4(y0, pb, e, &d0, logits, 0, sat);
      l1 = bce_step_f32x4(y1, pb + 4, e + 4, &d1, logits, 0, sat);
      /* Only these blocks can hold a label beyond SAFE_LABEL: a hard block's
       * are 0 or 1, so it skips the four operations. */
      if (!sat)
        ymax = wasm_f32x4_pmax(ymax, wasm_f32x4_pmax(wasm_f32x4_abs(y0), wasm_f32x4_abs(y1)));
    }
    if (sat) {
      l0 = narrow_f32x4(l0);
      l1 = narrow_f32x4(l1);
    }
    if (r < 8) {
      l0 = wasm_v128_and(l0, lanes_below(r));
      l1 = wasm_v128_and(l1, lanes_below(r > 4 ? r - 4 : 0));
    }
    acc_f64(&s0, &s1, l0);
    acc_f64(&s2, &s3, l1);
    if (losses) {
      float *dst = r < 8 ? out : losses + i;
      wasm_v128_store(dst, sat ? l0 : narrow_f32x4(l0));
      wasm_v128_store(dst + 4, sat ? l1 : narrow_f32x4(l1));
      if (r < 8) copy_out(losses + i, out, r);
    }
    if (g) {
      float *dst = r < 8 ? out : g + i;
      v128_t g0 = wasm_f32x4_mul(d0, vs), g1 = wasm_f32x4_mul(d1, vs);
      wasm_v128_store(dst, sat ? narrow_f32x4(g0) : g0);
      wasm_v128_store(dst + 4, sat ? narrow_f32x4(g1) : g1);
      if (r < 8) copy_out(g + i, out, r);
    }
  }
  if (!sat) {
    /* The largest |y'| of the row, from its four lanes (pmax is exact in any order). */
    ymax = wasm_f32x4_pmax(ymax, wasm_i32x4_shuffle(ymax, ymax, 2, 3, 0, 1));
    ymax = wasm_f32x4_pmax(ymax, wasm_i32x4_shuffle(ymax, ymax, 1, 0, 3, 2));
    if (!(wasm_f32x4_extract_lane(ymax, 0) <= SAFE_LABEL)) return NAN;
  }
  return sum_f64(wasm_f64x2_add(s0, s2), wasm_f64x2_add(s1, s3));
}

static double bce_prob_f32x4(const float *y, const float *p, size_t n, float a, float c,
                             float scale, float *losses, float *g) {
  return bce_body_f32x4(y, p, n, a, c, scale, losses, g, 0, 0);
}

static double bce_logit_f32x4(const float *y, const float *x, size_t n, float a, float c,
                              float scale, float *losses, float *g) {
  return bce_body_f32x4(y, x, n, a, c, scale, losses, g, 1, 0);
}

static double bce_prob_sat_f32x4(const float *y, const float *p, size_t n, float a, float c,
                                 float scale, float *losses, float *g) {
  return bce_body_f32x4(y, p, n, a, c, scale, losses, g, 0, 1);
}

static double bce_logit_sat_f32x4(const float *y, const float *x, size_t n, float a, float c,
                                  float scale, float *losses, float *g) {
  return bce_body_f32x4(y, x, n, a, c, scale, losses, g, 1, 1);
}

/* One f32x4 step of the tf.nn ops: the saturated losses, *g the gradients. */
static inline v128_t logit_step_f32x4(const float *x, const float *e, const float *z, v128_t q,
                                      v128_t qm1, v128_t *g) {
  v128_t vx = wasm_v128_load(x), vz = wasm_v128_load(z);
  return saturate_f32x4(logit_elem_f32x4(vx, wasm_v128_load(e), vz, q, qm1, g, 1, 1), vx, vz);
}

static void logit_elems_f32x4(const float *z, const float *x, size_t n, float q, float *losses,
                              float *g) {
  const v128_t vq = wasm_f32x4_splat(q), vqm1 = wasm_f32x4_splat(q - 1.0f);
  v128_t d0, d1;
  float zt[8], xt[8], out[8], eb[EXP_BLOCK];
  for (size_t i = 0; i < n; i += 8) {
    size_t r = n - i;
    if (i % EXP_BLOCK == 0) exp_block(x + i, r < EXP_BLOCK ? r : EXP_BLOCK, eb);
    const float *zb = z + i, *xb = x + i, *e = eb + i % EXP_BLOCK;
    if (r < 8) {
      pad8(zt, zb, r), pad8(xt, xb, r);
      zb = zt, xb = xt;
    }
    v128_t l0 = logit_step_f32x4(xb, e, zb, vq, vqm1, &d0);
    v128_t l1 = logit_step_f32x4(xb + 4, e + 4, zb + 4, vq, vqm1, &d1);
    if (losses) {
      float *dst = r < 8 ? out : losses + i;
      wasm_v128_store(dst, l0);
      wasm_v128_store(dst + 4, l1);
      if (r < 8) copy_out(losses + i, out, r);
    }
    if (g) {
      float *dst = r < 8 ? out : g + i;
      wasm_v128_store(dst, d0);
      wasm_v128_store(dst + 4, d1);
      if (r < 8) copy_out(g + i, out, r);
    }
  }
}

#endif /* XENT_HAVE_SIMD128 */

/* ---- Public entry points ------------------------------------------------------- */

typedef double (*bce_kernel)(const float *, const float *, size_t, float, float, float, float *,
                             float *);

/* One pass of binary_crossentropy: the plain kernel, or the saturating one
 * when the scale is large or the plain pass gave a non-finite sum (the
 * comment above SAFE_LABEL). */
static double bce_pass(bce_kernel plain, bce_kernel sat, const float *y, const float *p, size_t n,
                       float a, float c, float scale, float *losses, float *g) {
  double sum = NAN;
  if (fabsf(scale) <= SAFE_SCALE) sum = plain(y, p, n, a, c, scale, losses, g);
  if (!(sum - sum == 0.0)) sum = sat(y, p, n, a, c, scale, losses, g);
  return sum;
}

xent_status xent_binary_crossentropy(const float *y_true, const float *y_pred, size_t batch,
                                     size_t classes, const xent_options *opt, float *losses,
                                     float *grad, float *loss, xent_error *err) {
  xent_plan plan;
  xent_status s = xent__plan_dense(&plan, y_true, y_pred, batch, classes, opt, 0, err);
  if (s) return s;
  /* y' = y (1 - s) + 0.5 s, in float32 as Keras does it; s = 0 leaves y as is. */
  const float a = 1.0f - plan.opt.label_smoothing, c = 0.5f * plan.opt.label_smoothing;
  bce_kernel plain = plan.opt.from_logits ? XENT_KERNEL(bce_logit) : XENT_KERNEL(bce_prob);
  bce_kernel sat = plan.opt.from_logits ? XENT_KERNEL(bce_logit_sat) : XENT_KERNEL(bce_prob_sat);
  double total = 0.0;
  if (classes == 1 && !plan.opt.sample_weight && !plan.opt.class_weight && !plan.opt.mask) {
    /* One column, every weight 1: each example is one element, so the whole
     * batch is a single pass (the per-example loss is the element loss). */
    total = bce_pass(plain, sat, y_true, y_pred, batch, a, c, xent__grad_scale(&plan, 1.0f), losses,
                     grad);
  } else {
    for (size_t b = 0; b < batch; b++) {
      const float *y = y_true + b * classes, *p = y_pred + b * classes;
      float w = xent__dense_weight(&plan, b, y);
      /* The per-example loss is the mean over classes: each element carries 1/classes. */
      float scale = (float)((double)xent__grad_scale(&plan, w) / (double)classes);
      double sum = bce_pass(plain, sat, y, p, classes, a, c, scale, NULL,
                            grad ? grad + b * classes : NULL);
      double weighted = (double)w * (sum / (double)classes);
      if (losses) losses[b] = xent__narrow(weighted);
      total += weighted;
    }
  }
  xent__finish(&plan, total, loss);
  return XENT_OK;
}

xent_status xent_sigmoid_cross_entropy_with_logits(const float *labels, const float *logits,
                                                   size_t batch, size_t classes, float *losses,
                                                   float *grad, xent_error *err) {
  xent_status s = xent__check_nn(labels, logits, batch, classes, err);
  if (s) return s;
  XENT_KERNEL(logit_elems)(labels, logits, batch * classes, 1.0f, losses, grad);
  return XENT_OK;
}

xent_status xent_weighted_cross_entropy_with_logits(const float *labels, const float *logits,
                                                    size_t batch, size_t classes, float pos_weight,
                                                    float *losses, float *grad, xent_error *err) {
  xent_status s = xent__check_nn(labels, logits, batch, classes, err);
  if (s) return s;
  if (!(pos_weight >= -FLT_MAX && pos_weight <= FLT_MAX))
    return xent__fail(err, XENT_ERR_OPTION, "pos_weight", 0, (double)pos_weight);
  XENT_KERNEL(logit_elems)(labels, logits, batch * classes, pos_weight, losses, grad);
  return XENT_OK;
}
