/* test_finite.c: finite inputs give finite outputs (xent.h; docs/semantics.md,
 * "Guarantees: validation, non-finite values, sizes, aliasing"), in each
 * build (ctest runs it scalar and f32x4): the reproducers of extreme but
 * finite weights and labels that once gave Inf or NaN, then every loss over
 * a grid of extreme finite labels, predictions, weights and pos_weight, every
 * output checked finite. The values, where they fit float32, against a
 * float64 reference written here. */
#include <float.h>
#include <stdlib.h>

#include "check.h"
#include "xent.h"

static int all_finite(const float *v, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!isfinite(v[i])) return 0;
  return 1;
}

typedef xent_status (*dense_fn)(const float *, const float *, size_t, size_t, const xent_options *,
                                float *, float *, float *, xent_error *);

static void reproducers(void) {
  xent_options o = XENT_OPTIONS_INIT;
  float losses[4], grad[8], loss;

  /* binary_crossentropy, sample_weight 3e38, "sum": loss 3e38 ln 2 fits; the
   * gradient 3e38 (0.5 - 1) / 0.25 = -6e38 saturates at -FLT_MAX. */
  float y1 = 1.0f, p1 = 0.5f, sw = 3e38f;
  o.reduction = XENT_SUM;
  o.sample_weight = &sw;
  CHECK(xent_binary_crossentropy(&y1, &p1, 1, 1, &o, losses, grad, &loss, NULL) == XENT_OK, "bce status");
  CHECK(check_close(loss, 3e38 * log(2.0), 1e-6, 0), "bce loss %g", (double)loss);
  CHECK(grad[0] == -FLT_MAX, "bce grad %g, want -FLT_MAX", (double)grad[0]);

  /* sample_weight 1e20 x class_weight 1e20 on a loss of exactly 0. */
  float y2[2] = {1.0f, 0.0f}, z2[2] = {100.0f, -100.0f}, sw2 = 1e20f, cw2[2] = {1e20f, 1.0f};
  xent_options o2 = XENT_OPTIONS_INIT;
  o2.from_logits = 1;
  o2.sample_weight = &sw2;
  o2.class_weight = cw2;
  for (int r = XENT_SUM_OVER_BATCH_SIZE; r <= XENT_MEAN_WITH_SAMPLE_WEIGHT; r++) {
    o2.reduction = r;
    CHECK(xent_categorical_crossentropy(y2, z2, 1, 2, &o2, losses, grad, &loss, NULL) == XENT_OK, "cce status");
    CHECK(losses[0] == 0.0f && isfinite(loss) && all_finite(grad, 2), "cce reduction %d: loss %g, losses %g, grad %g %g", r,
          (double)loss, (double)losses[0], (double)grad[0], (double)grad[1]);
  }

  /* sigmoid_cross_entropy_with_logits, label 3e38. */
  float y3[2] = {3e38f, -3e38f}, z3[2] = {0.0f, 0.0f};
  CHECK(xent_sigmoid_cross_entropy_with_logits(y3, z3, 1, 2, losses, grad, NULL) == XENT_OK, "sigmoid status");
  CHECK(all_finite(losses, 2) && all_finite(grad, 2), "sigmoid: grad %g %g", (double)grad[0], (double)grad[1]);

  /* weighted_cross_entropy_with_logits, label 2, pos_weight FLT_MAX. */
  float y4[4] = {2.0f, 2.0f, 2.0f, 2.0f}, z4[4] = {0.0f, 5.0f, -5.0f, 100.0f};
  CHECK(xent_weighted_cross_entropy_with_logits(y4, z4, 1, 4, FLT_MAX, losses, grad, NULL) == XENT_OK, "weighted status");
  CHECK(all_finite(losses, 4) && all_finite(grad, 4), "weighted: losses %g %g %g %g", (double)losses[0], (double)losses[1],
        (double)losses[2], (double)losses[3]);
  /* categorical_crossentropy from logits, labels near FLT_MAX, a row of weight
   * 0 (found by the fuzz target): the float32 gradient pass once multiplied
   * Inf by the zero scale. */
  float y5[6] = {3e38f, FLT_MAX, 0, 1, 0, 0}, z5[6] = {1.26e30f, 3e38f, FLT_MAX, 1, 0, 1};
  float sw5[2] = {0.0f, 1.0f};
  xent_options o5 = XENT_OPTIONS_INIT;
  o5.from_logits = 1;
  for (int weighted = 0; weighted < 2; weighted++) {
    o5.sample_weight = weighted ? sw5 : NULL;
    CHECK(xent_categorical_crossentropy(y5, z5, 1, 6, &o5, losses, grad, &loss, NULL) == XENT_OK, "cce status");
    CHECK(all_finite(grad, 6) && isfinite(loss), "cce labels 3e38, weight %d: grad %g %g", weighted ? 0 : 1,
          (double)grad[0], (double)grad[1]);
  }

  /* Logit 100: (1 - 2) 100 + l log1p(e^-100) with l = 1 + (q - 1) 2 saturated to FLT_MAX. */
  CHECK(check_close(losses[3], -100.0 + (double)FLT_MAX * log1p(exp(-100.0)), 1e-6, 0), "weighted logit 100: %g", (double)losses[3]);
}

/* Every Keras loss, both paths, every reduction, weights on and off, over a
 * grid of extreme finite values: all outputs finite. */
static void grid(void) {
  static const float labels[] = {0, 1, 0.5f, -1, 2, 1e30f, -1e30f, 3e38f, -3e38f, FLT_MAX};
  static const float preds[] = {0, 1, 0.5f, 1e-7f, 2, -1, 100, -100, 1e30f, -1e30f, FLT_MAX, -FLT_MAX};
  static const float weights[] = {0, 1, 3e38f, -3e38f, 1e20f};
  enum { C = sizeof labels / sizeof *labels, B = sizeof preds / sizeof *preds };
  static float y[B * C], p[B * C], sw[B], cw[C], losses[B * C], grad[B * C];
  int32_t ints[B];
  for (int b = 0; b < B; b++) {
    for (int c = 0; c < C; c++) y[b * C + c] = labels[c], p[b * C + c] = preds[b];
    sw[b] = weights[b % 5];
    ints[b] = b % C;
  }
  for (int c = 0; c < C; c++) cw[c] = (float[]){1e20f, 0, -2, FLT_MAX}[c % 4];
  dense_fn dense[] = {xent_binary_crossentropy, xent_categorical_crossentropy,
                      xent_binary_focal_crossentropy, xent_categorical_focal_crossentropy};
  for (int logits = 0; logits < 2; logits++)
    for (int r = XENT_SUM_OVER_BATCH_SIZE; r <= XENT_MEAN_WITH_SAMPLE_WEIGHT; r++)
      for (int weighted = 0; weighted < 2; weighted++) {
        xent_options o = XENT_OPTIONS_INIT;
        o.from_logits = logits;
        o.reduction = r;
        o.sample_weight = weighted ? sw : NULL;
        o.class_weight = weighted ? cw : NULL;
        float loss;
        for (int f = 0; f < 4; f++) {
          CHECK(dense[f](y, p, B, C, &o, losses, grad, &loss, NULL) == XENT_OK, "status");
          CHECK(all_finite(losses, B) && all_finite(grad, B * C) && isfinite(loss),
                "loss %d, logits %d, reduction %d, weights %d: not finite", f, logits, r, weighted);
        }
        CHECK(xent_sparse_categorical_crossentropy(ints, p, B, C, &o, losses, grad, &loss, NULL) == XENT_OK, "status");
        CHECK(all_finite(losses, B) && all_finite(grad, B * C) && isfinite(loss),
              "sparse, logits %d, reduction %d, weights %d: not finite", logits, r, weighted);
      }
  CHECK(xent_sigmoid_cross_entropy_with_logits(y, p, B, C, losses, grad, NULL) == XENT_OK, "status");
  CHECK(all_finite(losses, B * C) && all_finite(grad, B * C), "sigmoid: not finite");
  CHECK(xent_softmax_cross_entropy_with_logits(y, p, B, C, losses, grad, NULL) == XENT_OK, "status");
  CHECK(all_finite(losses, B) && all_finite(grad, B * C), "softmax: not finite");
  CHECK(xent_sparse_softmax_cross_entropy_with_logits(ints, p, B, C, losses, grad, NULL) == XENT_OK, "status");
  CHECK(all_finite(losses, B) && all_finite(grad, B * C), "sparse softmax: not finite");
  static const float q[] = {FLT_MAX, -FLT_MAX, 0, 1e20f, -1};
  for (int i = 0; i < 5; i++) {
    CHECK(xent_weighted_cross_entropy_with_logits(y, p, B, C, q[i], losses, grad, NULL) == XENT_OK, "status");
    CHECK(all_finite(losses, B * C) && all_finite(grad, B * C), "weighted, pos_weight %g: not finite", (double)q[i]);
  }
}

int main(void) {
  reproducers();
  grid();
  return check_summary(xent_simd() ? "test_finite (f32x4)" : "test_finite (scalar)");
}
