/* reduce.c: argument validation and the reduction plan shared by every Keras
 * loss (docs/semantics.md section 2.8 and "Keras behaviours that surprise"):
 * per-example weights from sample_weight, class_weight, the Keras mask and the
 * ignore_class mask, and the divide_no_nan denominators of "sum",
 * "sum_over_batch_size" and "mean_with_sample_weight" (whose divisor is the
 * sum of the weights as the caller gave them, before broadcasting). Called by the
 * family files before their single pass over the data. */
#include <math.h>

#include "xent_internal.h"

static xent_status check_shape(size_t batch, size_t classes, xent_error *err) {
  if (classes == 0) return xent__fail(err, XENT_ERR_SHAPE, "classes", 0, 0.0);
  /* Every buffer must be addressable in bytes, with room for a rounded-up row. */
  if (batch > (SIZE_MAX / sizeof(float) - 16) / classes)
    return xent__fail(err, XENT_ERR_SHAPE, "batch", 0, (double)batch);
  return XENT_OK;
}

static xent_status check_options(const xent_options *o, size_t classes, int uses,
                                 xent_error *err) {
  if (o->reduction < XENT_SUM_OVER_BATCH_SIZE || o->reduction > XENT_MEAN_WITH_SAMPLE_WEIGHT)
    return xent__fail(err, XENT_ERR_OPTION, "reduction", 0, (double)o->reduction);
  if (!(o->label_smoothing >= 0.0f && o->label_smoothing <= 1.0f))
    return xent__fail(err, XENT_ERR_OPTION, "label_smoothing", 0, (double)o->label_smoothing);
  if (o->sample_weight_repeat < 0)
    return xent__fail(err, XENT_ERR_OPTION, "sample_weight_repeat", 0,
                      (double)o->sample_weight_repeat);
  if (uses & XENT_USES_FOCAL) {
    if (!(o->gamma >= 0.0f && o->gamma <= FLT_MAX))
      return xent__fail(err, XENT_ERR_OPTION, "gamma", 0, (double)o->gamma);
    if (!(o->alpha >= 0.0f && o->alpha <= 1.0f))
      return xent__fail(err, XENT_ERR_OPTION, "alpha", 0, (double)o->alpha);
  }
  if (o->alpha_per_class) {
    if (!(uses & XENT_USES_ALPHA_PER_CLASS))
      return xent__fail(err, XENT_ERR_OPTION, "alpha_per_class", 0, 0.0);
    for (size_t j = 0; j < classes; j++)
      if (!(o->alpha_per_class[j] >= 0.0f && o->alpha_per_class[j] <= 1.0f))
        return xent__fail(err, XENT_ERR_OPTION, "alpha", j, (double)o->alpha_per_class[j]);
  }
  if ((uses & XENT_USES_Q) && !(o->q > 0.0f && o->q <= 1.0f))
    return xent__fail(err, XENT_ERR_OPTION, "q", 0, (double)o->q);
  if ((uses & XENT_USES_EPSILON) && !(o->epsilon >= -FLT_MAX && o->epsilon <= FLT_MAX))
    return xent__fail(err, XENT_ERR_OPTION, "epsilon", 0, (double)o->epsilon);
  if ((uses & XENT_USES_TEMPERATURE) && !(o->temperature > 0.0f && o->temperature <= FLT_MAX))
    return xent__fail(err, XENT_ERR_OPTION, "temperature", 0, (double)o->temperature);
  return XENT_OK;
}

/* The class weight of a dense label row, as Keras' trainer turns class_weight
 * into sample weights: argmax of the row (the first of equal maxima); one
 * column: the value rounded half to even (numpy/tf round: 0.5 -> 0, 1.5 -> 2),
 * and a class other than 0 and 1 (or NaN) weighs 1. */
float xent__dense_class_weight(const float *cw, const float *y_row, size_t classes) {
  if (classes == 1) {
    float y = y_row[0];
    if (!(y >= -0.5f && y < 1.5f)) return 1.0f; /* rounds to neither 0 nor 1 */
    return cw[y > 0.5f ? 1 : 0];                /* -0.5 and 0.5 -> 0 (even) */
  }
  size_t best = 0;
  for (size_t j = 1; j < classes; j++)
    if (y_row[j] > y_row[best]) best = j;
  return cw[best];
}

static int weighted(const xent_options *o) { return o->sample_weight || o->class_weight; }

/* The "mean_with_sample_weight" divisor from the sum of the per-example
 * weights: Keras sums the weights as given, before they broadcast over the
 * losses, so a weight that stands for `repeat` examples counts once. With a
 * mask (or ignore_class) Keras first multiplies the weights by the mask, which
 * broadcasts them: then every example counts. */
static double weight_divisor(const xent_plan *plan, double total, int masked) {
  int32_t repeat = plan->opt.sample_weight_repeat;
  if (masked || !plan->opt.sample_weight || repeat <= 1) return total;
  return total / (double)repeat;
}

/* Inlined into both plans: one call less on every call of a Keras loss (a
 * 1 x 10 sparse call, benchmark W5, measured 92 -> 88 ns for the bare wasm call). */
#if defined(__GNUC__) || defined(__clang__)
#define PLAN_INLINE inline __attribute__((always_inline))
#else
#define PLAN_INLINE inline
#endif

static PLAN_INLINE xent_status plan_common(xent_plan *plan, const void *y_true,
                                           const float *y_pred, size_t batch, size_t classes,
                                           const xent_options *opt, int uses, xent_error *err) {
  static const xent_options defaults = XENT_OPTIONS_INIT;
  if (!plan) return xent__fail(err, XENT_ERR_NULL, "plan", 0, 0.0);
  xent_status s = check_shape(batch, classes, err);
  if (s) return s;
  if (batch > 0 && !y_true) return xent__fail(err, XENT_ERR_NULL, "y_true", 0, 0.0);
  if (batch > 0 && !y_pred) return xent__fail(err, XENT_ERR_NULL, "y_pred", 0, 0.0);
  plan->batch = batch;
  plan->classes = classes;
  if (opt) {
    plan->opt = *opt;
  } else {
    plan->opt = defaults;
    if (!(uses & XENT_USES_FOCAL)) plan->opt.alpha = plan->opt.gamma = 0.0f;
  }
  s = check_options(&plan->opt, classes, uses, err);
  if (s) return s;
  plan->denominator = 1.0;
  return XENT_OK;
}

xent_status xent__plan_dense(xent_plan *plan, const float *y_true, const float *y_pred,
                             size_t batch, size_t classes, const xent_options *opt,
                             int uses, xent_error *err) {
  xent_status s = plan_common(plan, y_true, y_pred, batch, classes, opt, uses, err);
  if (s) return s;
  if (plan->opt.has_ignore_class)
    return xent__fail(err, XENT_ERR_OPTION, "ignore_class", 0, (double)plan->opt.ignore_class);
  size_t valid = batch;
  if (plan->opt.mask)
    for (size_t b = 0; b < batch; b++) valid -= xent__masked_out(plan, b);
  switch (plan->opt.reduction) {
    case XENT_SUM_OVER_BATCH_SIZE:
      plan->denominator = (double)valid;
      break;
    case XENT_MEAN_WITH_SAMPLE_WEIGHT:
      if (!weighted(&plan->opt)) {
        plan->denominator = (double)valid;
      } else {
        double total = 0.0;
        for (size_t b = 0; b < batch; b++)
          total += xent__dense_weight(plan, b, y_true + b * classes);
        plan->denominator = weight_divisor(plan, total, plan->opt.mask != NULL);
      }
      break;
    default:
      break;
  }
  return XENT_OK;
}

/* The body of both sparse plans, inlined into each (one call less per call
 * of a sparse loss). */
static inline xent_status plan_sparse(xent_plan *plan, const int32_t *y_true, const float *y_pred,
                                      size_t batch, size_t classes, const xent_options *opt,
                                      int uses, xent_error *err) {
  xent_status s = plan_common(plan, y_true, y_pred, batch, classes, opt, uses, err);
  if (s) return s;
  if (plan->opt.label_smoothing != 0.0f)
    return xent__fail(err, XENT_ERR_OPTION, "label_smoothing", 0,
                      (double)plan->opt.label_smoothing);
  size_t valid = 0;
  for (size_t b = 0; b < batch; b++) {
    int32_t y = y_true[b];
    if (plan->opt.has_ignore_class && y == plan->opt.ignore_class) continue;
    if (y < 0 || (size_t)y >= classes)
      return xent__fail(err, XENT_ERR_LABEL, "y_true", b, (double)y);
    valid += !xent__masked_out(plan, b);
  }
  switch (plan->opt.reduction) {
    case XENT_SUM_OVER_BATCH_SIZE:
      plan->denominator = (double)valid;
      break;
    case XENT_MEAN_WITH_SAMPLE_WEIGHT:
      if (!weighted(&plan->opt)) {
        plan->denominator = (double)valid;
      } else {
        double total = 0.0;
        for (size_t b = 0; b < batch; b++) total += xent__sparse_weight(plan, b, y_true[b]);
        plan->denominator =
            weight_divisor(plan, total, plan->opt.mask != NULL || plan->opt.has_ignore_class);
      }
      break;
    default:
      break;
  }
  return XENT_OK;
}

xent_status xent__plan_sparse(xent_plan *plan, const int32_t *y_true, const float *y_pred,
                              size_t batch, size_t classes, const xent_options *opt,
                              xent_error *err) {
  return plan_sparse(plan, y_true, y_pred, batch, classes, opt, 0, err);
}

xent_status xent__plan_sparse_uses(xent_plan *plan, const int32_t *y_true, const float *y_pred,
                                   size_t batch, size_t classes, const xent_options *opt,
                                   int uses, xent_error *err) {
  return plan_sparse(plan, y_true, y_pred, batch, classes, opt, uses, err);
}

xent_status xent__check_nn(const void *labels, const float *logits, size_t batch,
                           size_t classes, xent_error *err) {
  xent_status s = check_shape(batch, classes, err);
  if (s) return s;
  if (batch > 0 && !labels) return xent__fail(err, XENT_ERR_NULL, "labels", 0, 0.0);
  if (batch > 0 && !logits) return xent__fail(err, XENT_ERR_NULL, "logits", 0, 0.0);
  return XENT_OK;
}

void xent__finish(const xent_plan *plan, double weighted_sum, float *loss) {
  if (!loss) return;
  /* divide_no_nan: a zero denominator (empty or all-ignored batch) gives 0. */
  if (plan->opt.reduction == XENT_NONE || plan->denominator == 0.0) {
    *loss = 0.0f;
    return;
  }
  *loss = xent__narrow(weighted_sum / plan->denominator);
}
