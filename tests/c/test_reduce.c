/* test_reduce.c: the argument checks and reduction plan shared by every Keras
 * loss (src/reduce.c, docs/semantics.md section 2.8), and the status strings.
 * Denominators are computed here by hand from the rules of section 2.8. */
#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "xent_internal.h"

static void status_strings_are_distinct_sentences(void) {
  for (int s = 0; s < XENT_STATUS_COUNT; s++) {
    const char *text = xent_status_string((xent_status)s);
    CHECK(text && strlen(text) > 1, "status %d has a message", s);
    for (int t = 0; t < s; t++)
      CHECK(strcmp(text, xent_status_string((xent_status)t)) != 0, "status %d and %d differ", s, t);
  }
  CHECK(strcmp(xent_status_string(XENT_OK), "ok") == 0, "XENT_OK reads ok");
  CHECK(strcmp(xent_status_string((xent_status)999), "unknown xent_status") == 0,
        "an unknown status reads as unknown instead of crashing");
}

static void bad_arguments_are_named(void) {
  float y[4] = {0, 1, 0, 1}, p[4] = {0.5f, 0.5f, 0.5f, 0.5f};
  xent_plan plan;
  xent_error err;
  xent_options o = XENT_OPTIONS_INIT;

  CHECK(xent__plan_dense(&plan, y, p, 2, 0, &o, 0, &err) == XENT_ERR_SHAPE &&
            strcmp(err.arg, "classes") == 0, "zero classes is a shape error naming classes");
  CHECK(xent__plan_dense(&plan, y, p, SIZE_MAX / 2, 3, &o, 0, &err) == XENT_ERR_SHAPE &&
            strcmp(err.arg, "batch") == 0, "a batch whose buffers overflow size_t is a shape error");
  CHECK(xent__plan_dense(&plan, NULL, p, 2, 2, &o, 0, &err) == XENT_ERR_NULL &&
            strcmp(err.arg, "y_true") == 0, "a NULL y_true is named");
  CHECK(xent__plan_dense(&plan, y, NULL, 2, 2, &o, 0, &err) == XENT_ERR_NULL &&
            strcmp(err.arg, "y_pred") == 0, "a NULL y_pred is named");
  CHECK(xent__plan_dense(&plan, NULL, NULL, 0, 2, &o, 0, &err) == XENT_OK,
        "an empty batch may pass NULL buffers");

  o.reduction = 7;
  CHECK(xent__plan_dense(&plan, y, p, 2, 2, &o, 0, &err) == XENT_ERR_OPTION &&
            strcmp(err.arg, "reduction") == 0 && err.value == 7.0, "an unknown reduction is named with its value");
  o.reduction = XENT_SUM;
  float bad_ls[] = {-0.1f, 1.5f, NAN, INFINITY};
  for (int i = 0; i < 4; i++) {
    o.label_smoothing = bad_ls[i];
    CHECK(xent__plan_dense(&plan, y, p, 2, 2, &o, 0, &err) == XENT_ERR_OPTION &&
              strcmp(err.arg, "label_smoothing") == 0, "label_smoothing %g is rejected", bad_ls[i]);
  }
  o.label_smoothing = 1.0f;
  CHECK(xent__plan_dense(&plan, y, p, 2, 2, &o, 0, &err) == XENT_OK, "label_smoothing 1 is allowed");

  o = (xent_options)XENT_OPTIONS_INIT;
  o.gamma = -1.0f;
  CHECK(xent__plan_dense(&plan, y, p, 2, 2, &o, 1, &err) == XENT_ERR_OPTION &&
            strcmp(err.arg, "gamma") == 0, "a negative gamma is rejected for focal losses");
  CHECK(xent__plan_dense(&plan, y, p, 2, 2, &o, 0, &err) == XENT_OK,
        "gamma is not looked at by non-focal losses");
  o.gamma = INFINITY;
  CHECK(xent__plan_dense(&plan, y, p, 2, 2, &o, 1, &err) == XENT_ERR_OPTION, "an infinite gamma is rejected");
  o.gamma = 2.0f;
  o.alpha = 1.5f;
  CHECK(xent__plan_dense(&plan, y, p, 2, 2, &o, 1, &err) == XENT_ERR_OPTION &&
            strcmp(err.arg, "alpha") == 0, "alpha above 1 is rejected");
  o.alpha = 0.25f;
  o.has_ignore_class = 1;
  CHECK(xent__plan_dense(&plan, y, p, 2, 2, &o, 0, &err) == XENT_ERR_OPTION &&
            strcmp(err.arg, "ignore_class") == 0, "ignore_class is only for sparse labels");

  CHECK(xent__plan_dense(&plan, y, p, 2, 2, NULL, 0, NULL) == XENT_OK &&
            plan.opt.reduction == XENT_SUM_OVER_BATCH_SIZE && plan.opt.gamma == 0.0f,
        "NULL options are the defaults, and a NULL err is allowed");
  CHECK(xent__plan_dense(&plan, y, p, 2, 2, NULL, 1, NULL) == XENT_OK && plan.opt.gamma == 2.0f &&
            plan.opt.alpha == 0.25f, "NULL options give focal losses alpha 0.25 and gamma 2");
}

static void sparse_labels_are_checked_and_reported(void) {
  int32_t labels[5] = {0, 2, 3, -1, 1};
  float p[15] = {0};
  xent_plan plan;
  xent_error err = {0};
  CHECK(xent__plan_sparse(&plan, labels, p, 5, 3, NULL, &err) == XENT_ERR_LABEL &&
            err.index == 2 && err.value == 3.0 && strcmp(err.arg, "y_true") == 0,
        "the first out-of-range label is reported with its example index and value");
  xent_options o = {0};
  o.has_ignore_class = 1;
  o.ignore_class = 3;
  CHECK(xent__plan_sparse(&plan, labels, p, 5, 3, &o, &err) == XENT_ERR_LABEL && err.index == 3 &&
            err.value == -1.0, "an ignored label is skipped and the next bad one reported");
  o.ignore_class = -1;
  labels[2] = 1;
  CHECK(xent__plan_sparse(&plan, labels, p, 5, 3, &o, &err) == XENT_OK, "-1 may be the ignore_class");
  CHECK(plan.denominator == 4.0, "sum_over_batch_size divides by the 4 non-ignored examples");
  o.label_smoothing = 0.1f;
  CHECK(xent__plan_sparse(&plan, labels, p, 5, 3, &o, &err) == XENT_ERR_OPTION &&
            strcmp(err.arg, "label_smoothing") == 0, "sparse labels take no label smoothing, as in Keras");
}

static void denominators_follow_keras(void) {
  enum { B = 6, C = 3 };
  float y[B * C], p[B * C] = {0};
  int32_t labels[B] = {0, 1, 2, 1, 0, 2};
  float sw[B] = {0.5f, 2.0f, 1.0f, 0.0f, 3.0f, 1.5f};
  float cw[C] = {1.0f, 4.0f, 0.25f};
  for (int b = 0; b < B; b++)
    for (int j = 0; j < C; j++) y[b * C + j] = j == labels[b] ? 1.0f : 0.0f;
  xent_plan plan;
  xent_options o = {0};

  double want_sw = 0, want_both = 0, want_masked = 0, count_masked = 0;
  for (int b = 0; b < B; b++) {
    want_sw += sw[b];
    want_both += (double)sw[b] * cw[labels[b]];
    if (labels[b] != 1) {
      want_masked += (double)sw[b] * cw[labels[b]];
      count_masked += 1;
    }
  }

  o.reduction = XENT_SUM;
  xent__plan_dense(&plan, y, p, B, C, &o, 0, NULL);
  CHECK(plan.denominator == 1.0, "sum does not divide");
  o.reduction = XENT_SUM_OVER_BATCH_SIZE;
  o.sample_weight = sw;
  xent__plan_dense(&plan, y, p, B, C, &o, 0, NULL);
  CHECK(plan.denominator == B, "sum_over_batch_size divides by the batch even with weights");
  o.reduction = XENT_MEAN_WITH_SAMPLE_WEIGHT;
  xent__plan_dense(&plan, y, p, B, C, &o, 0, NULL);
  CHECK(check_close(plan.denominator, want_sw, 1e-12, 0), "mean_with_sample_weight divides by the weight sum");
  o.class_weight = cw;
  xent__plan_dense(&plan, y, p, B, C, &o, 0, NULL);
  CHECK(check_close(plan.denominator, want_both, 1e-12, 0),
        "class weights join the sample weights by each example's argmax class");
  xent__plan_sparse(&plan, labels, p, B, C, &o, NULL);
  CHECK(check_close(plan.denominator, want_both, 1e-12, 0), "sparse labels pick the class weight by label");
  o.has_ignore_class = 1;
  o.ignore_class = 1;
  xent__plan_sparse(&plan, labels, p, B, C, &o, NULL);
  CHECK(check_close(plan.denominator, want_masked, 1e-12, 0), "ignored examples leave the weight sum");
  o.reduction = XENT_SUM_OVER_BATCH_SIZE;
  xent__plan_sparse(&plan, labels, p, B, C, &o, NULL);
  CHECK(plan.denominator == count_masked, "ignored examples leave the count");

  float loss = -1.0f;
  xent__finish(&plan, 12.0, &loss);
  CHECK(check_close(loss, 12.0 / count_masked, 1e-7, 0), "the reduced loss is the weighted sum over the denominator");
  plan.denominator = 0.0;
  xent__finish(&plan, 5.0, &loss);
  CHECK(loss == 0.0f, "a zero denominator gives 0 (divide_no_nan), not NaN");
  plan.opt.reduction = XENT_NONE;
  plan.denominator = 1.0;
  xent__finish(&plan, 5.0, &loss);
  CHECK(loss == 0.0f, "reduction none stores 0 as the reduced loss");
  plan.opt.reduction = XENT_SUM;
  xent__finish(&plan, 1e300, &loss);
  CHECK(loss == FLT_MAX, "a sum beyond float range saturates to FLT_MAX");

  plan.opt.reduction = XENT_MEAN_WITH_SAMPLE_WEIGHT;
  plan.denominator = -2.0;
  CHECK(xent__grad_scale(&plan, 1.0f) == -0.5f,
        "a negative weight sum scales the gradient as it divides the loss");
  plan.denominator = 1e-300;
  CHECK(xent__grad_scale(&plan, 1.0f) == FLT_MAX, "a gradient scale beyond float range saturates");
  plan.denominator = 0.0;
  CHECK(xent__grad_scale(&plan, 1.0f) == 0.0f, "a zero denominator gives a zero gradient");

  float y1[8] = {0.7f, 0.2f, 0.5f, 1.5f, -0.5f, -0.6f, 1.49f, NAN};
  float cw2[2] = {3.0f, 5.0f};
  float want[8] = {5.0f, 3.0f, 3.0f, 1.0f, 3.0f, 1.0f, 5.0f, 1.0f};
  xent_options o1 = {0};
  o1.class_weight = cw2;
  xent__plan_dense(&plan, y1, y1, 8, 1, &o1, 0, NULL);
  int same = 1;
  for (size_t b = 0; b < 8; b++) same &= xent__dense_weight(&plan, b, y1 + b) == want[b];
  CHECK(same,
        "one-column labels take the class of y rounded half to even, as Keras' trainer "
        "(0.5 -> 0, -0.5 -> 0, 1.5 -> 2), and a class other than 0 or 1 weighs 1");
}

int main(void) {
  status_strings_are_distinct_sentences();
  bad_arguments_are_named();
  sparse_labels_are_checked_and_reported();
  denominators_follow_keras();
  CHECK(xent_options_size() == sizeof(xent_options), "options size is reported");
  return check_summary("test_reduce");
}
