/* focal_binary.c: Keras binary_focal_crossentropy and its gradient,
 * docs/semantics.md 2.6 (definition), 4.7 (gradient) and decision 7 (Keras on its
 * TensorFlow backend), on probabilities and on logits. Called through the
 * public API, xent_binary_focal_crossentropy in xent.h (from JS:
 * binaryFocalCrossentropy in js/index.js); validation, weights and reductions
 * come from the plan of reduce.c, exp/log/pow from xent_math.h, saturation,
 * pow and the width-4 tails from xent_focal.h (shared with
 * focal_categorical.c).
 *
 * Per element, y' = y (1-s) + s/2 and u the input (p or x):
 *   probabilities  p' = clip(p), B = -(y' log p' + (1-y') log fl(1-p'))
 *   logits         p = sigmoid(x), B = max(x,0) - x y' + log1p(exp(-|x|))
 *   q = 1 - p_t = y' (1-p) + (1-y') p   (p unclipped; the same number as Keras'
 *       1 - (y'p + (1-y')(1-p)), summed without its cancellation; from logits
 *       1-p is sigmoid(-x))
 *   F = q^gamma, loss = w F B, w = y' alpha + (1-y')(1-alpha) with
 *       apply_class_balancing, else 1; then the mean over classes.
 *   dloss/du = w [gamma F B q_u / q + F B_u] with q_u = 1-2y' (probabilities)
 *       or (1-2y') p (1-p) (logits), B_u = m(p) (p'-y')/(p'(1-p')) or p - y'.
 *   At q = 0 (p equal to a 0/1 label) the first term is gamma q^(gamma-1) q_u B:
 *       B q_u for gamma = 1, 0 for gamma > 1, and for 0 < gamma < 1 an infinite
 *       one-sided slope (Keras: inf * 0); xent defines it as 0 there.
 *
 * No NaN from finite inputs: every intermediate that can overflow for absurd
 * inputs (labels near FLT_MAX, "probabilities" of 1e30) saturates at FLT_MAX
 * (sat: pmin/pmax, which keep a NaN that came from the input) before it can
 * meet a zero or an opposite infinity. Each kernel exists at width 1 and
 * width 4 with the same steps; row sums are double (f64x2). */
#include "xent_focal.h"

/* Per-call constants. */
typedef struct bfocal_k {
  float oms, hs;     /* y' = y oms + hs: oms = 1 - s, hs = s / 2 */
  float alpha, oma;  /* alpha, 1 - alpha */
  float gamma;
  int balance;       /* apply_class_balancing */
  int gamma_is_one;  /* the focal term at q = 0 is B q_u only for gamma = 1 */
  int n;             /* gamma as an integer 0..4, else -1 (see focal_pow) */
} bfocal_k;

/* ---- Width 1 --------------------------------------------------------------- */

/* What both binary paths share, from the smoothed label ys, the BCE value
 * bce, q = 1 - p_t, the derivatives dB and dq with respect to the input, and
 * the row's gradient scale rs. Returns the element loss; *g its gradient. */
static inline float bfocal_tail_scalar(const bfocal_k *k, float ys, float bce, float q,
                                       float dB, float dq, float rs, float *g) {
  float oys = 1.0f - ys;
  float wb = k->balance ? ys * k->alpha + oys * k->oma : 1.0f;
  q = q < 0.0f ? 0.0f : q;
  q = FLT_MAX < q ? FLT_MAX : q;
  float F = focal_pow_scalar(q, k->gamma, k->n);
  F = FLT_MAX < F ? FLT_MAX : F;
  float fb = sat_scalar(F * bce);
  float loss = sat_scalar(wb * fb);
  /* gamma q^(gamma-1) q_u B, as gamma (F B q_u) / q: no q^(gamma-1) overflow. */
  int pos = q > 0.0f;
  float qd = pos ? q : 1.0f;
  float t1 = sat_scalar(sat_scalar(sat_scalar(fb * dq) / qd) * k->gamma);
  float t0 = k->gamma_is_one ? sat_scalar(bce * dq) : 0.0f;
  t1 = pos ? t1 : t0;
  float t2 = sat_scalar(F * dB);
  *g = sat_scalar(sat_scalar(t1 + t2) * sat_scalar(wb * rs));
  return loss;
}

/* Probability path: y the raw label, v the probability. */
static inline float bfocal_prob_scalar(const bfocal_k *k, float y, float v, float rs,
                                       float *g) {
  float ys = y * k->oms + k->hs;
  float oys = 1.0f - ys;
  float pc = v < XENT_EPS ? XENT_EPS : v;
  pc = XENT_ONE_MINUS_EPS < pc ? XENT_ONE_MINUS_EPS : pc;
  float om = 1.0f - pc;
  float bce = sat_scalar(-(sat_scalar(ys * xent_log_scalar(pc)) +
                           sat_scalar(oys * xent_log_scalar(om))));
  float q = ys * (1.0f - v) + oys * v;
  int inside = (v >= XENT_EPS) & (v <= XENT_ONE_MINUS_EPS);
  float dB = sat_scalar((pc - ys) / (pc * om));
  dB = inside ? dB : 0.0f;
  float dq = sat_scalar(1.0f - 2.0f * ys);
  return bfocal_tail_scalar(k, ys, bce, q, dB, dq, rs, g);
}

/* Logits path: one exp gives sigmoid(x), sigmoid(-x) and log1p(exp(-|x|)). */
static inline float bfocal_logit_scalar(const bfocal_k *k, float y, float x, float rs,
                                        float *g) {
  float ys = y * k->oms + k->hs;
  float oys = 1.0f - ys;
  float e = xent_exp_scalar(-fabsf(x));
  float d = 1.0f + e;
  int nonneg = x >= 0.0f;
  float p = (nonneg ? 1.0f : e) / d;
  float pm = (nonneg ? e : 1.0f) / d;
  float relu = x < 0.0f ? 0.0f : x;
  float bce = sat_scalar(relu - x * ys + xent__log1p_unit_scalar(e));
  float q = ys * pm + oys * p;
  float dB = p - ys;
  float dq = sat_scalar(1.0f - 2.0f * ys) * (p * pm);
  return bfocal_tail_scalar(k, ys, bce, q, dB, dq, rs, g);
}

/* One binary row: returns the sum of the element losses; writes the
 * gradient (already scaled by rs) when g is not NULL. */
XENT_MAYBE_UNUSED static double bfocal_row_scalar(const bfocal_k *k, int logits, const float *y,
                                                  const float *v, size_t n, float rs, float *g) {
  double acc[4] = {0.0, 0.0, 0.0, 0.0};
  float d;
  for (size_t i = 0; i < n; i++) {
    float l = logits ? bfocal_logit_scalar(k, y[i], v[i], rs, &d)
                     : bfocal_prob_scalar(k, y[i], v[i], rs, &d);
    acc[i % 4] += (double)l;
    if (g) g[i] = d;
  }
  return sum4_scalar(acc);
}

/* classes == 1, the usual binary case: the whole batch as one column, each
 * element its own example; returns the weighted sum and writes losses. */
XENT_MAYBE_UNUSED static double bfocal_column_scalar(const xent_plan *plan, const bfocal_k *k,
                                                     int logits, const float *y, const float *v,
                                                     size_t n, float *losses, float *g) {
  double total = 0.0;
  float d;
  for (size_t b = 0; b < n; b++) {
    float w = xent__dense_weight(plan, b, y + b);
    float rs = xent__grad_scale(plan, w);
    float l = logits ? bfocal_logit_scalar(k, y[b], v[b], rs, &d)
                     : bfocal_prob_scalar(k, y[b], v[b], rs, &d);
    double weighted = (double)w * (double)l;
    if (losses) losses[b] = xent__narrow(weighted);
    if (g) g[b] = d;
    total += weighted;
  }
  return total;
}

#if XENT_HAVE_SIMD128

/* ---- Width 4 (same steps and names as above) --------------------------------- */

typedef struct bfocal_k4 {
  v128_t oms, hs, alpha, oma, gamma, balance, gamma_is_one;
  int n;
} bfocal_k4;

static inline v128_t bfocal_tail_f32x4(const bfocal_k4 *k, v128_t ys, v128_t bce, v128_t q,
                                       v128_t dB, v128_t dq, v128_t rs, v128_t *g) {
  v128_t oys = wasm_f32x4_sub(F4(1.0f), ys);
  v128_t wb = wasm_v128_bitselect(
      wasm_f32x4_add(wasm_f32x4_mul(ys, k->alpha), wasm_f32x4_mul(oys, k->oma)), F4(1.0f),
      k->balance);
  q = wasm_f32x4_pmax(q, F4(0.0f));
  q = wasm_f32x4_pmin(q, F4(FLT_MAX));
  v128_t F = focal_pow_f32x4(q, k->gamma, k->n);
  F = wasm_f32x4_pmin(F, F4(FLT_MAX));
  v128_t fb = sat_f32x4(wasm_f32x4_mul(F, bce));
  v128_t loss = sat_f32x4(wasm_f32x4_mul(wb, fb));
  v128_t pos = wasm_f32x4_gt(q, F4(0.0f));
  v128_t qd = wasm_v128_bitselect(q, F4(1.0f), pos);
  v128_t t1 = sat_f32x4(wasm_f32x4_mul(
      sat_f32x4(wasm_f32x4_div(sat_f32x4(wasm_f32x4_mul(fb, dq)), qd)), k->gamma));
  v128_t t0 = wasm_v128_and(sat_f32x4(wasm_f32x4_mul(bce, dq)), k->gamma_is_one);
  t1 = wasm_v128_bitselect(t1, t0, pos);
  v128_t t2 = sat_f32x4(wasm_f32x4_mul(F, dB));
  *g = sat_f32x4(wasm_f32x4_mul(sat_f32x4(wasm_f32x4_add(t1, t2)),
                                sat_f32x4(wasm_f32x4_mul(wb, rs))));
  return loss;
}

static inline v128_t bfocal_prob_f32x4(const bfocal_k4 *k, v128_t y, v128_t v, v128_t rs,
                                       v128_t *g) {
  v128_t ys = wasm_f32x4_add(wasm_f32x4_mul(y, k->oms), k->hs);
  v128_t oys = wasm_f32x4_sub(F4(1.0f), ys);
  v128_t pc = wasm_f32x4_pmax(v, F4(XENT_EPS));
  pc = wasm_f32x4_pmin(pc, F4(XENT_ONE_MINUS_EPS));
  v128_t om = wasm_f32x4_sub(F4(1.0f), pc);
  v128_t bce = sat_f32x4(wasm_f32x4_neg(
      wasm_f32x4_add(sat_f32x4(wasm_f32x4_mul(ys, xent_log_f32x4(pc))),
                     sat_f32x4(wasm_f32x4_mul(oys, xent_log_f32x4(om))))));
  v128_t q = wasm_f32x4_add(wasm_f32x4_mul(ys, wasm_f32x4_sub(F4(1.0f), v)),
                            wasm_f32x4_mul(oys, v));
  v128_t inside = wasm_v128_and(wasm_f32x4_ge(v, F4(XENT_EPS)),
                                wasm_f32x4_le(v, F4(XENT_ONE_MINUS_EPS)));
  v128_t dB = sat_f32x4(wasm_f32x4_div(wasm_f32x4_sub(pc, ys), wasm_f32x4_mul(pc, om)));
  dB = wasm_v128_and(dB, inside);
  v128_t dq = sat_f32x4(wasm_f32x4_sub(F4(1.0f), wasm_f32x4_mul(F4(2.0f), ys)));
  return bfocal_tail_f32x4(k, ys, bce, q, dB, dq, rs, g);
}

static inline v128_t bfocal_logit_f32x4(const bfocal_k4 *k, v128_t y, v128_t x, v128_t rs,
                                        v128_t *g) {
  v128_t ys = wasm_f32x4_add(wasm_f32x4_mul(y, k->oms), k->hs);
  v128_t oys = wasm_f32x4_sub(F4(1.0f), ys);
  v128_t e = xent_exp_f32x4(wasm_f32x4_neg(wasm_f32x4_abs(x)));
  v128_t d = wasm_f32x4_add(F4(1.0f), e);
  v128_t nonneg = wasm_f32x4_ge(x, F4(0.0f));
  v128_t p = wasm_f32x4_div(wasm_v128_bitselect(F4(1.0f), e, nonneg), d);
  v128_t pm = wasm_f32x4_div(wasm_v128_bitselect(e, F4(1.0f), nonneg), d);
  v128_t relu = wasm_f32x4_pmax(x, F4(0.0f));
  v128_t bce = sat_f32x4(wasm_f32x4_add(wasm_f32x4_sub(relu, wasm_f32x4_mul(x, ys)),
                                        xent__log1p_unit_f32x4(e)));
  v128_t q = wasm_f32x4_add(wasm_f32x4_mul(ys, pm), wasm_f32x4_mul(oys, p));
  v128_t dB = wasm_f32x4_sub(p, ys);
  v128_t dq = wasm_f32x4_mul(sat_f32x4(wasm_f32x4_sub(F4(1.0f), wasm_f32x4_mul(F4(2.0f), ys))),
                             wasm_f32x4_mul(p, pm));
  return bfocal_tail_f32x4(k, ys, bce, q, dB, dq, rs, g);
}

static inline bfocal_k4 bfocal_splat(const bfocal_k *ks) {
  const bfocal_k4 k = {F4(ks->oms), F4(ks->hs), F4(ks->alpha), F4(ks->oma), F4(ks->gamma),
                       wasm_i32x4_splat(ks->balance ? -1 : 0),
                       wasm_i32x4_splat(ks->gamma_is_one ? -1 : 0), ks->n};
  return k;
}

static double bfocal_row_f32x4(const bfocal_k *ks, int logits, const float *y,
                               const float *v, size_t n, float rs, float *g) {
  const bfocal_k4 k = bfocal_splat(ks);
  const v128_t vrs = F4(rs);
  v128_t lo = wasm_f64x2_splat(0.0), hi = lo, d;
  for (size_t i = 0; i < n; i += 4) {
    size_t r = part(n, i);
    v128_t y4 = load_part(y + i, r), v4 = load_part(v + i, r);
    v128_t l = logits ? bfocal_logit_f32x4(&k, y4, v4, vrs, &d)
                      : bfocal_prob_f32x4(&k, y4, v4, vrs, &d);
    acc_f64(&lo, &hi, wasm_v128_and(l, lanes_below(r)));
    if (g) store_part(g + i, d, r);
  }
  return sum_f64(lo, hi);
}

static double bfocal_column_f32x4(const xent_plan *plan, const bfocal_k *ks, int logits,
                                  const float *y, const float *v, size_t n, float *losses,
                                  float *g) {
  const bfocal_k4 k = bfocal_splat(ks);
  double total = 0.0;
  for (size_t b = 0; b < n; b += 4) {
    size_t r = part(n, b);
    float w[4] = {0.0f, 0.0f, 0.0f, 0.0f}, rs[4] = {0.0f, 0.0f, 0.0f, 0.0f}, l[4];
    for (size_t j = 0; j < r; j++) {
      w[j] = xent__dense_weight(plan, b + j, y + b + j);
      rs[j] = xent__grad_scale(plan, w[j]);
    }
    v128_t y4 = load_part(y + b, r), v4 = load_part(v + b, r), d;
    v128_t l4 = logits ? bfocal_logit_f32x4(&k, y4, v4, wasm_v128_load(rs), &d)
                       : bfocal_prob_f32x4(&k, y4, v4, wasm_v128_load(rs), &d);
    wasm_v128_store(l, l4);
    for (size_t j = 0; j < r; j++) {
      double weighted = (double)w[j] * (double)l[j];
      if (losses) losses[b + j] = xent__narrow(weighted);
      total += weighted;
    }
    if (g) store_part(g + b, d, r);
  }
  return total;
}

#endif /* XENT_HAVE_SIMD128 */

/* ---- Public entry point ------------------------------------------------------- */

xent_status xent_binary_focal_crossentropy(const float *y_true, const float *y_pred,
                                           size_t batch, size_t classes,
                                           const xent_options *opt, float *losses,
                                           float *grad, float *loss, xent_error *err) {
  xent_plan plan;
  xent_status s = xent__plan_dense(&plan, y_true, y_pred, batch, classes, opt, XENT_USES_FOCAL, err);
  if (s) return s;
  const xent_options *o = &plan.opt;
  const bfocal_k k = {1.0f - o->label_smoothing, 0.5f * o->label_smoothing, o->alpha,
                      1.0f - o->alpha, o->gamma, o->apply_class_balancing != 0,
                      o->gamma == 1.0f, small_integer(o->gamma)};
  double total = 0.0;
  if (classes == 1)
    total = XENT_KERNEL(bfocal_column)(&plan, &k, o->from_logits != 0, y_true, y_pred, batch,
                                       losses, grad);
  for (size_t b = 0; classes > 1 && b < batch; b++) {
    const float *y = y_true + b * classes, *v = y_pred + b * classes;
    float w = xent__dense_weight(&plan, b, y);
    /* The per-example loss is the mean over classes: each element carries 1/classes. */
    float rs = (float)((double)xent__grad_scale(&plan, w) / (double)classes);
    float *g = grad ? grad + b * classes : NULL;
    double sum = XENT_KERNEL(bfocal_row)(&k, o->from_logits != 0, y, v, classes, rs, g);
    double weighted = (double)w * (sum / (double)classes);
    if (losses) losses[b] = xent__narrow(weighted);
    total += weighted;
  }
  xent__finish(&plan, total, loss);
  return XENT_OK;
}
