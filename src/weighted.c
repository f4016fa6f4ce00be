/* weighted.c: tf.nn.weighted_cross_entropy_with_logits with a pos_weight per
 * class (a vector broadcast along the last axis, as TF broadcasts it and as
 * PyTorch's BCEWithLogitsLoss(pos_weight=...) takes it), and its gradient,
 * docs/semantics.md 3.2 and 4.2. Called through the public API,
 * xent_weighted_cross_entropy_with_logits_per_class in xent.h (from JS:
 * weightedCrossEntropyWithLogits with an array posWeight, js/index.js).
 *
 * Per element, with q = pos_weight[class], e = exp(-|x|):
 *   loss = (1 - z) max(x, 0) + q z max(-x, 0) + (1 + (q - 1) z) log1p(e),
 *   d/dx = ((1 - z) A - q z B) / (1 + e), A = 1, B = e for x >= 0, A = e, B = 1 below:
 * the same operations, in the same order, as the scalar pos_weight op of
 * binary.c, so a vector of equal weights gives the same bits. A loss beyond
 * float range from finite inputs saturates to +-FLT_MAX. Width 1 and width 4
 * with the same steps. */
#include <math.h>

#include "xent_focal.h"

/* ---- Width 1 --------------------------------------------------------------- */

static inline float wce_elem_scalar(float x, float z, float q, float *g) {
  float qm1 = q - 1.0f;
  float e = xent_exp_scalar(-fabsf(x));
  /* l and q z saturated, so l log1p(e) and q z relu(-x) are never Inf x 0 (as binary.c). */
  float l = sat_scalar(1.0f + qm1 * z), nz = 1.0f - z, qz = sat_scalar(q * z);
  float pos = x < 0.0f ? 0.0f : x;
  float neg = -x < 0.0f ? 0.0f : -x;
  float sp = xent__log1p_unit_scalar(e);
  float loss = nz * pos + qz * neg + l * sp;
  int nonneg = x >= 0.0f;
  float A = nonneg ? 1.0f : e, B = nonneg ? e : 1.0f;
  *g = sat_scalar((nz * A - qz * B) / (1.0f + e));
  int finite = (fabsf(x) <= FLT_MAX) & (fabsf(z) <= FLT_MAX);
  return finite ? sat_scalar(loss) : loss;
}

/* One row of n elements whose class weights are q[0..n). */
XENT_MAYBE_UNUSED static void wce_row_scalar(const float *z, const float *x, const float *q,
                                             size_t n, float *losses, float *g) {
  for (size_t i = 0; i < n; i++) {
    float d;
    float l = wce_elem_scalar(x[i], z[i], q[i], &d);
    if (losses) losses[i] = l;
    if (g) g[i] = d;
  }
}

#if XENT_HAVE_SIMD128

/* ---- Width 4 (same steps and names as above) --------------------------------- */

static inline v128_t wce_elem_f32x4(v128_t x, v128_t z, v128_t q, v128_t *g) {
  const v128_t zero = F4(0.0f), one = F4(1.0f), big = F4(FLT_MAX);
  v128_t qm1 = wasm_f32x4_sub(q, one);
  v128_t e = xent_exp_f32x4(wasm_f32x4_neg(wasm_f32x4_abs(x)));
  v128_t l = sat_f32x4(wasm_f32x4_add(one, wasm_f32x4_mul(qm1, z)));
  v128_t nz = wasm_f32x4_sub(one, z), qz = sat_f32x4(wasm_f32x4_mul(q, z));
  v128_t pos = wasm_f32x4_pmax(x, zero);
  v128_t neg = wasm_f32x4_pmax(wasm_f32x4_neg(x), zero);
  v128_t sp = xent__log1p_unit_f32x4(e);
  v128_t loss = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_mul(nz, pos), wasm_f32x4_mul(qz, neg)),
                               wasm_f32x4_mul(l, sp));
  v128_t nonneg = wasm_f32x4_ge(x, zero);
  v128_t A = wasm_v128_bitselect(one, e, nonneg), B = wasm_v128_bitselect(e, one, nonneg);
  *g = sat_f32x4(wasm_f32x4_div(wasm_f32x4_sub(wasm_f32x4_mul(nz, A), wasm_f32x4_mul(qz, B)),
                                wasm_f32x4_add(one, e)));
  v128_t finite =
      wasm_v128_and(wasm_f32x4_le(wasm_f32x4_abs(x), big), wasm_f32x4_le(wasm_f32x4_abs(z), big));
  return wasm_v128_bitselect(sat_f32x4(loss), loss, finite);
}

static void wce_row_f32x4(const float *z, const float *x, const float *q, size_t n,
                          float *losses, float *g) {
  for (size_t i = 0; i < n; i += 4) {
    size_t r = part(n, i);
    v128_t d;
    v128_t l = wce_elem_f32x4(load_part(x + i, r), load_part(z + i, r), load_part(q + i, r), &d);
    if (losses) store_part(losses + i, l, r);
    if (g) store_part(g + i, d, r);
  }
}

#endif /* XENT_HAVE_SIMD128 */

/* ---- Public entry point ------------------------------------------------------- */

xent_status xent_weighted_cross_entropy_with_logits_per_class(const float *labels,
                                                              const float *logits, size_t batch,
                                                              size_t classes,
                                                              const float *pos_weight,
                                                              float *losses, float *grad,
                                                              xent_error *err) {
  xent_status s = xent__check_nn(labels, logits, batch, classes, err);
  if (s) return s;
  if (!pos_weight) return xent__fail(err, XENT_ERR_NULL, "pos_weight", 0, 0.0);
  for (size_t j = 0; j < classes; j++)
    if (!(pos_weight[j] >= -FLT_MAX && pos_weight[j] <= FLT_MAX))
      return xent__fail(err, XENT_ERR_OPTION, "pos_weight", j, (double)pos_weight[j]);
  for (size_t b = 0; b < batch; b++) {
    size_t at = b * classes;
    XENT_KERNEL(wce_row)(labels + at, logits + at, pos_weight, classes,
                         losses ? losses + at : NULL, grad ? grad + at : NULL);
  }
  return XENT_OK;
}
