/* xent.h: every Keras 3 / tf.nn cross-entropy loss and its gradient, in one
 * fused pass, for float32 row-major [batch, classes] inputs.
 *
 * This header is the C manual. Semantics are those of docs/semantics.md
 * (Keras 3 on its TensorFlow backend, and tf.nn); the few places where xent
 * departs from them to avoid NaN are listed at the top of that file and repeated
 * here where they apply.
 *
 * Conventions shared by every entry point
 * ---------------------------------------
 * - Inputs are float32, row-major, shape [batch, classes]. Sparse labels are
 *   int32, shape [batch]. `batch` may be 0 (an empty batch reduces to 0);
 *   `classes` must be at least 1.
 * - Nothing is allocated. The caller owns every buffer. Output buffers must
 *   not overlap the inputs or each other. They may be NULL when that output is
 *   not wanted:
 *     losses  [batch] per-example losses, already multiplied by the example's
 *             weight (sample_weight x class_weight x ignore mask): exactly what
 *             Keras returns with reduction="none". The elementwise tf.nn sigmoid
 *             ops write [batch * classes] instead.
 *     grad    shaped like y_pred: d(reduced loss)/d(y_pred), where y_pred is the
 *             logits when from_logits and the probabilities otherwise. With
 *             XENT_NONE it is the gradient of the sum of `losses`.
 *     loss    the reduced loss (0 with XENT_NONE).
 *   Loss and gradient are computed in the same pass over each row.
 * - Every entry point validates all of its arguments before it writes any
 *   output, and returns an xent_status. On error, `err` (may be NULL) names the
 *   offending argument and, for data errors, the flat index and value.
 *   Nothing aborts, whatever the input.
 * - NaN or Inf inside y_true / y_pred is not an error: it propagates to the loss
 *   of the example that holds it, as in TensorFlow; so does a NaN weight.
 *   Finite inputs, weights and pos_weight of any size give finite outputs:
 *   losses, gradients and example weights (sample_weight x class_weight,
 *   multiplied in double) beyond the float range saturate to +-FLT_MAX, exact
 *   no longer once an intermediate saturates (docs/semantics.md section 9.2).
 * - The build with -msimd128 runs f32x4 kernels; every other build runs the
 *   scalar kernels of the same source. Per-element results of the two agree
 *   bit for bit; reduced sums may differ in the last bits.
 */
#ifndef XENT_H
#define XENT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Status codes --------------------------------------------------------
 * One list yields the enum and xent_status_string(). */
#define XENT_STATUS_LIST(X)                                                        \
  X(XENT_OK, "ok")                                                                 \
  X(XENT_ERR_NULL, "a required pointer argument is NULL")                          \
  X(XENT_ERR_SHAPE, "batch or classes is out of range (classes must be >= 1, batch * classes must fit in memory)") \
  X(XENT_ERR_LABEL, "a sparse label is outside [0, classes) and is not ignore_class") \
  X(XENT_ERR_OPTION, "an option value is outside its domain")

typedef enum xent_status {
#define XENT_ENUM_(name, text) name,
  XENT_STATUS_LIST(XENT_ENUM_)
#undef XENT_ENUM_
  XENT_STATUS_COUNT
} xent_status;

/* A short English sentence for a status; never NULL. */
const char *xent_status_string(xent_status status);

/* Details of a failed call, filled on error. `arg` is the argument name as the
 * Keras API spells it ("y_true", "label_smoothing", ...); `index` the flat index
 * of the offending element (0 when the argument is not an array); `value` the
 * offending value. */
typedef struct xent_error {
  const char *arg;
  size_t index;
  double value;
} xent_error;

/* ---- Options -------------------------------------------------------------- */

typedef enum xent_reduction {
  XENT_SUM_OVER_BATCH_SIZE = 0, /* Keras default: sum / number of (non-ignored) examples */
  XENT_SUM = 1,
  XENT_NONE = 2,
  XENT_MEAN_WITH_SAMPLE_WEIGHT = 3 /* sum / sum of the example weights */
} xent_reduction;

/* A zeroed struct (or a NULL pointer) means Keras' defaults for every loss
 * except the focal ones, whose defaults are alpha = 0.25 and gamma = 2, and
 * the parameters of the losses that have one (q, epsilon, temperature): start
 * from XENT_OPTIONS_INIT to get those too. The first ten fields are laid out
 * scalars first so that their offsets are the same on every target; the later
 * ones follow (the JS API writes this struct at its wasm32 offsets, asserted in
 * status.c). */
typedef struct xent_options {
  int32_t from_logits;           /* 0: y_pred holds probabilities; 1: logits */
  float label_smoothing;         /* in [0, 1]; binary y*(1-s)+s/2, categorical y*(1-s)+s/C */
  int32_t reduction;             /* an xent_reduction */
  int32_t has_ignore_class;      /* sparse only: nonzero to use ignore_class */
  int32_t ignore_class;          /* sparse only: rows with this label count 0 and leave the mean */
  float alpha;                   /* focal: in [0, 1] */
  float gamma;                   /* focal: finite, >= 0 */
  int32_t apply_class_balancing; /* binary focal: weight y*alpha + (1-y)*(1-alpha) */
  const float *sample_weight;    /* [batch] per-example weights, or NULL */
  const float *class_weight;     /* [max(classes, 2)] weights by class (model.fit's
                                    class_weight), or NULL; an example's class is its
                                    sparse label, else argmax of its y_true row, else
                                    (one column) y_true rounded half to even (0.5 -> 0);
                                    a one-column class other than 0 or 1 weighs 1 */
  const uint8_t *mask;           /* [batch] Keras mask, or NULL: an example whose byte is
                                    0 has loss 0 and gradient 0 and leaves the mean (both
                                    denominators), as Keras' _keras_mask does */
  const float *alpha_per_class;  /* categorical focal: [classes] alpha by class (Keras'
                                    list alpha), or NULL to use alpha */
  int32_t sample_weight_repeat;  /* how many examples each sample weight stands for when
                                    the caller broadcast fewer weights over the batch (a
                                    scalar: batch; [batch, 1] over [batch, time]: time);
                                    0 or 1: one. Only the "mean_with_sample_weight"
                                    divisor uses it: Keras divides by the sum of the
                                    weights as given, sum(w) / repeat (with no mask) */
  float q;                       /* generalized cross-entropy: in (0, 1] */
  float epsilon;                 /* poly-1: the weight of (1 - p_t), finite */
  float temperature;             /* distillation: finite, > 0 */
} xent_options;

#define XENT_OPTIONS_INIT \
  {0, 0.0f, XENT_SUM_OVER_BATCH_SIZE, 0, 0, 0.25f, 2.0f, 0, NULL, NULL, NULL, NULL, 0, 0.5f, 2.0f, 3.0f}

/* ---- Keras losses ----------------------------------------------------------
 * Signature shared by the dense-label losses:
 *   y_true  [batch, classes] labels (0/1, one-hot, multi-hot or soft)
 *   y_pred  [batch, classes] probabilities, or logits when opt->from_logits
 */

/* binary_crossentropy: element loss on the probability path
 *   -[y log(clip(p)) + (1-y) log(1-clip(p))],  clip to [1e-7f, 1-2^-23],
 * on the logits path max(x,0) - x y + log1p(exp(-|x|)); then the mean over the
 * classes axis, so [batch, 1] is binary and [batch, C] multi-label. The
 * gradient through the clip is zero strictly outside the clip interval. */
xent_status xent_binary_crossentropy(const float *y_true, const float *y_pred,
                                     size_t batch, size_t classes,
                                     const xent_options *opt, float *losses,
                                     float *grad, float *loss, xent_error *err);

/* categorical_crossentropy: logits path sum_j y_j (logsumexp(z) - z_j);
 * probability path: q = p / sum(p), then clip, then -sum_j y_j log q_j. A
 * probability row that sums to 0 (Keras: NaN) clips every class to 1e-7: the
 * loss is -log(1e-7) sum(y) and the gradient is 0. Gradients are the exact
 * derivative of the loss: for soft labels not summing to 1 that is
 * (sum y) softmax - y, where TF returns softmax - y. */
xent_status xent_categorical_crossentropy(const float *y_true, const float *y_pred,
                                          size_t batch, size_t classes,
                                          const xent_options *opt, float *losses,
                                          float *grad, float *loss, xent_error *err);

/* sparse_categorical_crossentropy: integer labels [batch]; logits path
 * logsumexp(z) - z_y; probability path (Keras TF backend) clip, log, then
 * logsumexp over the clipped values. A label outside [0, classes) that is not
 * the ignore_class is XENT_ERR_LABEL with err->index the example and err->value
 * the label (like TF on CPU). Ignored rows have loss 0, gradient 0, and leave
 * the denominator of the mean. label_smoothing must be 0 (Keras has none here). */
xent_status xent_sparse_categorical_crossentropy(const int32_t *y_true, const float *y_pred,
                                                 size_t batch, size_t classes,
                                                 const xent_options *opt, float *losses,
                                                 float *grad, float *loss, xent_error *err);

/* binary_focal_crossentropy: (1 - p_t)^gamma * bce, p_t = y p + (1-y)(1-p) with
 * the unclipped p (p = sigmoid(x) from logits, where bce is the exact logits
 * formula, as on Keras' TF backend); times y alpha + (1-y)(1-alpha) when
 * apply_class_balancing; then the mean over classes. Where p_t = 1 exactly
 * and 0 < gamma < 1 the focal factor's slope is infinite (Keras: inf * 0);
 * xent takes that gradient term as 0. */
xent_status xent_binary_focal_crossentropy(const float *y_true, const float *y_pred,
                                           size_t batch, size_t classes,
                                           const xent_options *opt, float *losses,
                                           float *grad, float *loss, xent_error *err);

/* categorical_focal_crossentropy: sum_j alpha_j (1 - q_j)^gamma (-y_j log q_j)
 * with alpha_j = alpha_per_class[j] when given (each in [0, 1]), else alpha;
 * q = clip(p / sum p), p = softmax(z) from logits (Keras always
 * normalises and clips here, even from logits). A probability row summing to
 * 0 clips every class to 1e-7, as in categorical_crossentropy: finite loss,
 * gradient 0. */
xent_status xent_categorical_focal_crossentropy(const float *y_true, const float *y_pred,
                                                size_t batch, size_t classes,
                                                const xent_options *opt, float *losses,
                                                float *grad, float *loss, xent_error *err);

/* kl_divergence (keras.losses.KLDivergence): y' = clip(y, 1e-7, 1),
 * p' = clip(p, 1e-7, 1), loss sum_j y'_j log(y'_j / p'_j); gradient -y'_j / p'_j
 * on 1e-7 <= p_j <= 1, else 0. from_logits and label_smoothing are not read. */
xent_status xent_kl_divergence(const float *y_true, const float *y_pred, size_t batch,
                               size_t classes, const xent_options *opt, float *losses,
                               float *grad, float *loss, xent_error *err);

/* Logits distillation (keras.distillation.LogitsDistillation with its default
 * KL loss): T = opt->temperature (> 0, XENT_OPTIONS_INIT: 3), t = softmax(teacher / T),
 * s = softmax(student / T), loss T^2 kl_divergence(t, s) (clips included),
 * then the reduction. `grad` is with respect to the student logits:
 * T (s_k A - m_k clip(t_k)), m_k = [s_k >= 1e-7], A = sum_k m_k clip(t_k).
 * Keras' Distiller mixes it with the student's hard-label loss as
 * w hard + (1 - w) distill (student_loss_weight w, default 0.5); add the two
 * results (and gradients) with those weights. */
xent_status xent_logits_distillation(const float *teacher_logits, const float *student_logits,
                                     size_t batch, size_t classes, const xent_options *opt,
                                     float *losses, float *grad, float *loss, xent_error *err);

/* categorical_generalized_cross_entropy (keras.losses.CategoricalGeneralizedCrossEntropy,
 * Keras 3.10+): integer labels [batch], p = y_pred[label] (probabilities, not
 * normalised or clipped, as Keras), loss (1 - p^q) / q with q = opt->q in
 * (0, 1] (XENT_OPTIONS_INIT: 0.5); gradient -p^(q-1) at the label, 0
 * elsewhere. With from_logits, p = softmax(z)[label] and the gradient is
 * p^q (softmax - onehot). Departures from Keras (NaN or Inf there): a
 * probability below 0 counts as 0 with gradient 0; at p = 0 the gradient
 * saturates to -FLT_MAX. */
xent_status xent_categorical_generalized_cross_entropy(const int32_t *y_true, const float *y_pred,
                                                       size_t batch, size_t classes,
                                                       const xent_options *opt, float *losses,
                                                       float *grad, float *loss, xent_error *err);

/* poly_loss_cross_entropy (Optax, poly-1): logits z (y_pred is always logits),
 * labels [batch, classes] (one-hot or soft), p = softmax(z),
 * loss sum_j y_j (logsumexp(z) - z_j) + epsilon sum_j y_j (1 - p_j),
 * epsilon = opt->epsilon (finite; XENT_OPTIONS_INIT: 2, Optax's default).
 * Gradient (sum y) p - y + epsilon p (sum_j y_j p_j - y). */
xent_status xent_poly_loss_cross_entropy(const float *y_true, const float *y_pred, size_t batch,
                                         size_t classes, const xent_options *opt, float *losses,
                                         float *grad, float *loss, xent_error *err);

/* ---- tf.nn ops: unreduced, no options ---------------------------------------
 * `grad` is the gradient of the sum of `losses` with respect to the logits. */

/* losses [batch * classes]: max(x,0) - x z + log1p(exp(-|x|)). */
xent_status xent_sigmoid_cross_entropy_with_logits(const float *labels, const float *logits,
                                                   size_t batch, size_t classes,
                                                   float *losses, float *grad,
                                                   xent_error *err);

/* losses [batch * classes]: (1-z) x + (1 + (q-1) z)(log1p(exp(-|x|)) + max(-x,0)),
 * q = pos_weight (finite). Gradient (1 + (q-1) z) sigmoid(x) - q z everywhere,
 * including x = 0 (TF's autodiff returns 1 - z there). */
xent_status xent_weighted_cross_entropy_with_logits(const float *labels, const float *logits,
                                                    size_t batch, size_t classes,
                                                    float pos_weight, float *losses,
                                                    float *grad, xent_error *err);

/* The same with a pos_weight per class: pos_weight [classes], each finite,
 * broadcast along the last axis (as TF broadcasts a vector, and PyTorch's
 * BCEWithLogitsLoss(pos_weight=...)). */
xent_status xent_weighted_cross_entropy_with_logits_per_class(const float *labels,
                                                              const float *logits, size_t batch,
                                                              size_t classes,
                                                              const float *pos_weight,
                                                              float *losses, float *grad,
                                                              xent_error *err);

/* losses [batch]: sum_j y_j (logsumexp(z) - z_j), soft labels. */
xent_status xent_softmax_cross_entropy_with_logits(const float *labels, const float *logits,
                                                   size_t batch, size_t classes,
                                                   float *losses, float *grad,
                                                   xent_error *err);

/* losses [batch]: logsumexp(z) - z_y; labels int32 in [0, classes). */
xent_status xent_sparse_softmax_cross_entropy_with_logits(const int32_t *labels,
                                                          const float *logits,
                                                          size_t batch, size_t classes,
                                                          float *losses, float *grad,
                                                          xent_error *err);

/* ---- Inspecting data ----------------------------------------------------------
 * One pass over labels [batch, label_cols] and predictions [batch, classes]
 * that counts what they look like, so a caller can tell integer labels from
 * one-hot, multi-hot, soft and 0/1 labels, and logits from sigmoid and softmax
 * outputs (the recommender's `inspect`). Counts are of rows (examples). All
 * fields are 4 bytes; the order is part of the ABI (the JS API reads it). */
typedef struct xent_inspection {
  uint32_t rows;               /* batch */
  uint32_t label_nonfinite;    /* label values that are NaN or +-Inf */
  uint32_t label_integer_rows; /* rows whose values are all integers */
  uint32_t label_binary_rows;  /* rows whose values are all 0 or 1 */
  uint32_t label_onehot_rows;  /* rows with exactly one 1 and the rest 0 */
  uint32_t label_unit_rows;    /* rows whose values all lie in [0, 1] */
  uint32_t label_sum1_rows;    /* rows of [0, 1] values summing to 1 within 1e-3 */
  float label_min, label_max;  /* over finite label values (0, 0 when none) */
  uint32_t pred_nonfinite;     /* prediction values that are NaN or +-Inf */
  uint32_t pred_unit_rows;     /* rows whose values all lie in [0, 1] */
  uint32_t pred_sum1_rows;     /* rows of [0, 1] values summing to 1 within 1e-3 */
  float pred_min, pred_max;    /* over finite prediction values (0, 0 when none) */
} xent_inspection;

xent_status xent_inspect(const float *y_true, size_t label_cols, const float *y_pred,
                         size_t batch, size_t classes, xent_inspection *out,
                         xent_error *err);

/* ---- Candidate sampling and sampled losses (huge vocabularies) ---------------
 * tf.random.log_uniform_candidate_sampler, tf.nn.sampled_softmax_loss and
 * tf.nn.nce_loss (docs/semantics.md section 3.5). For training only: each is
 * an estimate of a loss over all num_classes classes computed from the true
 * classes and num_sampled sampled ones; evaluate with the full softmax.
 * Class ids are int32 in [0, num_classes). Nothing is allocated: each call
 * takes a caller-owned workspace of at least the bytes its _workspace_size
 * function returns, and keeps no state between calls (same arguments, same
 * results). */

/* log_uniform_candidate_sampler: draws num_sampled classes from
 * P(k) = log((k + 2) / (k + 1)) / log(range_max + 1), k in [0, range_max),
 * TensorFlow's Zipfian sampler: k = floor(exp(U log(range_max + 1))) - 1 with
 * U uniform in [0, 1), then k mod range_max. With `unique` draws are repeated
 * until num_sampled distinct classes are found (num_sampled <= range_max, else
 * XENT_ERR_OPTION on "num_sampled"); *num_tries (may be NULL) receives the
 * number of draws. Expected counts, float32, TensorFlow's formula: p
 * num_sampled when num_tries == num_sampled (always without `unique`), else
 * 1 - (1 - p)^num_tries. The generator is xent's own, not TensorFlow's
 * Philox: SplitMix64 started at `seed` (seed_hi * 2^32 + seed_lo), U = the top
 * 53 bits of each output times 2^-53, and exp and log computed from + - * /
 * only, so a seed gives the same classes in every build (native, wasm, SIMD or
 * not). true_classes [batch, num_true] must lie in [0, range_max)
 * (XENT_ERR_LABEL, err->index the flat index); the expected counts of the
 * true classes go to true_expected_count [batch, num_true] (may be NULL). */
size_t xent_log_uniform_candidate_sampler_workspace_size(size_t num_sampled);
xent_status xent_log_uniform_candidate_sampler(const int32_t *true_classes, size_t batch,
                                               size_t num_true, size_t num_sampled,
                                               int32_t unique, size_t range_max,
                                               uint32_t seed_lo, uint32_t seed_hi,
                                               int32_t *sampled_candidates,
                                               float *true_expected_count,
                                               float *sampled_expected_count,
                                               uint32_t *num_tries, void *work,
                                               size_t work_bytes, xent_error *err);

/* What a sampled loss is computed from: TensorFlow's arguments, with the
 * sampler's three outputs (sampled_values) given. Every field is 4 bytes on
 * wasm32 (the JS API writes this struct; offsets asserted in status.c). */
typedef struct xent_sampled_args {
  const float *weights;                /* [num_classes, dim] class embeddings */
  const float *biases;                 /* [num_classes] */
  const int32_t *labels;               /* [batch, num_true] true classes */
  const float *inputs;                 /* [batch, dim] */
  const int32_t *sampled_candidates;   /* [num_sampled], shared by every example */
  const float *true_expected_count;    /* [batch, num_true], > 0 */
  const float *sampled_expected_count; /* [num_sampled], > 0 */
  size_t batch, dim, num_classes, num_true, num_sampled;
  int32_t remove_accidental_hits; /* TF default: 1 for sampled softmax, 0 for NCE */
  int32_t subtract_log_q;         /* TF always 1: logits minus log(expected count) */
} xent_sampled_args;

/* Gradients of the sum of the per-example losses. Sparse in the classes: each
 * class whose row was used appears once in class_ids (the sampled candidates
 * in sample order, then the true classes not among them in order of first
 * appearance), with its gradient row in weights [num_ids, dim] and biases
 * [num_ids]. Capacity: batch * num_true + num_sampled ids. Any pointer may be
 * NULL when that output is not wanted (class_ids is then still needed for
 * weights or biases). */
typedef struct xent_sampled_grad {
  float *inputs;      /* [batch, dim], dense */
  int32_t *class_ids; /* [capacity] */
  float *weights;     /* [capacity, dim] */
  float *biases;      /* [capacity] */
  size_t num_ids;     /* written: the number of class ids */
} xent_sampled_grad;

/* Both losses start from TensorFlow's _compute_sampled_logits: per example b,
 *   z_t = inputs_b . weights[labels_bt] + biases[labels_bt] - log(true_expected_count_bt)
 *   z_s = inputs_b . weights[sampled_s] + biases[sampled_s] - log(sampled_expected_count_s)
 * (the log terms only with subtract_log_q). With remove_accidental_hits a
 * sampled column whose class is one of the example's true classes is dropped
 * (TF adds -FLT_MAX to it, which gives the same losses and gradients; when a
 * class appears more than once among the candidates, TF drops only its last
 * position, and so does xent). Targets are 1 / num_true on the true columns,
 * 0 on the sampled ones.
 *   sampled_softmax_loss: softmax cross-entropy over the columns,
 *     logsumexp(z) - sum_t z_t / num_true.
 *   nce_loss: the sum over the columns of the sigmoid cross-entropy,
 *     max(z, 0) - z y + log1p(exp(-|z|)).
 * The dot products run in float32 (f32x4 in the SIMD build, bit-identical to
 * the scalar one), the loss and logit gradients in double. Errors:
 * XENT_ERR_NULL, XENT_ERR_SHAPE (a size of 0 other than batch, or a workspace
 * smaller than xent_sampled_workspace_size), XENT_ERR_LABEL (a label or
 * sampled candidate outside [0, num_classes); arg "labels" or
 * "sampled_candidates"), XENT_ERR_OPTION (an expected count that is not a
 * finite number > 0). */
size_t xent_sampled_workspace_size(size_t batch, size_t num_true, size_t num_sampled);
xent_status xent_sampled_softmax_loss(const xent_sampled_args *args, float *losses,
                                      xent_sampled_grad *grad, void *work, size_t work_bytes,
                                      xent_error *err);
xent_status xent_nce_loss(const xent_sampled_args *args, float *losses,
                          xent_sampled_grad *grad, void *work, size_t work_bytes,
                          xent_error *err);

/* ---- Build facts ------------------------------------------------------------ */

/* 1 when this build runs the f32x4 kernels, 0 for the scalar build. */
int xent_simd(void);

/* sizeof(xent_options) and sizeof(xent_error) in this build, for bindings. */
size_t xent_options_size(void);
size_t xent_error_size(void);

#ifdef __cplusplus
}
#endif

#endif /* XENT_H */
