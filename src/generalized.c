/* generalized.c: Keras categorical_generalized_cross_entropy (Zhang and
 * Sabuncu 2018; keras.losses.CategoricalGeneralizedCrossEntropy, Keras 3.10+)
 * and its gradient, docs/semantics.md "New losses". Called through the public
 * API, xent_categorical_generalized_cross_entropy in xent.h (from JS:
 * categoricalGeneralizedCrossentropy in js/index.js); validation of the
 * integer labels, weights and reductions come from the plan of reduce.c, the
 * softmax statistics from xent_lrow.h.
 *
 * Keras (keras/src/losses/losses.py categorical_generalized_cross_entropy):
 * p = y_pred[label], not normalised or clipped; loss = (1 - p^q) / q. On
 * probabilities the gradient is -p^(q-1) at the label and 0 elsewhere; a
 * probability below 0 (Keras: NaN) counts as 0 with gradient 0, and at p = 0
 * the gradient (Keras: -Inf for q < 1) saturates to -FLT_MAX. From logits
 * (an xent addition): p = softmax(z)[label], p^q = exp(q log_softmax(z)_label),
 * dloss/dz_k = p^q (softmax(z)_k - [k = label]). The probability path reads
 * one element per row (no vector work but the gradient row's zeros); the
 * logits path runs at width 1 and width 4 with the same steps. */
#include "xent_lrow.h"

/* exp(x) - 1 without the cancellation of 1 - p^q near p = 1: for |x| < 1/8
 * the Taylor series to x^7 (truncation under 2^-30 relative), else
 * exp(x) - 1 (no cancellation there: |exp(x) - 1| > 0.11). -Inf -> -1. */
static inline float gce_expm1(float x) {
  if (!(x > -0.125f && x < 0.125f)) return xent_exp_scalar(x) - 1.0f;
  float p = x * (1.0f / 5040.0f) + (1.0f / 720.0f);
  p = p * x + (1.0f / 120.0f);
  p = p * x + (1.0f / 24.0f);
  p = p * x + (1.0f / 6.0f);
  p = p * x + 0.5f;
  return x + (x * x) * p;
}

/* (1 - p^q) / q from log p: -expm1(q log p) / q. */
static inline float gce_loss(float lp, float q) { return -gce_expm1(q * lp) / q; }

/* The probability path's label element: returns the loss, *d the gradient. */
static inline float gce_prob(float p, float q, float *d) {
  float pc = p < 0.0f ? 0.0f : p; /* NaN passes */
  float pq = xent_pow_scalar(pc, q);
  if (p > 0.0f)
    *d = -sat_scalar(pq / pc);
  else if (p == 0.0f)
    *d = q == 1.0f ? -1.0f : -FLT_MAX;
  else
    *d = p < 0.0f ? 0.0f : p; /* below 0: the clamp's zero; NaN: NaN */
  if (!(pc > 0.0f)) return pc == 0.0f ? 1.0f / q : pc; /* p <= 0: 1 / q; NaN: NaN */
  /* A "probability" far above 1 (p^q beyond FLT_MAX) saturates: finite inputs,
   * finite loss, and no Inf x 0 for an example of weight 0. */
  return sat_scalar(gce_loss(xent_log_scalar(pc), q));
}

/* ---- Width 1 --------------------------------------------------------------- */

/* One row: returns the loss; writes the gradient times rs when g is not NULL. */
XENT_MAYBE_UNUSED static double gce_row_scalar(int logits, int32_t y, const float *v, size_t n,
                                               float q, float rs, float *g) {
  if (!logits) {
    float d;
    float l = gce_prob(v[y], q, &d);
    if (g) {
      for (size_t i = 0; i < n; i++) g[i] = 0.0f;
      g[y] = sat_scalar(d * rs);
    }
    return (double)l;
  }
  float m, S;
  lrow_stats_scalar(v, n, &m, &S);
  float lp = sat_scalar(v[y] - m) - xent_log_scalar(S);
  float pq = xent_exp_scalar(q * lp);
  if (g) {
    for (size_t i = 0; i < n; i++) {
      float p = xent_exp_scalar(sat_scalar(v[i] - m)) / S;
      float t = (size_t)y == i ? p - 1.0f : p;
      g[i] = (pq * t) * rs;
    }
  }
  return (double)gce_loss(lp, q);
}

#if XENT_HAVE_SIMD128

/* ---- Width 4 (same steps and names as above) --------------------------------- */

static double gce_row_f32x4(int logits, int32_t y, const float *v, size_t n, float q, float rs,
                            float *g) {
  if (!logits) {
    float d;
    float l = gce_prob(v[y], q, &d);
    if (g) {
      for (size_t i = 0; i < n; i += 4) store_part(g + i, F4(0.0f), part(n, i));
      g[y] = sat_scalar(d * rs);
    }
    return (double)l;
  }
  float m, S;
  lrow_stats_f32x4(v, n, &m, &S);
  float lp = sat_scalar(v[y] - m) - xent_log_scalar(S);
  float pq = xent_exp_scalar(q * lp);
  if (g) {
    const v128_t vm = F4(m), vS = F4(S), vpq = F4(pq), vrs = F4(rs);
    const v128_t label = wasm_i32x4_splat(y);
    for (size_t i = 0; i < n; i += 4) {
      size_t r = part(n, i);
      v128_t p = wasm_f32x4_div(xent_exp_f32x4(sat_f32x4(wasm_f32x4_sub(load_part(v + i, r), vm))), vS);
      v128_t at = wasm_i32x4_eq(wasm_i32x4_add(wasm_i32x4_splat((int32_t)i), wasm_i32x4_make(0, 1, 2, 3)), label);
      v128_t t = wasm_v128_bitselect(wasm_f32x4_sub(p, F4(1.0f)), p, at);
      store_part(g + i, wasm_f32x4_mul(wasm_f32x4_mul(vpq, t), vrs), r);
    }
  }
  return (double)gce_loss(lp, q);
}

#endif /* XENT_HAVE_SIMD128 */

/* ---- Public entry point ------------------------------------------------------- */

xent_status xent_categorical_generalized_cross_entropy(const int32_t *y_true, const float *y_pred,
                                                       size_t batch, size_t classes,
                                                       const xent_options *opt, float *losses,
                                                       float *grad, float *loss, xent_error *err) {
  xent_plan plan;
  xent_status s = xent__plan_sparse_uses(&plan, y_true, y_pred, batch, classes, opt, XENT_USES_Q, err);
  if (s) return s;
  const float q = plan.opt.q;
  const int logits = plan.opt.from_logits != 0;
  double total = 0.0;
  for (size_t b = 0; b < batch; b++) {
    const float *v = y_pred + b * classes;
    float *g = grad ? grad + b * classes : NULL;
    float w = xent__sparse_weight(&plan, b, y_true[b]);
    if (plan.opt.has_ignore_class && y_true[b] == plan.opt.ignore_class) {
      /* An ignored row: loss 0, gradient 0 (its label may lie outside the classes). */
      for (size_t i = 0; g && i < classes; i++) g[i] = 0.0f;
      if (losses) losses[b] = 0.0f;
      continue;
    }
    double row = XENT_KERNEL(gce_row)(logits, y_true[b], v, classes, q, xent__grad_scale(&plan, w), g);
    double weighted = (double)w * row;
    if (losses) losses[b] = xent__narrow(weighted);
    total += weighted;
  }
  xent__finish(&plan, total, loss);
  return XENT_OK;
}
