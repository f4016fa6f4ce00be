/* focal_categorical.c: Keras categorical_focal_crossentropy and its
 * gradient, docs/semantics.md 2.6 (definition), 4.8 (gradient) and decision 7
 * (Keras on its TensorFlow backend), on probabilities and on logits. Called
 * through the public API, xent_categorical_focal_crossentropy in xent.h
 * (from JS: categoricalFocalCrossentropy in js/index.js); validation, weights
 * and reductions come from the plan of reduce.c, exp/log/pow from
 * xent_math.h, saturation, pow and the width-4 tails from xent_focal.h
 * (shared with focal_binary.c).
 *
 * Per row, y' = y (1-s) + s/C, alpha_j = alpha_per_class[j] or alpha:
 *   q = p / sum(p) (p = softmax(z) from logits, as Keras), q' = clip(q),
 *   loss = sum_j alpha_j (1-q'_j)^gamma (-y'_j log q'_j);
 *   h_j = m(q_j) dloss/dq'_j = -m_j alpha_j (1-q'_j)^gamma y'_j (1/q'_j + gamma (-log q'_j)/(1-q'_j)),
 *   K = sum_j h_j q_j; probabilities dloss/dp_i = (h_i - K) / sum(p);
 *   logits dloss/dz_i = q_i (h_i - K). A probability row summing to 0 gives
 *   q = 0 (divide_no_nan): every class clipped, finite loss, zero gradient.
 *
 * No NaN from finite inputs: every intermediate that can overflow for absurd
 * inputs (labels near FLT_MAX, "probabilities" of 1e30) saturates at FLT_MAX
 * (sat: pmin/pmax, which keep a NaN that came from the input) before it can
 * meet a zero or an opposite infinity. Each kernel exists at width 1 and
 * width 4 with the same steps; row sums are double (f64x2). */
#include "xent_focal.h"

/* Per-call constants. */
typedef struct cfocal_k {
  float oms, sc;     /* y' = y oms + sc: oms = 1 - s, sc = s / C */
  float alpha, gamma;
  int n;
  const float *alphas; /* [classes] alpha by class, or NULL: alpha for every class */
} cfocal_k;

/* ---- Width 1 --------------------------------------------------------------- */

/* One categorical class from its normalised probability q: returns the loss
 * term; *h = m(q) dloss/dq'. */
static inline float cfocal_elem_scalar(const cfocal_k *k, float y, float q, float alpha,
                                       float *h) {
  float ys = y * k->oms + k->sc;
  float qc = q < XENT_EPS ? XENT_EPS : q;
  qc = XENT_ONE_MINUS_EPS < qc ? XENT_ONE_MINUS_EPS : qc;
  float lq = xent_log_scalar(qc);
  float om = 1.0f - qc;
  float aF = focal_pow_scalar(om, k->gamma, k->n) * alpha;
  float loss = aF * sat_scalar(-(ys * lq));
  float u = 1.0f / qc + sat_scalar(k->gamma * (-lq / om));
  float gq = -sat_scalar((aF * ys) * u);
  int inside = (q >= XENT_EPS) & (q <= XENT_ONE_MINUS_EPS);
  *h = inside ? gq : 0.0f;
  return loss;
}

/* The normalised probability of one class: v / S on probabilities (0 for a
 * row summing to 0: divide_no_nan), exp(z - m) / S on logits. */
static inline float cfocal_q_scalar(int logits, float v, float S, int zero, float m) {
  if (logits) return xent_exp_scalar(v - m) / S;
  float q = sat_scalar(v / S);
  return zero ? 0.0f : q;
}

/* One categorical row, both paths: (logits) the max, the sum (of p, or of
 * exp(z - m)), then loss and h in one pass (h kept in g), then the gradient
 * (h - K) / S on probabilities, q (h - K) on logits. Returns the loss. */
XENT_MAYBE_UNUSED static double cfocal_row_scalar(const cfocal_k *k, int logits, const float *y,
                                                  const float *v, size_t n, float rs, float *g) {
  /* The maximum and every sum in the lane order of the f32x4 kernel (element
   * i in lane i % 4; sum4_scalar), so that both widths agree bit for bit. */
  float m = -INFINITY;
  if (logits) {
    float lanes[4] = {-INFINITY, -INFINITY, -INFINITY, -INFINITY};
    for (size_t i = 0; i < n; i++) lanes[i % 4] = lanes[i % 4] < v[i] ? v[i] : lanes[i % 4];
    for (int j = 0; j < 4; j++) m = m < lanes[j] ? lanes[j] : m;
  }
  double s4[4] = {0.0, 0.0, 0.0, 0.0};
  for (size_t i = 0; i < n; i++) s4[i % 4] += (double)(logits ? xent_exp_scalar(v[i] - m) : v[i]);
  double S = sum4_scalar(s4);
  int zero = !logits && S == 0.0;
  float Sf = zero ? 1.0f : logits ? (float)S : xent__narrow(S);
  double l4[4] = {0.0, 0.0, 0.0, 0.0}, k4[4] = {0.0, 0.0, 0.0, 0.0};
  for (size_t i = 0; i < n; i++) {
    float q = cfocal_q_scalar(logits, v[i], Sf, zero, m);
    float h;
    l4[i % 4] += (double)cfocal_elem_scalar(k, y[i], q, k->alphas ? k->alphas[i] : k->alpha, &h);
    k4[i % 4] += (double)sat_scalar(h * q);
    if (g) g[i] = h;
  }
  double sum = sum4_scalar(l4), K = sum4_scalar(k4);
  if (g) {
    float Kf = xent__narrow(K);
    for (size_t i = 0; i < n; i++) {
      float d = sat_scalar(g[i] - Kf), t;
      if (logits)
        t = cfocal_q_scalar(1, v[i], Sf, zero, m) * d;
      else
        t = sat_scalar(d / Sf);
      g[i] = sat_scalar(t * rs);
    }
  }
  return sum;
}

#if XENT_HAVE_SIMD128

/* ---- Width 4 (same steps and names as above) --------------------------------- */

typedef struct cfocal_k4 {
  v128_t oms, sc, alpha, gamma;
  int n;
} cfocal_k4;

static inline v128_t cfocal_elem_f32x4(const cfocal_k4 *k, v128_t y, v128_t q, v128_t alpha,
                                       v128_t *h) {
  v128_t ys = wasm_f32x4_add(wasm_f32x4_mul(y, k->oms), k->sc);
  v128_t qc = wasm_f32x4_pmax(q, F4(XENT_EPS));
  qc = wasm_f32x4_pmin(qc, F4(XENT_ONE_MINUS_EPS));
  v128_t lq = xent_log_f32x4(qc);
  v128_t om = wasm_f32x4_sub(F4(1.0f), qc);
  v128_t aF = wasm_f32x4_mul(focal_pow_f32x4(om, k->gamma, k->n), alpha);
  v128_t loss = wasm_f32x4_mul(aF, sat_f32x4(wasm_f32x4_neg(wasm_f32x4_mul(ys, lq))));
  v128_t u = wasm_f32x4_add(wasm_f32x4_div(F4(1.0f), qc),
                            sat_f32x4(wasm_f32x4_mul(
                                k->gamma, wasm_f32x4_div(wasm_f32x4_neg(lq), om))));
  v128_t gq = wasm_f32x4_neg(sat_f32x4(wasm_f32x4_mul(wasm_f32x4_mul(aF, ys), u)));
  v128_t inside = wasm_v128_and(wasm_f32x4_ge(q, F4(XENT_EPS)),
                                wasm_f32x4_le(q, F4(XENT_ONE_MINUS_EPS)));
  *h = wasm_v128_and(gq, inside);
  return loss;
}

/* The normalised probability of four classes: v / S on probabilities
 * (keep = 0 for a row summing to 0), exp(z - m) / S on logits. */
static inline v128_t cfocal_q_f32x4(int logits, v128_t v, v128_t vS, v128_t keep, v128_t vm) {
  if (logits) return wasm_f32x4_div(xent_exp_f32x4(wasm_f32x4_sub(v, vm)), vS);
  return wasm_v128_and(sat_f32x4(wasm_f32x4_div(v, vS)), keep);
}

/* Both categorical paths: (logits) the max, the sum (of p, or of exp(z - m)),
 * then loss and h in one pass (h kept in g), then the gradient from h. */
static double cfocal_row_f32x4(const cfocal_k *ks, int logits, const float *y,
                               const float *v, size_t n, float rs, float *g) {
  const cfocal_k4 k = {F4(ks->oms), F4(ks->sc), F4(ks->alpha), F4(ks->gamma), ks->n};
  float m = -INFINITY;
  if (logits) {
    v128_t mv = F4(-INFINITY);
    for (size_t i = 0; i < n; i += 4) {
      size_t r = part(n, i);
      mv = wasm_f32x4_pmax(mv, wasm_v128_bitselect(load_part(v + i, r), F4(-INFINITY),
                                                   lanes_below(r)));
    }
    float lanes[4];
    wasm_v128_store(lanes, mv);
    for (int j = 0; j < 4; j++) m = m < lanes[j] ? lanes[j] : m;
  }
  const v128_t vm = F4(m);
  v128_t slo = wasm_f64x2_splat(0.0), shi = slo;
  for (size_t i = 0; i < n; i += 4) {
    size_t r = part(n, i);
    v128_t x = load_part(v + i, r);
    x = logits ? xent_exp_f32x4(wasm_f32x4_sub(x, vm)) : x;
    acc_f64(&slo, &shi, wasm_v128_and(x, lanes_below(r)));
  }
  double S = sum_f64(slo, shi);
  int zero = !logits && S == 0.0;
  const v128_t vS = F4(zero ? 1.0f : logits ? (float)S : xent__narrow(S));
  const v128_t keep = wasm_i32x4_splat(zero ? 0 : -1);
  v128_t lo = wasm_f64x2_splat(0.0), hi = lo, klo = lo, khi = lo, h;
  for (size_t i = 0; i < n; i += 4) {
    size_t r = part(n, i);
    v128_t q = cfocal_q_f32x4(logits, load_part(v + i, r), vS, keep, vm);
    v128_t a = ks->alphas ? load_part(ks->alphas + i, r) : k.alpha;
    v128_t l = cfocal_elem_f32x4(&k, load_part(y + i, r), q, a, &h);
    v128_t in = lanes_below(r);
    acc_f64(&lo, &hi, wasm_v128_and(l, in));
    acc_f64(&klo, &khi, wasm_v128_and(sat_f32x4(wasm_f32x4_mul(h, q)), in));
    if (g) store_part(g + i, h, r);
  }
  if (g) {
    const v128_t vK = F4(xent__narrow(sum_f64(klo, khi))), vrs = F4(rs);
    for (size_t i = 0; i < n; i += 4) {
      size_t r = part(n, i);
      v128_t d = sat_f32x4(wasm_f32x4_sub(load_part(g + i, r), vK)), t;
      if (logits)
        t = wasm_f32x4_mul(cfocal_q_f32x4(1, load_part(v + i, r), vS, keep, vm), d);
      else
        t = sat_f32x4(wasm_f32x4_div(d, vS));
      store_part(g + i, sat_f32x4(wasm_f32x4_mul(t, vrs)), r);
    }
  }
  return sum_f64(lo, hi);
}

#endif /* XENT_HAVE_SIMD128 */

/* ---- Public entry point ------------------------------------------------------- */

xent_status xent_categorical_focal_crossentropy(const float *y_true, const float *y_pred,
                                                size_t batch, size_t classes,
                                                const xent_options *opt, float *losses,
                                                float *grad, float *loss, xent_error *err) {
  xent_plan plan;
  xent_status s = xent__plan_dense(&plan, y_true, y_pred, batch, classes, opt,
                                   XENT_USES_FOCAL | XENT_USES_ALPHA_PER_CLASS, err);
  if (s) return s;
  const xent_options *o = &plan.opt;
  /* y' = y (1 - s) + s / C in float32, as Keras. */
  const cfocal_k k = {1.0f - o->label_smoothing, o->label_smoothing / (float)classes,
                      o->alpha, o->gamma, small_integer(o->gamma), o->alpha_per_class};
  double total = 0.0;
  for (size_t b = 0; b < batch; b++) {
    const float *y = y_true + b * classes, *v = y_pred + b * classes;
    float w = xent__dense_weight(&plan, b, y);
    float rs = xent__grad_scale(&plan, w);
    float *g = grad ? grad + b * classes : NULL;
    double sum = XENT_KERNEL(cfocal_row)(&k, o->from_logits != 0, y, v, classes, rs, g);
    double weighted = (double)w * sum;
    if (losses) losses[b] = xent__narrow(weighted);
    total += weighted;
  }
  xent__finish(&plan, total, loss);
  return XENT_OK;
}
