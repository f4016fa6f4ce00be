/* xent_internal.h: what the family files (binary.c, categorical.c, softmax.c,
 * sparse.c, focal_binary.c, focal_categorical.c) share: argument
 * validation, the reduction plan of docs/semantics.md section 2.8 (weights, ignore
 * mask, divide_no_nan denominators), the Keras clip bounds of section 1, and
 * the kernel-variant selection. Not installed; the public contract is xent.h. */
#ifndef XENT_INTERNAL_H
#define XENT_INTERNAL_H

#include <float.h>
#include <stddef.h>
#include <stdint.h>

#include "xent.h"
#include "xent_simd.h"

/* Keras' fuzz factor and its complement, as float32 (docs/semantics.md section 1):
 * eps = 1e-7f (0x33D6BF95), 1 - eps rounds to 1 - 2^-23 (0x3F7FFFFE). */
#define XENT_EPS 1.00000001168609742e-07f
#define XENT_ONE_MINUS_EPS 0.99999988079071044921875f

#if defined(__GNUC__) || defined(__clang__)
#define XENT_MAYBE_UNUSED __attribute__((unused))
/* A rarely taken path (overflow recovery): kept out of line, off the hot loop. */
#define XENT_COLD __attribute__((cold, noinline))
#else
#define XENT_MAYBE_UNUSED
#define XENT_COLD
#endif

/* Each kernel exists as name_scalar and name_f32x4; a build runs one of them. */
#if XENT_HAVE_SIMD128
#define XENT_KERNEL(name) name##_f32x4
#else
#define XENT_KERNEL(name) name##_scalar
#endif

/* What a Keras-style call resolved to before the pass over the data. */
typedef struct xent_plan {
  size_t batch, classes;
  xent_options opt;      /* the caller's options, or the defaults */
  double denominator;    /* the reduction divides the weighted sum by this; 0 -> loss 0 */
} xent_plan;

/* Which option fields a loss reads (the plan checks those): */
#define XENT_USES_FOCAL 1           /* alpha, gamma */
#define XENT_USES_ALPHA_PER_CLASS 2 /* alpha_per_class */
#define XENT_USES_Q 4
#define XENT_USES_EPSILON 8
#define XENT_USES_TEMPERATURE 16

/* Validate a dense-label Keras call (pointers, shape, options) and compute the
 * reduction's denominator. `uses` (XENT_USES_*) names the loss-specific
 * options to check; alpha_per_class is refused by a loss that does not use
 * it. Writes nothing but *plan and *err. */
xent_status xent__plan_dense(xent_plan *plan, const float *y_true, const float *y_pred,
                             size_t batch, size_t classes, const xent_options *opt,
                             int uses, xent_error *err);

/* The same for integer labels; also checks every label (XENT_ERR_LABEL).
 * xent__plan_sparse reads no loss-specific option (uses = 0). */
xent_status xent__plan_sparse_uses(xent_plan *plan, const int32_t *y_true, const float *y_pred,
                                   size_t batch, size_t classes, const xent_options *opt,
                                   int uses, xent_error *err);
xent_status xent__plan_sparse(xent_plan *plan, const int32_t *y_true, const float *y_pred,
                              size_t batch, size_t classes, const xent_options *opt,
                              xent_error *err);

/* Validate a tf.nn call: pointers and shape only. */
xent_status xent__check_nn(const void *labels, const float *logits, size_t batch,
                           size_t classes, xent_error *err);

/* The weight of example b: sample_weight x class_weight of its class x the
 * mask (0 for a masked example) x (sparse) the ignore mask. y_row is the example's y_true row (dense). */
float xent__dense_weight(const xent_plan *plan, size_t b, const float *y_row);
float xent__sparse_weight(const xent_plan *plan, size_t b, int32_t label);


/* Store the reduced loss from the weighted sum (0 with XENT_NONE). */
void xent__finish(const xent_plan *plan, double weighted_sum, float *loss);

/* Narrow a double loss to float, saturating at FLT_MAX (finite in, finite out);
 * NaN passes through. */
static inline float xent__narrow(double v) {
  if (v > (double)FLT_MAX) return FLT_MAX;
  if (v < -(double)FLT_MAX) return -FLT_MAX;
  return (float)v;
}

/* Gradient scale of example b whose weight is w: w / denominator (0 when the
 * denominator is 0, as divide_no_nan makes the loss constant 0 there). A
 * negative denominator (mixed-sign weights) divides as it does in the loss; a
 * scale beyond float range saturates. */
static inline float xent__grad_scale(const xent_plan *plan, float w) {
  return plan->denominator != 0.0 ? xent__narrow((double)w / plan->denominator) : 0.0f;
}

static inline xent_status xent__fail(xent_error *err, xent_status s, const char *arg,
                                     size_t index, double value) {
  if (err) {
    err->arg = arg;
    err->index = index;
    err->value = value;
  }
  return s;
}

#endif /* XENT_INTERNAL_H */
