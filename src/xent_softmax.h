/* xent_softmax.h: the dense-label logits row kernel of softmax.c, called once
 * per row by xent_categorical_crossentropy (from_logits) and
 * xent_softmax_cross_entropy_with_logits in categorical.c through
 * XENT_KERNEL(xent__softmax_row); docs/semantics.md 2.4, 3.3 and 4.4. Not
 * installed; the public contract is xent.h. */
#ifndef XENT_SOFTMAX_H
#define XENT_SOFTMAX_H

#include <stddef.h>

#include "xent_simd.h"

/* One row of n logits z with labels y smoothed as y' = y a + b: returns
 * sum_j y'_j (logsumexp(z) - z_j) given the row maximum m, and, when g is
 * not NULL, writes the gradient scale (softmax(z) sum y' - y') to g[0..n).
 * Also stores the maximum of zn[0..n) (the next row, or z itself for the
 * last one) in *mn. The two variants agree bit for bit. */
double xent__softmax_row_scalar(const float *y, const float *z, size_t n, float m,
                                const float *zn, float *mn, double a, double b, double scale,
                                float *g);
#if XENT_HAVE_SIMD128
double xent__softmax_row_f32x4(const float *y, const float *z, size_t n, float m,
                               const float *zn, float *mn, double a, double b, double scale,
                               float *g);
#endif

#endif /* XENT_SOFTMAX_H */
