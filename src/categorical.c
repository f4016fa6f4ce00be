/* categorical.c: categorical cross-entropy with dense (one-hot or soft) labels,
 * semantics.md 2.4 (loss), 4.4 and 4.5 (gradients) and decisions 1, 3 and 6,
 * and tf.nn.softmax_cross_entropy_with_logits (3.3). Called through xent.h by
 * the JS API (js/index.js), the explorer and tests/c/test_categorical.c.
 *
 * Labels are smoothed as y' = y (1 - s) + s / C in double (Keras rounds y'
 * to float32 first; the gradient's cancellations would magnify that rounding).
 *
 * Logits path, per row (issue 6): pass 1 finds m = max z (run on its own
 * only for the first row: every other row's maximum is found during the
 * previous row's pass 2, so its memory read overlaps computation); pass 2
 * computes e_j = exp(z_j - m) (kept in the gradient row when one is wanted) and
 * accumulates S = sum e, sum y' and sum y' (z - m) in double, the last with
 * z - m taken in double so that a zero label times a spread beyond FLT_MAX
 * is 0, not NaN (decision 6); the loss is (sum y') log S - sum y' (z - m).
 * Pass 3, on the row still in cache, turns e into
 * scale ((sum y') e / S - y'), the exact derivative (decision 1). That
 * difference cancels where the softmax matches the labels, so it runs in
 * float32 only when the scale is small enough for float32 rounding to stay
 * within the tolerance (grad_fits_float: large batches with the default
 * reduction), and in double otherwise.
 *
 * Probability path: q = p / sum p (0 when the sum is 0: decision 3), then
 * q' = clip(q) to [eps, 1 - eps] in float32, loss -sum y' log q'. With m_j
 * the clip indicator on the closed interval and T = sum_j m_j y'_j
 * (q_j / q'_j = 1 wherever m_j = 1), section 4.5 reads
 * dL/dp_i = (T - m_i y'_i / q_i) / sum p, computed with q_i in double.
 *
 * Each row kernel exists as _scalar and _f32x4 with the same steps; they
 * agree bit for bit, per element and per example: every rounding is the same
 * float or double operation, and the scalar kernels add the row sums in the
 * order of the f32x4 kernels' double lanes (elements 4i + 0 and 4i + 2 into
 * one, 4i + 1 and 4i + 3 into the other). Gradients are clamped
 * to +-FLT_MAX so that finite inputs never give an infinite gradient. */
#include <math.h>
#include <string.h>

#include "xent_internal.h"
#include "xent_math.h"
#include "xent_row.h"

/* ---- Logits: one row of sum_j y'_j (logsumexp(z) - z_j) -------------------- */

/* Pass 2 on four elements (k of them real, the rest padding): e = exp(z - m)
 * and the row sums, paired like the f32x4 kernel's double lanes (elements
 * 0 + 2 and 1 + 3) so that both builds form bit-identical sums. */
static inline void softmax_step_scalar(const float *z4, const float *y4, size_t k, float m,
                                       double a, double b, float *e4, double *s, double *sy,
                                       double *syd, float *ymax) {
  double yy[4], d[4];
  for (size_t i = 0; i < 4; i++) {
    float e = xent_exp_scalar(z4[i] - m);
    e4[i] = i < k ? e : 0.0f;
    yy[i] = (double)y4[i] * a + (i < k ? b : 0.0);
    d[i] = (double)z4[i] - (double)m;
    *ymax = *ymax < fabsf(y4[i]) ? fabsf(y4[i]) : *ymax;
  }
  s[0] += (double)e4[0] + (double)e4[2];
  s[1] += (double)e4[1] + (double)e4[3];
  sy[0] += yy[0] + yy[2];
  sy[1] += yy[1] + yy[3];
  syd[0] += yy[0] * d[0] + yy[2] * d[2];
  syd[1] += yy[1] * d[1] + yy[3] * d[3];
}

/* Pass 3 in float32 is within the gradient tolerance when
 * scale (2 r + 3 max|y'|) <= 1/4, r = (sum y') / S: its roundings then add at
 * most 1.5e-8 absolute (issue 6: W2 with the default reduction). Otherwise it
 * runs in double. Both builds decide from bit-identical numbers. */
static inline int grad_fits_float(double r, float ymax, double a, double b, double scale) {
  return fabs(scale) * (2.0 * fabs(r) + 3.0 * ((double)ymax * fabs(a) + fabs(b))) <= 0.25;
}

/* One row given its maximum m; also stores the maximum of zn[0..n) (the next
 * row, or z itself for the last one) in *mn. */
XENT_MAYBE_UNUSED static double softmax_row_scalar(const float *y, const float *z, size_t n,
                                                   float m, const float *zn, float *mn,
                                                   double a, double b, double scale, float *g) {
  size_t n4 = n & ~(size_t)3, t = n - n4;
  /* Pass 2: exponentials and the row sums; the next row's maximum. */
  double s[2] = {0.0, 0.0}, sy[2] = {0.0, 0.0}, syd[2] = {0.0, 0.0};
  float mx = zn[0], ymax = 0.0f, e4[4];
  for (size_t j = 0; j < n4; j += 4) {
    softmax_step_scalar(z + j, y + j, 4, m, a, b, e4, s, sy, syd, &ymax);
    if (g) memcpy(g + j, e4, sizeof e4);
  }
  if (t) {
    float zt[4] = {0}, yt[4] = {0};
    memcpy(zt, z + n4, t * sizeof(float));
    memcpy(yt, y + n4, t * sizeof(float));
    softmax_step_scalar(zt, yt, t, m, a, b, e4, s, sy, syd, &ymax);
    if (g) memcpy(g + n4, e4, t * sizeof(float));
  }
  for (size_t j = 0; j < n; j++) mx = mx < zn[j] ? zn[j] : mx;
  *mn = mx;
  double ssum = s[0] + s[1], sysum = sy[0] + sy[1];
  /* Pass 3: the gradient from the stored exponentials. */
  if (g) {
    double r = sysum / ssum;
    if (grad_fits_float(r, ymax, a, b, scale)) {
      float rf = (float)r, cf = (float)scale, af = (float)a, bf = (float)b;
      for (size_t j = 0; j < n; j++) g[j] = (g[j] * rf - (y[j] * af + bf)) * cf;
    } else {
      for (size_t j = 0; j < n; j++) {
        double yy = (double)y[j] * a + b;
        g[j] = clamp_finite((float)(((double)g[j] * r - yy) * scale));
      }
    }
  }
  return sysum * log(ssum) - (syd[0] + syd[1]);
}

/* ---- Probabilities: one row of -sum_j y'_j log clip(p_j / sum p) ----------- */

/* Four elements (k of them real, the rest zero padding), summed in the pairs
 * of the f32x4 kernel's double lanes. */
static inline void sum4_scalar(const float *v4, size_t k, double *acc) {
  double v[4];
  for (size_t i = 0; i < 4; i++) v[i] = i < k ? (double)v4[i] : 0.0;
  acc[0] += v[0] + v[2];
  acc[1] += v[1] + v[3];
}

/* Pass 2 on four elements: q' = clip(p / sum p), the loss terms y' log q' and
 * T's terms m y', paired like the f32x4 kernel's double lanes. */
static inline void prob_step_scalar(const float *p4, const float *y4, size_t k, double rinv,
                                    double a, double b, double *sl, double *st) {
  double l[4], t[4];
  for (size_t i = 0; i < 4; i++) {
    float q = (float)((double)p4[i] * rinv);
    float qc = q < XENT_EPS ? XENT_EPS : q;
    qc = XENT_ONE_MINUS_EPS < qc ? XENT_ONE_MINUS_EPS : qc;
    int in = q >= XENT_EPS && q <= XENT_ONE_MINUS_EPS;
    double yy = (double)y4[i] * a + (i < k ? b : 0.0);
    l[i] = yy * (double)xent_log_scalar(qc);
    t[i] = in ? yy : 0.0;
  }
  sl[0] += l[0] + l[2];
  sl[1] += l[1] + l[3];
  st[0] += t[0] + t[2];
  st[1] += t[1] + t[3];
}

XENT_MAYBE_UNUSED static double categorical_prob_row_scalar(const float *y, const float *p,
                                                            size_t n, double a, double b,
                                                            double scale, float *g) {
  size_t n4 = n & ~(size_t)3, t = n - n4;
  float pt[4] = {0}, yt[4] = {0};
  memcpy(pt, p + n4, t * sizeof(float));
  memcpy(yt, y + n4, t * sizeof(float));
  /* Pass 1: the row sum; divide_no_nan when it is 0. */
  double acc[2] = {0.0, 0.0};
  for (size_t j = 0; j < n4; j += 4) sum4_scalar(p + j, 4, acc);
  sum4_scalar(pt, t, acc);
  double sp = acc[0] + acc[1];
  double rinv = sp != 0.0 ? 1.0 / sp : 0.0;
  /* Pass 2: q, q' = clip(q), the loss and T. */
  double sl[2] = {0.0, 0.0}, st[2] = {0.0, 0.0};
  for (size_t j = 0; j < n4; j += 4) prob_step_scalar(p + j, y + j, 4, rinv, a, b, sl, st);
  prob_step_scalar(pt, yt, t, rinv, a, b, sl, st);
  double tsum = st[0] + st[1];
  /* Pass 3: dL/dp_i = (T - m_i y'_i / q_i) / sum p, q_i in double. */
  if (g) {
    double c = scale * rinv;
    for (size_t j = 0; j < n; j++) {
      double qd = (double)p[j] * rinv;
      float q = (float)qd;
      int in = q >= XENT_EPS && q <= XENT_ONE_MINUS_EPS;
      double yy = (double)y[j] * a + b;
      double ratio = yy / qd;
      g[j] = clamp_finite((float)((tsum - (in ? ratio : 0.0)) * c));
    }
  }
  return -(sl[0] + sl[1]);
}

#if XENT_HAVE_SIMD128

static inline v128_t demote2(v128_t lo, v128_t hi) {
  return wasm_i32x4_shuffle(wasm_f32x4_demote_f64x2_zero(lo), wasm_f32x4_demote_f64x2_zero(hi),
                            0, 1, 4, 5);
}
static inline v128_t clamp_finite_f32x4(v128_t v) {
  v = wasm_f32x4_min(v, wasm_f32x4_splat(FLT_MAX));
  return wasm_f32x4_max(v, wasm_f32x4_splat(-FLT_MAX));
}

/* Smoothed labels y' = y a + b of four elements, in double; `b` is per lane
 * so that lanes past the end of a row (y padded with 0) stay 0. */
typedef struct { v128_t a, blo, bhi; } smooth_f64x2;

static inline smooth_f64x2 smooth_make(double a, double b, size_t lanes) {
  smooth_f64x2 sm = {wasm_f64x2_splat(a), wasm_f64x2_make(lanes > 0 ? b : 0.0, lanes > 1 ? b : 0.0),
                     wasm_f64x2_make(lanes > 2 ? b : 0.0, lanes > 3 ? b : 0.0)};
  return sm;
}

/* Pass 2 on four elements; `keep` zeroes the lanes past the end of a row. */
static inline v128_t softmax_step_f32x4(v128_t zv, v128_t yv, v128_t keep, v128_t mv,
                                        v128_t md, smooth_f64x2 sm, v128_t *s, v128_t *sy,
                                        v128_t *syd, v128_t *ymax) {
  v128_t e = wasm_v128_and(xent_exp_f32x4(wasm_f32x4_sub(zv, mv)), keep);
  *ymax = wasm_f32x4_pmax(*ymax, wasm_f32x4_abs(yv));
  v128_t ylo = wasm_f64x2_add(wasm_f64x2_mul(lo64(yv), sm.a), sm.blo);
  v128_t yhi = wasm_f64x2_add(wasm_f64x2_mul(hi64(yv), sm.a), sm.bhi);
  *s = wasm_f64x2_add(*s, wasm_f64x2_add(lo64(e), hi64(e)));
  *sy = wasm_f64x2_add(*sy, wasm_f64x2_add(ylo, yhi));
  *syd = wasm_f64x2_add(*syd, wasm_f64x2_add(wasm_f64x2_mul(ylo, wasm_f64x2_sub(lo64(zv), md)),
                                             wasm_f64x2_mul(yhi, wasm_f64x2_sub(hi64(zv), md))));
  return e;
}

/* Pass 3 on four elements in float32, when grad_fits_float. */
static inline v128_t softmax_grad_float_f32x4(v128_t e, v128_t yv, v128_t rf, v128_t af,
                                              v128_t bf, v128_t cf) {
  return wasm_f32x4_mul(wasm_f32x4_sub(wasm_f32x4_mul(e, rf),
                                       wasm_f32x4_add(wasm_f32x4_mul(yv, af), bf)), cf);
}

/* Pass 3 on four elements: scale ((sum y') e / S - y') in double. */
static inline v128_t softmax_grad_f32x4(v128_t e, v128_t yv, smooth_f64x2 sm, v128_t rv,
                                        v128_t cv) {
  v128_t ylo = wasm_f64x2_add(wasm_f64x2_mul(lo64(yv), sm.a), sm.blo);
  v128_t yhi = wasm_f64x2_add(wasm_f64x2_mul(hi64(yv), sm.a), sm.bhi);
  v128_t glo = wasm_f64x2_mul(wasm_f64x2_sub(wasm_f64x2_mul(lo64(e), rv), ylo), cv);
  v128_t ghi = wasm_f64x2_mul(wasm_f64x2_sub(wasm_f64x2_mul(hi64(e), rv), yhi), cv);
  return clamp_finite_f32x4(demote2(glo, ghi));
}

static double softmax_row_f32x4(const float *y, const float *z, size_t n, float m,
                                const float *zn, float *mn, double a, double b, double scale,
                                float *g) {
  size_t n4 = n & ~(size_t)3, t = n - n4;
  /* Pass 2: exponentials and the row sums; the next row's maximum. */
  v128_t mv = wasm_f32x4_splat(m), md = wasm_f64x2_splat((double)m);
  v128_t x0 = wasm_f32x4_splat(zn[0]), x1 = x0;
  v128_t all = wasm_i32x4_splat(-1), s = wasm_f64x2_splat(0.0), sy = s, syd = s;
  v128_t ym = wasm_f32x4_splat(0.0f);
  smooth_f64x2 sm = smooth_make(a, b, 4), smt = smooth_make(a, b, t);
  size_t j = 0;
  for (; j + 8 <= n4; j += 8) {
    v128_t e0 = softmax_step_f32x4(wasm_v128_load(z + j), wasm_v128_load(y + j), all, mv, md,
                                   sm, &s, &sy, &syd, &ym);
    v128_t e1 = softmax_step_f32x4(wasm_v128_load(z + j + 4), wasm_v128_load(y + j + 4), all,
                                   mv, md, sm, &s, &sy, &syd, &ym);
    x0 = wasm_f32x4_pmax(x0, wasm_v128_load(zn + j));
    x1 = wasm_f32x4_pmax(x1, wasm_v128_load(zn + j + 4));
    if (g) {
      wasm_v128_store(g + j, e0);
      wasm_v128_store(g + j + 4, e1);
    }
  }
  for (; j < n4; j += 4) {
    v128_t e = softmax_step_f32x4(wasm_v128_load(z + j), wasm_v128_load(y + j), all, mv, md, sm,
                                  &s, &sy, &syd, &ym);
    x0 = wasm_f32x4_pmax(x0, wasm_v128_load(zn + j));
    if (g) wasm_v128_store(g + j, e);
  }
  if (t) {
    v128_t e = softmax_step_f32x4(load_tail(z + n4, t, 0.0f), load_tail(y + n4, t, 0.0f),
                                  tail_keep(t), mv, md, smt, &s, &sy, &syd, &ym);
    x1 = wasm_f32x4_pmax(x1, load_tail(zn + n4, t, zn[0]));
    if (g) store_tail(g + n4, e, t);
  }
  *mn = hmax_f32x4(wasm_f32x4_pmax(x0, x1));
  double ssum = hsum64(s), sysum = hsum64(sy);
  /* Pass 3: the gradient from the stored exponentials. */
  if (g) {
    double r = sysum / ssum;
    if (grad_fits_float(r, hmax_f32x4(ym), a, b, scale)) {
      v128_t rf = wasm_f32x4_splat((float)r), cf = wasm_f32x4_splat((float)scale);
      v128_t af = wasm_f32x4_splat((float)a), bf = wasm_f32x4_splat((float)b);
      for (j = 0; j + 8 <= n4; j += 8) {
        wasm_v128_store(g + j, softmax_grad_float_f32x4(wasm_v128_load(g + j),
                                                        wasm_v128_load(y + j), rf, af, bf, cf));
        wasm_v128_store(g + j + 4, softmax_grad_float_f32x4(wasm_v128_load(g + j + 4),
                                                            wasm_v128_load(y + j + 4), rf, af,
                                                            bf, cf));
      }
      for (; j < n4; j += 4)
        wasm_v128_store(g + j, softmax_grad_float_f32x4(wasm_v128_load(g + j),
                                                        wasm_v128_load(y + j), rf, af, bf, cf));
      if (t)
        store_tail(g + n4, softmax_grad_float_f32x4(load_tail(g + n4, t, 0.0f),
                                                    load_tail(y + n4, t, 0.0f), rf, af, bf, cf),
                   t);
    } else {
      v128_t rv = wasm_f64x2_splat(r), cv = wasm_f64x2_splat(scale);
      for (j = 0; j < n4; j += 4)
        wasm_v128_store(g + j, softmax_grad_f32x4(wasm_v128_load(g + j), wasm_v128_load(y + j),
                                                  sm, rv, cv));
      if (t)
        store_tail(g + n4, softmax_grad_f32x4(load_tail(g + n4, t, 0.0f),
                                              load_tail(y + n4, t, 0.0f), smt, rv, cv), t);
    }
  }
  return sysum * log(ssum) - hsum64(syd);
}

/* q' = clip(q), and the clip indicator m as a lane mask. */
static inline v128_t clip_f32x4(v128_t q) {
  v128_t qc = wasm_f32x4_pmax(q, wasm_f32x4_splat(XENT_EPS));
  return wasm_f32x4_pmin(qc, wasm_f32x4_splat(XENT_ONE_MINUS_EPS));
}
static inline v128_t inside_f32x4(v128_t q) {
  return wasm_v128_and(wasm_f32x4_ge(q, wasm_f32x4_splat(XENT_EPS)),
                       wasm_f32x4_le(q, wasm_f32x4_splat(XENT_ONE_MINUS_EPS)));
}

static inline void prob_step_f32x4(v128_t pv, v128_t yv, v128_t rd, smooth_f64x2 sm,
                                   v128_t *sl, v128_t *st) {
  v128_t q = demote2(wasm_f64x2_mul(lo64(pv), rd), wasm_f64x2_mul(hi64(pv), rd));
  v128_t lq = xent_log_f32x4(clip_f32x4(q)), in = inside_f32x4(q);
  v128_t ylo = wasm_f64x2_add(wasm_f64x2_mul(lo64(yv), sm.a), sm.blo);
  v128_t yhi = wasm_f64x2_add(wasm_f64x2_mul(hi64(yv), sm.a), sm.bhi);
  *sl = wasm_f64x2_add(*sl, wasm_f64x2_add(wasm_f64x2_mul(ylo, lo64(lq)),
                                           wasm_f64x2_mul(yhi, hi64(lq))));
  *st = wasm_f64x2_add(*st, wasm_f64x2_add(wasm_v128_and(ylo, wasm_i64x2_extend_low_i32x4(in)),
                                           wasm_v128_and(yhi, wasm_i64x2_extend_high_i32x4(in))));
}

static inline v128_t prob_grad_f32x4(v128_t pv, v128_t yv, v128_t rd, smooth_f64x2 sm,
                                     v128_t tv, v128_t cv) {
  v128_t qlo = wasm_f64x2_mul(lo64(pv), rd), qhi = wasm_f64x2_mul(hi64(pv), rd);
  v128_t in = inside_f32x4(demote2(qlo, qhi));
  v128_t ylo = wasm_f64x2_add(wasm_f64x2_mul(lo64(yv), sm.a), sm.blo);
  v128_t yhi = wasm_f64x2_add(wasm_f64x2_mul(hi64(yv), sm.a), sm.bhi);
  v128_t rlo = wasm_v128_and(wasm_f64x2_div(ylo, qlo), wasm_i64x2_extend_low_i32x4(in));
  v128_t rhi = wasm_v128_and(wasm_f64x2_div(yhi, qhi), wasm_i64x2_extend_high_i32x4(in));
  v128_t glo = wasm_f64x2_mul(wasm_f64x2_sub(tv, rlo), cv);
  v128_t ghi = wasm_f64x2_mul(wasm_f64x2_sub(tv, rhi), cv);
  return clamp_finite_f32x4(demote2(glo, ghi));
}

static double categorical_prob_row_f32x4(const float *y, const float *p, size_t n, double a,
                                         double b, double scale, float *g) {
  size_t n4 = n & ~(size_t)3, t = n - n4;
  /* Pass 1: the row sum; divide_no_nan when it is 0. */
  v128_t acc = wasm_f64x2_splat(0.0);
  for (size_t j = 0; j < n4; j += 4) {
    v128_t pv = wasm_v128_load(p + j);
    acc = wasm_f64x2_add(acc, wasm_f64x2_add(lo64(pv), hi64(pv)));
  }
  v128_t pt = load_tail(p + n4, t, 0.0f), yt = load_tail(y + n4, t, 0.0f);
  acc = wasm_f64x2_add(acc, wasm_f64x2_add(lo64(pt), hi64(pt)));
  double sp = hsum64(acc);
  double rinv = sp != 0.0 ? 1.0 / sp : 0.0;
  /* Pass 2: q, q' = clip(q), the loss and T. */
  v128_t rd = wasm_f64x2_splat(rinv), sl = wasm_f64x2_splat(0.0), st = sl;
  smooth_f64x2 sm = smooth_make(a, b, 4), smt = smooth_make(a, b, t);
  for (size_t j = 0; j < n4; j += 4)
    prob_step_f32x4(wasm_v128_load(p + j), wasm_v128_load(y + j), rd, sm, &sl, &st);
  prob_step_f32x4(pt, yt, rd, smt, &sl, &st);
  /* Pass 3: dL/dp_i = (T - m_i y'_i / q_i) / sum p, q_i in double. */
  if (g) {
    v128_t tv = wasm_f64x2_splat(hsum64(st)), cv = wasm_f64x2_splat(scale * rinv);
    for (size_t j = 0; j < n4; j += 4)
      wasm_v128_store(g + j, prob_grad_f32x4(wasm_v128_load(p + j), wasm_v128_load(y + j), rd,
                                             sm, tv, cv));
    if (t) store_tail(g + n4, prob_grad_f32x4(pt, yt, rd, smt, tv, cv), t);
  }
  return -hsum64(sl);
}

#endif /* XENT_HAVE_SIMD128 */

/* ---- Entry points ------------------------------------------------------------ */

xent_status xent_categorical_crossentropy(const float *y_true, const float *y_pred,
                                          size_t batch, size_t classes,
                                          const xent_options *opt, float *losses,
                                          float *grad, float *loss, xent_error *err) {
  xent_plan plan;
  xent_status status = xent__plan_dense(&plan, y_true, y_pred, batch, classes, opt, 0, err);
  if (status) return status;
  double ls = (double)plan.opt.label_smoothing;
  double a = 1.0 - ls, b = ls / (double)classes;
  double total = 0.0;
  float m = batch && plan.opt.from_logits ? XENT_KERNEL(row_max)(y_pred, classes) : 0.0f;
  for (size_t i = 0; i < batch; i++) {
    const float *y = y_true + i * classes, *p = y_pred + i * classes;
    const float *next = i + 1 < batch ? p + classes : p;
    float *g = grad ? grad + i * classes : NULL;
    float w = xent__dense_weight(&plan, i, y);
    double scale = (double)xent__grad_scale(&plan, w);
    double l = plan.opt.from_logits
                   ? XENT_KERNEL(softmax_row)(y, p, classes, m, next, &m, a, b, scale, g)
                   : XENT_KERNEL(categorical_prob_row)(y, p, classes, a, b, scale, g);
    double wl = (double)w * l;
    if (losses) losses[i] = xent__narrow(wl);
    total += wl;
  }
  xent__finish(&plan, total, loss);
  return XENT_OK;
}

xent_status xent_softmax_cross_entropy_with_logits(const float *labels, const float *logits,
                                                   size_t batch, size_t classes,
                                                   float *losses, float *grad,
                                                   xent_error *err) {
  xent_status status = xent__check_nn(labels, logits, batch, classes, err);
  if (status) return status;
  float m = batch ? XENT_KERNEL(row_max)(logits, classes) : 0.0f;
  for (size_t i = 0; i < batch; i++) {
    const float *z = logits + i * classes, *next = i + 1 < batch ? z + classes : z;
    float *g = grad ? grad + i * classes : NULL;
    double l = XENT_KERNEL(softmax_row)(labels + i * classes, z, classes, m, next, &m, 1.0, 0.0,
                                        1.0, g);
    if (losses) losses[i] = xent__narrow(l);
  }
  return XENT_OK;
}
