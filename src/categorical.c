/* categorical.c: categorical cross-entropy with dense (one-hot or soft) labels,
 * docs/semantics.md 2.4 (loss), 4.4 and 4.5 (gradients) and decisions 1, 3 and 6,
 * and tf.nn.softmax_cross_entropy_with_logits (3.3): the two entry points and
 * the probability rows. Called through xent.h by the JS API (js/index.js),
 * the explorer and tests/c/test_categorical.c; the logits rows are softmax.c's
 * (xent__softmax_row, xent_softmax.h).
 *
 * Labels are smoothed as y' = y (1 - s) + s / C with a = 1 - s and b = s / C in
 * double (Keras rounds y' to float32 first; the gradient's cancellations would
 * magnify that rounding); the row kernels take a and b.
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
#include "xent_internal.h"
#include "xent_math.h"
#include "xent_row.h"
#include "xent_softmax.h"

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
                   ? XENT_KERNEL(xent__softmax_row)(y, p, classes, m, next, &m, a, b, scale, g)
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
    double l = XENT_KERNEL(xent__softmax_row)(labels + i * classes, z, classes, m, next, &m,
                                              1.0, 0.0, 1.0, g);
    if (losses) losses[i] = xent__narrow(l);
  }
  return XENT_OK;
}
