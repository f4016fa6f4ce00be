/* poly.c: Optax's poly_loss_cross_entropy (poly-1, Leng et al. 2022) and its
 * gradient, docs/semantics.md "New losses". Called through the public API,
 * xent_poly_loss_cross_entropy in xent.h (from JS: polyLossCrossentropy in
 * js/index.js); validation, weights and reductions come from the plan of
 * reduce.c, the softmax statistics from xent_lrow.h.
 *
 * Per row of logits z and labels y (one-hot or soft), p = softmax(z):
 *   loss = sum_j y_j (logsumexp(z) - z_j) + epsilon sum_j y_j (1 - p_j)
 *        = CE + epsilon (Y - YP),  Y = sum_j y_j, YP = sum_j y_j p_j;
 *   dloss/dz_k = (Y p_k - y_k) + epsilon p_k (YP - y_k).
 * A zero label contributes 0 whatever the logit, and every intermediate that
 * can overflow for absurd inputs saturates at FLT_MAX, so finite inputs give
 * finite outputs. Width 1 and width 4 with the same steps; row sums double. */
#include "xent_lrow.h"

/* ---- Width 1 --------------------------------------------------------------- */

XENT_MAYBE_UNUSED static double poly_row_scalar(const float *y, const float *z, size_t n,
                                                float eps, float rs, float *g) {
  float m, S;
  lrow_stats_scalar(z, n, &m, &S);
  float lS = xent_log_scalar(S);
  /* Sums in the f32x4 kernel's lane order (sum4_scalar): bit-identical widths. */
  double c4[4] = {0.0, 0.0, 0.0, 0.0}, y4[4] = {0.0, 0.0, 0.0, 0.0}, p4[4] = {0.0, 0.0, 0.0, 0.0};
  for (size_t i = 0; i < n; i++) {
    float d = sat_scalar(z[i] - m);
    float p = xent_exp_scalar(d) / S;
    float nl = sat_scalar(lS - d);
    c4[i % 4] += y[i] == 0.0f ? 0.0 : (double)sat_scalar(y[i] * nl);
    y4[i % 4] += (double)y[i];
    p4[i % 4] += (double)(y[i] * p);
  }
  double ce = sum4_scalar(c4), Y = sum4_scalar(y4), YP = sum4_scalar(p4);
  if (g) {
    float Yf = xent__narrow(Y), YPf = xent__narrow(YP);
    for (size_t i = 0; i < n; i++) {
      float p = xent_exp_scalar(sat_scalar(z[i] - m)) / S;
      float a = sat_scalar(Yf * p - y[i]);
      float b = sat_scalar(eps * sat_scalar(p * sat_scalar(YPf - y[i])));
      g[i] = sat_scalar(sat_scalar(a + b) * rs);
    }
  }
  return ce + (double)eps * (Y - YP);
}

#if XENT_HAVE_SIMD128

/* ---- Width 4 (same steps and names as above) --------------------------------- */

static double poly_row_f32x4(const float *y, const float *z, size_t n, float eps, float rs,
                             float *g) {
  float m, S;
  lrow_stats_f32x4(z, n, &m, &S);
  const v128_t vm = F4(m), vS = F4(S), vlS = F4(xent_log_scalar(S));
  v128_t clo = wasm_f64x2_splat(0.0), chi = clo, ylo = clo, yhi = clo, plo = clo, phi = clo;
  for (size_t i = 0; i < n; i += 4) {
    size_t r = part(n, i);
    v128_t in = lanes_below(r), yv = load_part(y + i, r);
    v128_t d = sat_f32x4(wasm_f32x4_sub(load_part(z + i, r), vm));
    v128_t p = wasm_f32x4_div(xent_exp_f32x4(d), vS);
    v128_t nl = sat_f32x4(wasm_f32x4_sub(vlS, d));
    v128_t t = wasm_v128_andnot(sat_f32x4(wasm_f32x4_mul(yv, nl)), wasm_f32x4_eq(yv, F4(0.0f)));
    acc_f64(&clo, &chi, wasm_v128_and(t, in));
    acc_f64(&ylo, &yhi, wasm_v128_and(yv, in));
    acc_f64(&plo, &phi, wasm_v128_and(wasm_f32x4_mul(yv, p), in));
  }
  double Y = sum_f64(ylo, yhi), YP = sum_f64(plo, phi);
  if (g) {
    const v128_t vY = F4(xent__narrow(Y)), vYP = F4(xent__narrow(YP)), ve = F4(eps), vrs = F4(rs);
    for (size_t i = 0; i < n; i += 4) {
      size_t r = part(n, i);
      v128_t yv = load_part(y + i, r);
      v128_t p = wasm_f32x4_div(xent_exp_f32x4(sat_f32x4(wasm_f32x4_sub(load_part(z + i, r), vm))), vS);
      v128_t a = sat_f32x4(wasm_f32x4_sub(wasm_f32x4_mul(vY, p), yv));
      v128_t b = sat_f32x4(wasm_f32x4_mul(ve, sat_f32x4(wasm_f32x4_mul(p, sat_f32x4(wasm_f32x4_sub(vYP, yv))))));
      store_part(g + i, sat_f32x4(wasm_f32x4_mul(sat_f32x4(wasm_f32x4_add(a, b)), vrs)), r);
    }
  }
  return sum_f64(clo, chi) + (double)eps * (Y - YP);
}

#endif /* XENT_HAVE_SIMD128 */

/* ---- Public entry point ------------------------------------------------------- */

xent_status xent_poly_loss_cross_entropy(const float *y_true, const float *y_pred, size_t batch,
                                         size_t classes, const xent_options *opt, float *losses,
                                         float *grad, float *loss, xent_error *err) {
  xent_plan plan;
  xent_status s = xent__plan_dense(&plan, y_true, y_pred, batch, classes, opt, XENT_USES_EPSILON, err);
  if (s) return s;
  const float eps = plan.opt.epsilon;
  double total = 0.0;
  for (size_t b = 0; b < batch; b++) {
    const float *y = y_true + b * classes, *z = y_pred + b * classes;
    float w = xent__dense_weight(&plan, b, y);
    float *g = grad ? grad + b * classes : NULL;
    double row = XENT_KERNEL(poly_row)(y, z, classes, eps, xent__grad_scale(&plan, w), g);
    double weighted = (double)w * row;
    if (losses) losses[b] = xent__narrow(weighted);
    total += weighted;
  }
  xent__finish(&plan, total, loss);
  return XENT_OK;
}
