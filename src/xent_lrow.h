/* xent_lrow.h: the softmax statistics of one row of logits, max m and
 * S = sum_j exp(z_j - m) (a double sum narrowed to float), at width 1 and
 * width 4 with the same steps, so softmax(z)_j = exp(z_j - m) / S has the same
 * bits in both builds. Included by poly.c (poly-1) and generalized.c
 * (generalized cross-entropy from logits); docs/semantics.md "New losses".
 * Not installed; the public contract is xent.h. */
#ifndef XENT_LROW_H
#define XENT_LROW_H

#include <math.h>

#include "xent_focal.h"

static inline void lrow_stats_scalar(const float *z, size_t n, float *m, float *S) {
  /* Max and sums in the f32x4 kernel's lane order (element i in lane i % 4,
   * sum4_scalar), so that both widths agree bit for bit. */
  float lanes[4] = {-INFINITY, -INFINITY, -INFINITY, -INFINITY}, mx = -INFINITY;
  for (size_t i = 0; i < n; i++) lanes[i % 4] = lanes[i % 4] < z[i] ? z[i] : lanes[i % 4];
  for (int j = 0; j < 4; j++) mx = mx < lanes[j] ? lanes[j] : mx;
  double acc[4] = {0.0, 0.0, 0.0, 0.0};
  for (size_t i = 0; i < n; i++) acc[i % 4] += (double)xent_exp_scalar(z[i] - mx);
  *m = mx;
  *S = (float)sum4_scalar(acc);
}

#if XENT_HAVE_SIMD128

static inline void lrow_stats_f32x4(const float *z, size_t n, float *m, float *S) {
  v128_t mv = F4(-INFINITY);
  for (size_t i = 0; i < n; i += 4) {
    size_t r = part(n, i);
    mv = wasm_f32x4_pmax(mv, wasm_v128_bitselect(load_part(z + i, r), F4(-INFINITY), lanes_below(r)));
  }
  float lanes[4], mx = -INFINITY;
  wasm_v128_store(lanes, mv);
  for (int j = 0; j < 4; j++) mx = mx < lanes[j] ? lanes[j] : mx;
  const v128_t vm = F4(mx);
  v128_t lo = wasm_f64x2_splat(0.0), hi = lo;
  for (size_t i = 0; i < n; i += 4) {
    size_t r = part(n, i);
    v128_t e = xent_exp_f32x4(wasm_f32x4_sub(load_part(z + i, r), vm));
    acc_f64(&lo, &hi, wasm_v128_and(e, lanes_below(r)));
  }
  *m = mx;
  *S = (float)sum_f64(lo, hi);
}

#endif /* XENT_HAVE_SIMD128 */

#endif /* XENT_LROW_H */
