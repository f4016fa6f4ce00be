/* softmax.c: the logits rows of categorical cross-entropy with dense (one-hot,
 * soft or smoothed) labels: one row of sum_j y'_j (logsumexp(z) - z_j) and its
 * gradient scale (softmax(z) sum y' - y'), docs/semantics.md 2.4 (from_logits),
 * 3.3 (tf.nn.softmax_cross_entropy_with_logits), 4.4 (gradient) and
 * decisions 1 and 6. Called once per row by xent_categorical_crossentropy and
 * xent_softmax_cross_entropy_with_logits in categorical.c, through
 * XENT_KERNEL(xent__softmax_row) (declared in xent_softmax.h); the integer
 * label rows are sparse.c's.
 *
 * The caller passes the smoothing as y' = y a + b, a = 1 - s and b = s / C in
 * double (see categorical.c); here y' is formed in float32 only in pass 3 when
 * grad_fits_float.
 *
 * Per row: pass 1 finds m = max z (on its own only
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
 * The row kernel exists as _scalar and _f32x4 with the same steps; they
 * agree bit for bit, per element and per example: every rounding is the same
 * float or double operation, and the scalar kernel adds the row sums in the
 * order of the f32x4 kernel's double lanes (elements 4i + 0 and 4i + 2 into
 * one, 4i + 1 and 4i + 3 into the other), and float32 terms in the order of
 * its lanes. Gradients are clamped to +-FLT_MAX so that finite inputs never
 * give an infinite gradient. */
#include <math.h>
#include <string.h>

#include "xent_internal.h"
#include "xent_math.h"
#include "xent_row.h"
#include "xent_softmax.h"

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
 * most 1.5e-8 absolute (benchmark W2 with the default reduction), and so does
 * the float32 sum y of pass 2 (relative error <= 2^-23 in r). With no
 * negative label, max|y'| <= a sum y + b. Otherwise pass 3 runs in double
 * with sum y' recomputed exactly. Both builds decide from bit-identical
 * numbers. */
static inline int grad_fits_float(double r, double ymax, double a, double b, double scale) {
  double bound = 2.0 * fabs(r) + 3.0 * (ymax * fabs(a) + fabs(b));
  /* Labels or r beyond 1e30 take the double pass even at scale 0: in float32,
   * e r could overflow, and Inf times the zero scale is NaN. */
  return bound <= 1e30 && fabs(scale) * bound <= 0.25;
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
  /* A float32 label sum that overflowed (labels near FLT_MAX) is recomputed
   * in double too: Inf there would turn a zero weight into NaN. */
  if (ylo < 0.0f || !(fabs(td) <= DBL_MAX) || !(fabs(t) <= FLT_MAX))
    exact_label_sums(y, z, n, m, a, b, &t, &td);
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

double xent__softmax_row_scalar(const float *y, const float *z, size_t n, float m,
                                const float *zn, float *mn, double a, double b, double scale,
                                float *g) {
  return b != 0.0 ? softmax_row_at_scalar(y, z, n, m, zn, mn, a, b, scale, g, 1)
                  : softmax_row_at_scalar(y, z, n, m, zn, mn, a, b, scale, g, 0);
}

#if XENT_HAVE_SIMD128

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

double xent__softmax_row_f32x4(const float *y, const float *z, size_t n, float m,
                               const float *zn, float *mn, double a, double b, double scale,
                               float *g) {
  return b != 0.0 ? softmax_row_at_f32x4(y, z, n, m, zn, mn, a, b, scale, g, 1)
                  : softmax_row_at_f32x4(y, z, n, m, zn, mn, a, b, scale, g, 0);
}

#endif /* XENT_HAVE_SIMD128 */
