/* sparse.c: sparse categorical cross-entropy with integer labels, docs/semantics.md
 * 2.5 (loss), 4.4 and 4.6 (gradients), 2.8 and 4.9 (ignore_class) and decisions
 * 4, 5 and 6, and tf.nn.sparse_softmax_cross_entropy_with_logits (3.4). Called
 * through xent.h by the JS API (js/index.js), the explorer and
 * tests/c/test_sparse.c.
 *
 * Logits path, per row: pass 1 finds m = max z; pass 2 computes
 * e_j = exp(z_j - m), kept in the gradient row when one is wanted, and
 * S = sum e in double. Pass 1 runs on its own only for the first row (and
 * after an ignored one): every other row's maximum is found during the
 * previous row's pass 2, so that reading the row from memory overlaps
 * computation instead of stalling a pass that has nothing else to do; the loss is log S - (z_y - m) with z_y - m in double,
 * finite for any finite logits (decision 6). Pass 3, on the row still in
 * cache, scales e by scale / S; the label's element, the one place where
 * softmax - 1 cancels, is then recomputed in double.
 *
 * Probability path (Keras' TF backend, decision 4): p' = clip(p) to
 * [eps, 1 - eps], then log and log-sum-exp over the clipped values, which is
 * log S' - log p'_y with S' = sum p'. Gradient (4.6):
 * m_i (1 / S' - [i = y] / p'_i) with m the clip indicator on the closed
 * interval.
 *
 * Ignored rows (ignore_class) have loss 0 and a gradient row of exact zeros
 * (Keras replaces their predictions by a constant). Each row kernel exists as
 * _scalar and _f32x4 with the same steps and roundings; the scalar kernels add
 * the row sums in the order of the f32x4 kernels' double lanes (elements
 * 4i + 0 and 4i + 2 into one, 4i + 1 and 4i + 3 into the other), so the two
 * agree bit for bit, per element and per example. */
#include <math.h>
#include <string.h>

#include "xent_internal.h"
#include "xent_math.h"
#include "xent_row.h"

/* The label's gradient element of the logits path: scale (e_y / S - 1). */
static inline float label_grad(float e, double s, double scale) {
  return clamp_finite((float)(((double)e / s - 1.0) * scale));
}

/* The label's gradient element of the probability path:
 * scale m_y (1 / S' - 1 / p'_y). */
static inline float label_prob_grad(float p, double s, double scale) {
  if (!(p >= XENT_EPS && p <= XENT_ONE_MINUS_EPS)) return 0.0f;
  return clamp_finite((float)((1.0 / s - 1.0 / (double)p) * scale));
}

/* ---- Logits: one row of logsumexp(z) - z_y ---------------------------------- */

/* One row given its maximum m; also stores the maximum of zn[0..n) (the next
 * row, or z itself for the last one) in *mn. */
/* Pass 2 on four elements (k of them real): e = exp(z - m), summed in the
 * pairs of the f32x4 kernel's double lanes (elements 0 + 2 and 1 + 3). */
static inline void exp4_scalar(const float *z4, size_t k, float m, float *e4, double *s) {
  for (size_t i = 0; i < 4; i++) {
    float e = xent_exp_scalar(z4[i] - m);
    e4[i] = i < k ? e : 0.0f;
  }
  s[0] += (double)e4[0] + (double)e4[2];
  s[1] += (double)e4[1] + (double)e4[3];
}

XENT_MAYBE_UNUSED static double sparse_softmax_row_scalar(int32_t label, const float *z,
                                                          size_t n, float m, const float *zn,
                                                          float *mn, double scale, float *g) {
  size_t n4 = n & ~(size_t)3, t = n - n4;
  /* Pass 2: exponentials and their sum; the next row's maximum. */
  double s2[2] = {0.0, 0.0};
  float e4[4];
  for (size_t j = 0; j < n4; j += 4) {
    exp4_scalar(z + j, 4, m, e4, s2);
    if (g) memcpy(g + j, e4, sizeof e4);
  }
  if (t) {
    float zt[4] = {m, m, m, m};
    copy3(zt, z + n4, t);
    exp4_scalar(zt, t, m, e4, s2);
    if (g) copy3(g + n4, e4, t);
  }
  float mx = zn[0];
  for (size_t j = 0; j < n; j++) mx = mx < zn[j] ? zn[j] : mx;
  *mn = mx;
  double s = s2[0] + s2[1];
  /* Pass 3: scale softmax, then the label's element softmax - 1 in double. */
  if (g) {
    float ey = g[label];
    float c = clamp_finite((float)(scale / s));
    for (size_t j = 0; j < n; j++) g[j] = g[j] * c;
    g[label] = label_grad(ey, s, scale);
  }
  return log(s) - ((double)z[label] - (double)m);
}

/* ---- Probabilities: one row of log sum clip(p) - log clip(p_y) -------------- */

/* clip(p) of four elements (k of them real, the rest 0), summed in the pairs
 * of the f32x4 kernel's double lanes. */
static inline void clip_sum4_scalar(const float *p4, size_t k, double *acc) {
  double v[4];
  for (size_t i = 0; i < 4; i++) {
    float pc = p4[i] < XENT_EPS ? XENT_EPS : p4[i];
    pc = XENT_ONE_MINUS_EPS < pc ? XENT_ONE_MINUS_EPS : pc;
    v[i] = i < k ? (double)pc : 0.0;
  }
  acc[0] += v[0] + v[2];
  acc[1] += v[1] + v[3];
}

XENT_MAYBE_UNUSED static double sparse_prob_row_scalar(int32_t label, const float *p, size_t n,
                                                       double scale, float *g) {
  size_t n4 = n & ~(size_t)3, t = n - n4;
  /* Pass 1: S' = sum clip(p). */
  double acc[2] = {0.0, 0.0};
  for (size_t j = 0; j < n4; j += 4) clip_sum4_scalar(p + j, 4, acc);
  if (t) {
    float pt[4] = {0};
    copy3(pt, p + n4, t);
    clip_sum4_scalar(pt, t, acc);
  }
  double s = acc[0] + acc[1];
  /* Pass 2: m_i / S' everywhere, then the label's element. */
  if (g) {
    float c = clamp_finite((float)(scale / s));
    for (size_t j = 0; j < n; j++)
      g[j] = (p[j] >= XENT_EPS && p[j] <= XENT_ONE_MINUS_EPS) ? c : 0.0f;
    g[label] = label_prob_grad(p[label], s, scale);
  }
  float py = p[label] < XENT_EPS ? XENT_EPS : p[label];
  py = XENT_ONE_MINUS_EPS < py ? XENT_ONE_MINUS_EPS : py;
  return log(s) - log((double)py);
}

#if XENT_HAVE_SIMD128

/* Pass 2 on four elements: e = exp(z - m), S += e. */
static inline v128_t exp_step_f32x4(v128_t zv, v128_t mv, v128_t *s) {
  v128_t e = xent_exp_f32x4(wasm_f32x4_sub(zv, mv));
  *s = wasm_f64x2_add(*s, wasm_f64x2_add(lo64(e), hi64(e)));
  return e;
}

static double sparse_softmax_row_f32x4(int32_t label, const float *z, size_t n, float m,
                                       const float *zn, float *mn, double scale, float *g) {
  size_t n4 = n & ~(size_t)3, t = n - n4;
  /* Pass 2: exponentials and their sum; the next row's maximum. */
  v128_t mv = wasm_f32x4_splat(m), x0 = wasm_f32x4_splat(zn[0]), x1 = x0;
  v128_t s0 = wasm_f64x2_splat(0.0);
  size_t j = 0;
  for (; j + 16 <= n4; j += 16) {
    v128_t e0 = exp_step_f32x4(wasm_v128_load(z + j), mv, &s0);
    v128_t e1 = exp_step_f32x4(wasm_v128_load(z + j + 4), mv, &s0);
    v128_t e2 = exp_step_f32x4(wasm_v128_load(z + j + 8), mv, &s0);
    v128_t e3 = exp_step_f32x4(wasm_v128_load(z + j + 12), mv, &s0);
    x0 = wasm_f32x4_pmax(x0, wasm_v128_load(zn + j));
    x1 = wasm_f32x4_pmax(x1, wasm_v128_load(zn + j + 4));
    x0 = wasm_f32x4_pmax(x0, wasm_v128_load(zn + j + 8));
    x1 = wasm_f32x4_pmax(x1, wasm_v128_load(zn + j + 12));
    if (g) {
      wasm_v128_store(g + j, e0);
      wasm_v128_store(g + j + 4, e1);
      wasm_v128_store(g + j + 8, e2);
      wasm_v128_store(g + j + 12, e3);
    }
  }
  for (; j < n4; j += 4) {
    v128_t e = exp_step_f32x4(wasm_v128_load(z + j), mv, &s0);
    x0 = wasm_f32x4_pmax(x0, wasm_v128_load(zn + j));
    if (g) wasm_v128_store(g + j, e);
  }
  if (t) {
    /* Lanes past the end hold z = m; their exponential is masked to 0. */
    v128_t keep = tail_keep(t);
    v128_t e = wasm_v128_and(xent_exp_f32x4(wasm_f32x4_sub(load_tail(z + n4, t, m), mv)), keep);
    s0 = wasm_f64x2_add(s0, wasm_f64x2_add(lo64(e), hi64(e)));
    x1 = wasm_f32x4_pmax(x1, load_tail(zn + n4, t, zn[0]));
    if (g) store_tail(g + n4, e, t);
  }
  *mn = hmax_f32x4(wasm_f32x4_pmax(x0, x1));
  double s = hsum64(s0);
  /* Pass 3: scale softmax, then the label's element softmax - 1 in double. */
  if (g) {
    float ey = g[label];
    v128_t cv = wasm_f32x4_splat(clamp_finite((float)(scale / s)));
    for (j = 0; j + 8 <= n4; j += 8) {
      wasm_v128_store(g + j, wasm_f32x4_mul(wasm_v128_load(g + j), cv));
      wasm_v128_store(g + j + 4, wasm_f32x4_mul(wasm_v128_load(g + j + 4), cv));
    }
    for (; j < n4; j += 4) wasm_v128_store(g + j, wasm_f32x4_mul(wasm_v128_load(g + j), cv));
    if (t) store_tail(g + n4, wasm_f32x4_mul(load_tail(g + n4, t, 0.0f), cv), t);
    g[label] = label_grad(ey, s, scale);
  }
  return log(s) - ((double)z[label] - (double)m);
}

static inline v128_t clip_f32x4(v128_t p) {
  v128_t pc = wasm_f32x4_pmax(p, wasm_f32x4_splat(XENT_EPS));
  return wasm_f32x4_pmin(pc, wasm_f32x4_splat(XENT_ONE_MINUS_EPS));
}
static inline v128_t inside_f32x4(v128_t p) {
  return wasm_v128_and(wasm_f32x4_ge(p, wasm_f32x4_splat(XENT_EPS)),
                       wasm_f32x4_le(p, wasm_f32x4_splat(XENT_ONE_MINUS_EPS)));
}

static double sparse_prob_row_f32x4(int32_t label, const float *p, size_t n, double scale,
                                    float *g) {
  size_t n4 = n & ~(size_t)3, t = n - n4;
  /* Pass 1: S' = sum clip(p). */
  v128_t acc = wasm_f64x2_splat(0.0);
  for (size_t j = 0; j < n4; j += 4) {
    v128_t pc = clip_f32x4(wasm_v128_load(p + j));
    acc = wasm_f64x2_add(acc, wasm_f64x2_add(lo64(pc), hi64(pc)));
  }
  if (t) {
    v128_t pc = wasm_v128_and(clip_f32x4(load_tail(p + n4, t, 0.0f)), tail_keep(t));
    acc = wasm_f64x2_add(acc, wasm_f64x2_add(lo64(pc), hi64(pc)));
  }
  double s = hsum64(acc);
  /* Pass 2: m_i / S' everywhere, then the label's element. */
  if (g) {
    v128_t cv = wasm_f32x4_splat(clamp_finite((float)(scale / s)));
    for (size_t j = 0; j < n4; j += 4)
      wasm_v128_store(g + j, wasm_v128_and(inside_f32x4(wasm_v128_load(p + j)), cv));
    if (t) store_tail(g + n4, wasm_v128_and(inside_f32x4(load_tail(p + n4, t, 0.0f)), cv), t);
    g[label] = label_prob_grad(p[label], s, scale);
  }
  float py = p[label] < XENT_EPS ? XENT_EPS : p[label];
  py = XENT_ONE_MINUS_EPS < py ? XENT_ONE_MINUS_EPS : py;
  return log(s) - log((double)py);
}

#endif /* XENT_HAVE_SIMD128 */

/* ---- Entry points ------------------------------------------------------------ */

xent_status xent_sparse_categorical_crossentropy(const int32_t *y_true, const float *y_pred,
                                                 size_t batch, size_t classes,
                                                 const xent_options *opt, float *losses,
                                                 float *grad, float *loss, xent_error *err) {
  xent_plan plan;
  xent_status status = xent__plan_sparse(&plan, y_true, y_pred, batch, classes, opt, err);
  if (status) return status;
  double total = 0.0;
  float m = 0.0f; /* the row maximum, when have_m */
  int have_m = 0;
  for (size_t i = 0; i < batch; i++) {
    int32_t label = y_true[i];
    float *g = grad ? grad + i * classes : NULL;
    if (plan.opt.has_ignore_class && label == plan.opt.ignore_class) {
      if (losses) losses[i] = 0.0f;
      if (g) memset(g, 0, classes * sizeof(float));
      have_m = 0;
      continue;
    }
    const float *p = y_pred + i * classes;
    const float *next = i + 1 < batch ? p + classes : p;
    float w = xent__sparse_weight(&plan, i, label);
    double scale = (double)xent__grad_scale(&plan, w);
    double l;
    if (plan.opt.from_logits) {
      if (!have_m) m = XENT_KERNEL(row_max)(p, classes);
      l = XENT_KERNEL(sparse_softmax_row)(label, p, classes, m, next, &m, scale, g);
      have_m = 1;
    } else {
      l = XENT_KERNEL(sparse_prob_row)(label, p, classes, scale, g);
    }
    double wl = (double)w * l;
    if (losses) losses[i] = xent__narrow(wl);
    total += wl;
  }
  xent__finish(&plan, total, loss);
  return XENT_OK;
}

xent_status xent_sparse_softmax_cross_entropy_with_logits(const int32_t *labels,
                                                          const float *logits,
                                                          size_t batch, size_t classes,
                                                          float *losses, float *grad,
                                                          xent_error *err) {
  xent_status status = xent__check_nn(labels, logits, batch, classes, err);
  if (status) return status;
  for (size_t i = 0; i < batch; i++)
    if (labels[i] < 0 || (size_t)labels[i] >= classes)
      return xent__fail(err, XENT_ERR_LABEL, "labels", i, (double)labels[i]);
  float m = batch ? XENT_KERNEL(row_max)(logits, classes) : 0.0f;
  for (size_t i = 0; i < batch; i++) {
    const float *z = logits + i * classes, *next = i + 1 < batch ? z + classes : z;
    float *g = grad ? grad + i * classes : NULL;
    double l = XENT_KERNEL(sparse_softmax_row)(labels[i], z, classes, m, next, &m, 1.0, g);
    if (losses) losses[i] = xent__narrow(l);
  }
  return XENT_OK;
}
