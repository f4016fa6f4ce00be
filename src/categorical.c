/* categorical.c: categorical cross-entropy with dense (one-hot or soft) labels,
 * semantics.md 2.4 (loss), 4.4 and 4.5 (gradients) and decisions 1, 3 and 6,
 * and tf.nn.softmax_cross_entropy_with_logits (3.3). Called through xent.h by
 * the JS API (js/index.js), the explorer and tests/c/test_categorical.c.
 *
 * Labels are smoothed as y' = y (1 - s) + s / C with a = 1 - s and b = s / C in
 * double (Keras rounds y' to float32 first; the gradient's cancellations would
 * magnify that rounding), in float32 only in pass 3 when grad_fits_float.
 *
 * Logits path, per row (issue 6): pass 1 finds m = max z (on its own only
 * for the first row: every other row's maximum is found during the previous
 * row's pass 2, so its memory read overlaps computation). Pass 2 computes, in
 * blocks of 16 elements, d = z - m and e = exp(d) in float32 (e kept in the
 * gradient row when one is wanted), S = sum e in double, and the label sums
 * sum y, sum y d and (when smoothing) sum d with the terms of a block added in
 * float32 first, so that no label is smoothed per element:
 * sum y' = a sum y + b C and sum y' d = a sum y d + b sum d, with
 * y' = a y + b. The loss is (sum y') log S - sum y' d; its terms have one
 * sign for labels >= 0, which keeps the float32 rounding relative. Rows with
 * a negative label or a spread z - m beyond FLT_MAX (decision 6: a zero label
 * times that spread is 0, not NaN) take their label sums in double instead.
 * Pass 3, on the row still in cache, turns e into
 * scale ((sum y') e / S - y'), the exact derivative (decision 1). That
 * difference cancels where the softmax matches the labels, so it runs in
 * float32 only when the scale is small enough for float32 rounding to stay
 * within the tolerance (grad_fits_float: large batches with the default
 * reduction), and in double with exact label sums otherwise.
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
 * one, 4i + 1 and 4i + 3 into the other), and float32 terms in the order of
 * its lanes. Gradients are clamped
 * to +-FLT_MAX so that finite inputs never give an infinite gradient. */
#include <math.h>
#include <string.h>

#include "xent_internal.h"
#include "xent_math.h"
#include "xent_row.h"

/* ---- Logits: one row of sum_j y'_j (logsumexp(z) - z_j) -------------------- */

/* The label sums of a row in double, element by element: for rows whose
 * float32 label sums cannot be trusted (a negative label, or z - m beyond the
 * float range) and for the double pass 3. Plain code, the same in both
 * builds. */
static void exact_label_sums(const float *y, const float *z, size_t n, float m, double a,
                             double b, double *sy, double *syd) {
  double t = 0.0, td = 0.0;
  for (size_t j = 0; j < n; j++) {
    double yy = (double)y[j] * a + b;
    t += yy;
    td += yy * ((double)z[j] - (double)m);
  }
  *sy = t;
  *syd = td;
}

/* Pass 2 on a block of 16 elements (k of them real; padding z = m, y = 0),
 * in the lanes of the f32x4 kernel: element 4q + i is in lane i of vector q.
 * e = exp(d), d = z - m in float32; S adds each vector's e in its double lanes
 * (lanes 0 + 2 and 1 + 3); sum y, sum y d and (when smoothing) sum d add the
 * four vectors of a lane in float32, (v0 + v1) + (v2 + v3), before that. */
static inline XENT_ALWAYS_INLINE void softmax_block_scalar(const float *z, const float *y,
                                                           size_t k, float m, int smooth,
                                                           float *e, double *s, double *sy,
                                                           double *syd, double *sd, float *ylo) {
  float d[16], v[3][4];
  for (size_t i = 0; i < 16; i++) {
    d[i] = z[i] - m;
    e[i] = i < k ? xent_exp_scalar(d[i]) : 0.0f;
    *ylo = y[i] < *ylo ? y[i] : *ylo;
  }
  for (size_t q = 0; q < 16; q += 4) {
    s[0] += (double)e[q] + (double)e[q + 2];
    s[1] += (double)e[q + 1] + (double)e[q + 3];
  }
  for (size_t i = 0; i < 4; i++) {
    v[0][i] = (y[i] + y[i + 4]) + (y[i + 8] + y[i + 12]);
    v[1][i] = (y[i] * d[i] + y[i + 4] * d[i + 4]) + (y[i + 8] * d[i + 8] + y[i + 12] * d[i + 12]);
    v[2][i] = (d[i] + d[i + 4]) + (d[i + 8] + d[i + 12]);
  }
  double *acc[3] = {sy, syd, sd};
  for (size_t r = 0; r < (smooth ? 3u : 2u); r++) {
    acc[r][0] += (double)v[r][0] + (double)v[r][2];
    acc[r][1] += (double)v[r][1] + (double)v[r][3];
  }
}

/* Pass 3 in float32 is within the gradient tolerance when
 * scale (2 r + 3 max|y'|) <= 1/4, r = (sum y') / S: its roundings then add at
 * most 1.5e-8 absolute (issue 6: W2 with the default reduction), and so does
 * the float32 sum y of pass 2 (relative error <= 2^-23 in r). With no
 * negative label, max|y'| <= a sum y + b. Otherwise pass 3 runs in double
 * with sum y' recomputed exactly. Both builds decide from bit-identical
 * numbers. */
static inline int grad_fits_float(double r, double ymax, double a, double b, double scale) {
  return fabs(scale) * (2.0 * fabs(r) + 3.0 * (ymax * fabs(a) + fabs(b))) <= 0.25;
}

/* After pass 2: the loss (sum y') log S - sum y' d with sum y' = a sum y + b n
 * and sum y' d = a sum y d + b sum d. Every term of those float32 sums has
 * one sign when no label is negative (d <= 0), so their relative error stays
 * below ~2^-22; otherwise, or when z - m left the float range, the label sums
 * are recomputed in double. Also r = (sum y') / S for pass 3 and whether it
 * runs in float32. */
static double softmax_loss(const float *y, const float *z, size_t n, float m, double a, double b,
                           double scale, double s, const double *sum3, float ylo, double *r,
                           int *fits) {
  double t = a * sum3[0] + b * (double)n, td = a * sum3[1] + b * sum3[2];
  if (ylo < 0.0f || !(fabs(td) <= DBL_MAX)) exact_label_sums(y, z, n, m, a, b, &t, &td);
  *r = t / s;
  *fits = ylo >= 0.0f && grad_fits_float(*r, sum3[0], a, b, scale);
  return t * log(s) - td;
}

/* One row given its maximum m; also stores the maximum of zn[0..n) (the next
 * row, or z itself for the last one) in *mn. */
static inline XENT_ALWAYS_INLINE double softmax_row_at_scalar(const float *y, const float *z,
                                                              size_t n, float m, const float *zn,
                                                              float *mn, double a, double b,
                                                              double scale, float *g,
                                                              int smooth) {
  size_t n16 = n & ~(size_t)15, t = n - n16;
  /* Pass 2: exponentials and the row sums; the next row's maximum. */
  double s[2] = {0.0, 0.0}, sy[2] = {0.0, 0.0}, syd[2] = {0.0, 0.0}, sd[2] = {0.0, 0.0};
  float mx = zn[0], ylo = 0.0f, e[16];
  for (size_t j = 0; j < n16; j += 16) {
    softmax_block_scalar(z + j, y + j, 16, m, smooth, e, s, sy, syd, sd, &ylo);
    if (g) memcpy(g + j, e, sizeof e);
  }
  if (t) {
    float zt[16], yt[16];
    pad16(zt, z + n16, t, m);
    pad16(yt, y + n16, t, 0.0f);
    softmax_block_scalar(zt, yt, t, m, smooth, e, s, sy, syd, sd, &ylo);
    if (g) copy_short(g + n16, e, t);
  }
  for (size_t j = 0; j < n; j++) mx = mx < zn[j] ? zn[j] : mx;
  *mn = mx;
  double ssum = s[0] + s[1], r;
  double sum3[3] = {sy[0] + sy[1], syd[0] + syd[1], sd[0] + sd[1]};
  int fits;
  double loss = softmax_loss(y, z, n, m, a, b, scale, ssum, sum3, ylo, &r, &fits);
  /* Pass 3: the gradient from the stored exponentials. */
  if (g) {
    if (fits) { /* y' = y exactly without smoothing */
      float rf = (float)r, cf = (float)scale, af = (float)a, bf = (float)b;
      for (size_t j = 0; j < n; j++) g[j] = (g[j] * rf - (smooth ? y[j] * af + bf : y[j])) * cf;
    } else {
      double sy1, syd1;
      exact_label_sums(y, z, n, m, a, b, &sy1, &syd1);
      r = sy1 / ssum;
      for (size_t j = 0; j < n; j++) {
        double yy = (double)y[j] * a + b;
        g[j] = clamp_finite((float)(((double)g[j] * r - yy) * scale));
      }
    }
  }
  return loss;
}

XENT_MAYBE_UNUSED static double softmax_row_scalar(const float *y, const float *z, size_t n,
                                                   float m, const float *zn, float *mn,
                                                   double a, double b, double scale, float *g) {
  return b != 0.0 ? softmax_row_at_scalar(y, z, n, m, zn, mn, a, b, scale, g, 1)
                  : softmax_row_at_scalar(y, z, n, m, zn, mn, a, b, scale, g, 0);
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
  copy3(pt, p + n4, t);
  copy3(yt, y + n4, t);
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

/* Smoothed labels y' = y a + b of four elements, in double; `b` is per lane
 * so that lanes past the end of a row (y padded with 0) stay 0. */
typedef struct { v128_t a, blo, bhi; } smooth_f64x2;

static inline smooth_f64x2 smooth_make(double a, double b, size_t lanes) {
  smooth_f64x2 sm = {wasm_f64x2_splat(a), wasm_f64x2_make(lanes > 0 ? b : 0.0, lanes > 1 ? b : 0.0),
                     wasm_f64x2_make(lanes > 2 ? b : 0.0, lanes > 3 ? b : 0.0)};
  return sm;
}

/* The f32x4 kernel's running sums: S and the label sums in f64x2 lanes, the
 * smallest label, and the next row's maximum. */
typedef struct { v128_t s, sy, syd, sd, ylo, x0, x1; } softmax_acc;

/* Pass 2 on a block of 16 elements (k of them real; padding z = m, y = 0),
 * the steps of softmax_block_scalar, e into e[0..4); also the maximum of
 * zn[0..16) into the next row's maximum. */
static inline XENT_ALWAYS_INLINE void softmax_block_f32x4(const float *z, const float *y,
                                                          const float *zn, size_t k, v128_t mv,
                                                          int smooth, v128_t *e, softmax_acc *A) {
  v128_t d[4], yv[4];
  for (int q = 0; q < 4; q++) {
    v128_t keep = wasm_i32x4_lt(wasm_i32x4_make(4 * q, 4 * q + 1, 4 * q + 2, 4 * q + 3),
                                wasm_i32x4_splat((int32_t)k));
    d[q] = wasm_f32x4_sub(wasm_v128_load(z + 4 * q), mv);
    yv[q] = wasm_v128_load(y + 4 * q);
    /* A vector of padding only (in the last block) gives e = 0: no exp. */
    e[q] = 4 * (size_t)q < k ? wasm_v128_and(xent_exp_f32x4(d[q]), keep)
                             : wasm_f32x4_splat(0.0f);
    A->s = add64(A->s, e[q]);
    A->ylo = wasm_f32x4_pmin(A->ylo, yv[q]);
  }
  A->sy = add64(A->sy, wasm_f32x4_add(wasm_f32x4_add(yv[0], yv[1]), wasm_f32x4_add(yv[2], yv[3])));
  A->syd = add64(A->syd, wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_mul(yv[0], d[0]),
                                                       wasm_f32x4_mul(yv[1], d[1])),
                                        wasm_f32x4_add(wasm_f32x4_mul(yv[2], d[2]),
                                                       wasm_f32x4_mul(yv[3], d[3]))));
  if (smooth)
    A->sd = add64(A->sd, wasm_f32x4_add(wasm_f32x4_add(d[0], d[1]), wasm_f32x4_add(d[2], d[3])));
  A->x0 = wasm_f32x4_pmax(A->x0, wasm_f32x4_pmax(wasm_v128_load(zn), wasm_v128_load(zn + 8)));
  A->x1 = wasm_f32x4_pmax(A->x1, wasm_f32x4_pmax(wasm_v128_load(zn + 4), wasm_v128_load(zn + 12)));
}

/* Pass 3 on four elements: scale ((sum y') e / S - y') in float32 when
 * grad_fits_float (y' = y exactly without smoothing), else in double (r, c,
 * a, b as f32x4 or f64x2 splats). */
static inline XENT_ALWAYS_INLINE v128_t softmax_grad_float_f32x4(v128_t e, v128_t yv, v128_t rf,
                                                                 v128_t af, v128_t bf, v128_t cf,
                                                                 int smooth) {
  v128_t yy = smooth ? wasm_f32x4_add(wasm_f32x4_mul(yv, af), bf) : yv;
  return wasm_f32x4_mul(wasm_f32x4_sub(wasm_f32x4_mul(e, rf), yy), cf);
}
static inline v128_t softmax_grad_f32x4(v128_t e, v128_t yv, v128_t rv, v128_t ad, v128_t bd,
                                        v128_t cv) {
  v128_t ylo = wasm_f64x2_add(wasm_f64x2_mul(lo64(yv), ad), bd);
  v128_t yhi = wasm_f64x2_add(wasm_f64x2_mul(hi64(yv), ad), bd);
  v128_t glo = wasm_f64x2_mul(wasm_f64x2_sub(wasm_f64x2_mul(lo64(e), rv), ylo), cv);
  v128_t ghi = wasm_f64x2_mul(wasm_f64x2_sub(wasm_f64x2_mul(hi64(e), rv), yhi), cv);
  return clamp_finite_f32x4(demote2(glo, ghi));
}

static inline XENT_ALWAYS_INLINE double softmax_row_at_f32x4(const float *y, const float *z,
                                                             size_t n, float m, const float *zn,
                                                             float *mn, double a, double b,
                                                             double scale, float *g,
                                                             int smooth) {
  size_t n16 = n & ~(size_t)15, t = n - n16, n4 = n & ~(size_t)3, t4 = n - n4, j;
  /* Pass 2: exponentials and the row sums; the next row's maximum. */
  v128_t mv = wasm_f32x4_splat(m), z0 = wasm_f64x2_splat(0.0), y0 = wasm_f32x4_splat(0.0f);
  softmax_acc A = {z0, z0, z0, z0, y0, wasm_f32x4_splat(zn[0]), wasm_f32x4_splat(zn[0])};
  v128_t e[4];
  for (j = 0; j < n16; j += 16) {
    softmax_block_f32x4(z + j, y + j, zn + j, 16, mv, smooth, e, &A);
    if (g)
      for (int q = 0; q < 4; q++) wasm_v128_store(g + j + 4 * q, e[q]);
  }
  if (t) {
    float zt[16], yt[16], xt[16], et[16];
    pad16(zt, z + n16, t, m);
    pad16(yt, y + n16, t, 0.0f);
    pad16(xt, zn + n16, t, zn[0]);
    softmax_block_f32x4(zt, yt, xt, t, mv, smooth, e, &A);
    for (int q = 0; q < 4; q++) wasm_v128_store(et + 4 * q, e[q]);
    if (g) copy_short(g + n16, et, t);
  }
  *mn = hmax_f32x4(wasm_f32x4_pmax(A.x0, A.x1));
  double ssum = hsum64(A.s), r, sum3[3] = {hsum64(A.sy), hsum64(A.syd), hsum64(A.sd)};
  int fits;
  double loss = softmax_loss(y, z, n, m, a, b, scale, ssum, sum3,
                             -hmax_f32x4(wasm_f32x4_neg(A.ylo)), &r, &fits);
  /* Pass 3: the gradient from the stored exponentials. */
  if (g && fits) {
    v128_t rf = wasm_f32x4_splat((float)r), cf = wasm_f32x4_splat((float)scale);
    v128_t af = wasm_f32x4_splat((float)a), bf = wasm_f32x4_splat((float)b);
    for (j = 0; j < n4; j += 4)
      wasm_v128_store(g + j, softmax_grad_float_f32x4(wasm_v128_load(g + j), wasm_v128_load(y + j),
                                                      rf, af, bf, cf, smooth));
    if (t4)
      store_tail(g + n4, softmax_grad_float_f32x4(load_tail(g + n4, t4, 0.0f),
                                                  load_tail(y + n4, t4, 0.0f), rf, af, bf, cf,
                                                  smooth), t4);
  } else if (g) {
    double sy1, syd1;
    exact_label_sums(y, z, n, m, a, b, &sy1, &syd1);
    v128_t rv = wasm_f64x2_splat(sy1 / ssum), cv = wasm_f64x2_splat(scale);
    v128_t ad = wasm_f64x2_splat(a), bd = wasm_f64x2_splat(b);
    for (j = 0; j < n4; j += 4)
      wasm_v128_store(g + j, softmax_grad_f32x4(wasm_v128_load(g + j), wasm_v128_load(y + j),
                                                rv, ad, bd, cv));
    if (t4)
      store_tail(g + n4, softmax_grad_f32x4(load_tail(g + n4, t4, 0.0f),
                                            load_tail(y + n4, t4, 0.0f), rv, ad, bd, cv), t4);
  }
  return loss;
}

static double softmax_row_f32x4(const float *y, const float *z, size_t n, float m,
                                const float *zn, float *mn, double a, double b, double scale,
                                float *g) {
  return b != 0.0 ? softmax_row_at_f32x4(y, z, n, m, zn, mn, a, b, scale, g, 1)
                  : softmax_row_at_f32x4(y, z, n, m, zn, mn, a, b, scale, g, 0);
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
  for (size_t j = 0; j < n4; j += 4) acc = add64(acc, wasm_v128_load(p + j));
  v128_t pt = load_tail(p + n4, t, 0.0f), yt = load_tail(y + n4, t, 0.0f);
  acc = add64(acc, pt);
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
