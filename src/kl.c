/* kl.c: Keras kl_divergence and Keras' logits distillation loss, with their
 * gradients, docs/semantics.md "New losses". Called
 * through the public API (xent_kl_divergence, xent_logits_distillation in
 * xent.h; from JS klDivergence and logitsDistillation in js/index.js);
 * validation, weights and reductions come from the plan of reduce.c, exp/log
 * from xent_math.h, saturation and the width-4 tails from xent_focal.h.
 *
 * kl_divergence (keras/src/losses/losses.py kl_divergence): both inputs are
 * clipped to [eps, 1] (not 1 - eps), y' = clip(y), p' = clip(p),
 *   loss = sum_j y'_j log(y'_j / p'_j),  dloss/dp_j = -y'_j / p'_j on
 * eps <= p_j <= 1 and 0 outside (the clip's gradient). The ratio lies in
 * [eps, 1/eps], so nothing overflows.
 *
 * logits distillation (keras/src/distillation/distillation_loss.py
 * LogitsDistillation with its default loss, KLDivergence): teacher and student
 * logits are divided by the temperature T, t = softmax(teacher / T),
 * s = softmax(student / T), and the loss is T^2 kl_divergence(t, s) (clips
 * included). The gradient with respect to the student logits, with
 * t' = clip(t), m_k = [s_k >= eps] and A = sum_k m_k t'_k:
 *   dloss/dstudent_k = T (s_k A - m_k t'_k).
 * Keras averages over the batch ("sum_over_batch_size"); the plan applies any
 * reduction and weights. Each kernel exists at width 1 and width 4 with the
 * same steps; row sums are double (f64x2). */
#include <math.h>

#include "xent_focal.h"

/* clip(v, eps, 1) with NaN passing (pmax, then pmin). */
static inline float clip01_scalar(float v) {
  v = v < XENT_EPS ? XENT_EPS : v;
  return 1.0f < v ? 1.0f : v;
}

/* ---- Width 1 --------------------------------------------------------------- */

/* One kl_divergence row: returns sum_j y'_j log(y'_j / p'_j); writes the
 * gradient times rs when g is not NULL. */
XENT_MAYBE_UNUSED static double kl_row_scalar(const float *y, const float *p, size_t n, float rs,
                                              float *g) {
  double acc[4] = {0.0, 0.0, 0.0, 0.0}; /* lane order of the f32x4 kernel (sum4_scalar) */
  for (size_t i = 0; i < n; i++) {
    float yc = clip01_scalar(y[i]), pc = clip01_scalar(p[i]);
    float r = yc / pc;
    acc[i % 4] += (double)(yc * xent_log_scalar(r));
    if (g) {
      int inside = (p[i] >= XENT_EPS) & (p[i] <= 1.0f);
      g[i] = inside ? sat_scalar(-r * rs) : 0.0f;
    }
  }
  return sum4_scalar(acc);
}

/* softmax(v / T) of a row is exp(v_i / T - m) / S: its max m and (float) sum S. */
XENT_MAYBE_UNUSED static void tstats_scalar(const float *v, size_t n, float T, float *m, float *S) {
  /* Max and sums in the f32x4 kernel's lane order (element i in lane i % 4,
   * sum4_scalar), so that both widths agree bit for bit. */
  float lanes[4] = {-INFINITY, -INFINITY, -INFINITY, -INFINITY}, mx = -INFINITY;
  for (size_t i = 0; i < n; i++) {
    float u = sat_scalar(v[i] / T);
    lanes[i % 4] = lanes[i % 4] < u ? u : lanes[i % 4];
  }
  for (int j = 0; j < 4; j++) mx = mx < lanes[j] ? lanes[j] : mx;
  double acc[4] = {0.0, 0.0, 0.0, 0.0};
  for (size_t i = 0; i < n; i++) acc[i % 4] += (double)xent_exp_scalar(sat_scalar(v[i] / T) - mx);
  *m = mx;
  *S = (float)sum4_scalar(acc);
}

/* One distillation row from the teacher's and the student's logits and their
 * softmax statistics (the probabilities are recomputed where needed, the same
 * bits each time, so no scratch row is needed). Returns
 * sum_j t'_j log(t'_j / s'_j); writes the gradient times rs when g is not NULL. */
XENT_MAYBE_UNUSED static double distill_row_scalar(const float *tz, const float *sz, size_t n,
                                                   float T, const float st[4], float rs,
                                                   float *g) {
  double acc[4] = {0.0, 0.0, 0.0, 0.0}, a4[4] = {0.0, 0.0, 0.0, 0.0}; /* lane order (sum4_scalar) */
  for (size_t i = 0; i < n; i++) {
    float t = xent_exp_scalar(sat_scalar(tz[i] / T) - st[0]) / st[1];
    float s = xent_exp_scalar(sat_scalar(sz[i] / T) - st[2]) / st[3];
    float tc = clip01_scalar(t), sc = clip01_scalar(s);
    acc[i % 4] += (double)(tc * xent_log_scalar(tc / sc));
    a4[i % 4] += s >= XENT_EPS ? (double)tc : 0.0;
  }
  double sum = sum4_scalar(acc), A = sum4_scalar(a4);
  if (g) {
    float Af = (float)A;
    for (size_t i = 0; i < n; i++) {
      float t = xent_exp_scalar(sat_scalar(tz[i] / T) - st[0]) / st[1];
      float s = xent_exp_scalar(sat_scalar(sz[i] / T) - st[2]) / st[3];
      float mt = s >= XENT_EPS ? clip01_scalar(t) : 0.0f;
      g[i] = sat_scalar(sat_scalar(T * (s * Af - mt)) * rs);
    }
  }
  return sum;
}

#if XENT_HAVE_SIMD128

/* ---- Width 4 (same steps and names as above) --------------------------------- */

static inline v128_t clip01_f32x4(v128_t v) {
  return wasm_f32x4_pmin(wasm_f32x4_pmax(v, F4(XENT_EPS)), F4(1.0f));
}

static double kl_row_f32x4(const float *y, const float *p, size_t n, float rs, float *g) {
  v128_t lo = wasm_f64x2_splat(0.0), hi = lo;
  const v128_t vrs = F4(rs);
  for (size_t i = 0; i < n; i += 4) {
    size_t r = part(n, i);
    v128_t pv = load_part(p + i, r);
    v128_t yc = clip01_f32x4(load_part(y + i, r)), pc = clip01_f32x4(pv);
    v128_t ratio = wasm_f32x4_div(yc, pc);
    acc_f64(&lo, &hi, wasm_v128_and(wasm_f32x4_mul(yc, xent_log_f32x4(ratio)), lanes_below(r)));
    if (g) {
      v128_t inside = wasm_v128_and(wasm_f32x4_ge(pv, F4(XENT_EPS)), wasm_f32x4_le(pv, F4(1.0f)));
      v128_t d = sat_f32x4(wasm_f32x4_mul(wasm_f32x4_neg(ratio), vrs));
      store_part(g + i, wasm_v128_and(d, inside), r);
    }
  }
  return sum_f64(lo, hi);
}

static void tstats_f32x4(const float *v, size_t n, float T, float *m, float *S) {
  const v128_t vT = F4(T);
  v128_t mv = F4(-INFINITY);
  for (size_t i = 0; i < n; i += 4) {
    size_t r = part(n, i);
    v128_t u = sat_f32x4(wasm_f32x4_div(load_part(v + i, r), vT));
    mv = wasm_f32x4_pmax(mv, wasm_v128_bitselect(u, F4(-INFINITY), lanes_below(r)));
  }
  float lanes[4], mx = -INFINITY;
  wasm_v128_store(lanes, mv);
  for (int j = 0; j < 4; j++) mx = mx < lanes[j] ? lanes[j] : mx;
  const v128_t vm = F4(mx);
  v128_t lo = wasm_f64x2_splat(0.0), hi = lo;
  for (size_t i = 0; i < n; i += 4) {
    size_t r = part(n, i);
    v128_t e = xent_exp_f32x4(wasm_f32x4_sub(sat_f32x4(wasm_f32x4_div(load_part(v + i, r), vT)), vm));
    acc_f64(&lo, &hi, wasm_v128_and(e, lanes_below(r)));
  }
  *m = mx;
  *S = (float)sum_f64(lo, hi);
}

/* The softmax of four logits from the row's statistics. */
static inline v128_t tprob_f32x4(v128_t z, v128_t vT, v128_t m, v128_t S) {
  return wasm_f32x4_div(xent_exp_f32x4(wasm_f32x4_sub(sat_f32x4(wasm_f32x4_div(z, vT)), m)), S);
}

static double distill_row_f32x4(const float *tz, const float *sz, size_t n, float T,
                                const float st[4], float rs, float *g) {
  const v128_t vT = F4(T), tm = F4(st[0]), tS = F4(st[1]), sm = F4(st[2]), sS = F4(st[3]);
  v128_t lo = wasm_f64x2_splat(0.0), hi = lo, alo = lo, ahi = lo;
  for (size_t i = 0; i < n; i += 4) {
    size_t r = part(n, i);
    v128_t in = lanes_below(r);
    v128_t t = tprob_f32x4(load_part(tz + i, r), vT, tm, tS);
    v128_t s = tprob_f32x4(load_part(sz + i, r), vT, sm, sS);
    v128_t tc = clip01_f32x4(t), sc = clip01_f32x4(s);
    acc_f64(&lo, &hi, wasm_v128_and(wasm_f32x4_mul(tc, xent_log_f32x4(wasm_f32x4_div(tc, sc))), in));
    acc_f64(&alo, &ahi, wasm_v128_and(wasm_v128_and(tc, wasm_f32x4_ge(s, F4(XENT_EPS))), in));
  }
  if (g) {
    const v128_t vA = F4((float)sum_f64(alo, ahi)), vrs = F4(rs);
    for (size_t i = 0; i < n; i += 4) {
      size_t r = part(n, i);
      v128_t t = tprob_f32x4(load_part(tz + i, r), vT, tm, tS);
      v128_t s = tprob_f32x4(load_part(sz + i, r), vT, sm, sS);
      v128_t mt = wasm_v128_and(clip01_f32x4(t), wasm_f32x4_ge(s, F4(XENT_EPS)));
      v128_t d = sat_f32x4(wasm_f32x4_mul(vT, wasm_f32x4_sub(wasm_f32x4_mul(s, vA), mt)));
      store_part(g + i, sat_f32x4(wasm_f32x4_mul(d, vrs)), r);
    }
  }
  return sum_f64(lo, hi);
}

#endif /* XENT_HAVE_SIMD128 */

/* ---- Public entry points ------------------------------------------------------- */

xent_status xent_kl_divergence(const float *y_true, const float *y_pred, size_t batch,
                               size_t classes, const xent_options *opt, float *losses,
                               float *grad, float *loss, xent_error *err) {
  xent_plan plan;
  xent_status s = xent__plan_dense(&plan, y_true, y_pred, batch, classes, opt, 0, err);
  if (s) return s;
  double total = 0.0;
  for (size_t b = 0; b < batch; b++) {
    const float *y = y_true + b * classes, *p = y_pred + b * classes;
    float w = xent__dense_weight(&plan, b, y);
    float *g = grad ? grad + b * classes : NULL;
    double weighted = (double)w * XENT_KERNEL(kl_row)(y, p, classes, xent__grad_scale(&plan, w), g);
    if (losses) losses[b] = xent__narrow(weighted);
    total += weighted;
  }
  xent__finish(&plan, total, loss);
  return XENT_OK;
}

xent_status xent_logits_distillation(const float *teacher_logits, const float *student_logits,
                                     size_t batch, size_t classes, const xent_options *opt,
                                     float *losses, float *grad, float *loss, xent_error *err) {
  xent_plan plan;
  xent_status s = xent__plan_dense(&plan, teacher_logits, student_logits, batch, classes, opt,
                                   XENT_USES_TEMPERATURE, err);
  if (s) return s;
  const float T = plan.opt.temperature, T2 = sat_scalar(T * T);
  double total = 0.0;
  for (size_t b = 0; b < batch; b++) {
    const float *tz = teacher_logits + b * classes, *sz = student_logits + b * classes;
    float st[4];
    XENT_KERNEL(tstats)(tz, classes, T, &st[0], &st[1]);
    XENT_KERNEL(tstats)(sz, classes, T, &st[2], &st[3]);
    /* The example's class (for class_weight) is the argmax of the teacher's logits. */
    float w = xent__dense_weight(&plan, b, tz);
    float rs = xent__grad_scale(&plan, w);
    float *g = grad ? grad + b * classes : NULL;
    double row = XENT_KERNEL(distill_row)(tz, sz, classes, T, st, rs, g);
    double weighted = (double)w * ((double)T2 * row);
    if (losses) losses[b] = xent__narrow(weighted);
    total += weighted;
  }
  xent__finish(&plan, total, loss);
  return XENT_OK;
}
