/* test_binary_nn.c: the unreduced tf.nn ops of src/binary.c,
 * sigmoid_cross_entropy_with_logits and weighted_cross_entropy_with_logits
 * (docs/semantics.md 3.1, 3.2, 4.1, 4.2), against the float64 reference of
 * binary_ref.h: row lengths around every tail, pos_weight values, logits of
 * +-1e30, +-90 and 0, finite differences, NULL outputs and every error status.
 * Built twice by CMake (scalar and f32x4 through SIMDe). */
#include "binary_ref.h"
#include "xent.h"

static stat st_sig = {"sigmoid_cross_entropy_with_logits", {0, 0}, {0, 0}, 0};
static stat st_wgt = {"weighted_cross_entropy_with_logits", {0, 0}, {0, 0}, 0};

static void run_nn(const float *z, const float *x, size_t B, size_t C, float q, int weighted) {
  stat *st = weighted ? &st_wgt : &st_sig;
  size_t n = B * C;
  float *losses = fill(n + 4), *grad = fill(n + 4);
  for (size_t i = 0; i < n + 4; i++) losses[i] = grad[i] = -7.0f;
  xent_status s = weighted
                      ? xent_weighted_cross_entropy_with_logits(z, x, B, C, q, losses, grad, NULL)
                      : xent_sigmoid_cross_entropy_with_logits(z, x, B, C, losses, grad, NULL);
  CHECK(s == XENT_OK, "status %d", s);
  int bad = 0;
  size_t first = 0;
  for (size_t i = 0; i < n; i++) {
    double g, l = ref_logit(x[i], z[i], weighted ? q : 1.0, &g);
    if ((!close_to(st, 0, losses[i], l) | !close_to(st, 1, grad[i], g)) && !bad++) first = i;
  }
  CHECK(!bad, "%s [%zu x %zu] q=%g: %d elements off (e.g. x=%.9g z=%g: loss %.9g grad %.9g)",
        st->name, B, C, q, bad, n ? x[first] : 0, n ? z[first] : 0, n ? losses[first] : 0,
        n ? grad[first] : 0);
  for (size_t i = 0; i < 4; i++)
    CHECK(losses[n + i] == -7.0f && grad[n + i] == -7.0f, "nothing written past the end");
  free(losses), free(grad);
}

static void tf_nn_ops_match_the_reference(void) {
  check_rng r = {4};
  const float qs[] = {1.0f, 3.0f, 0.25f, 0.0f, -0.5f};
  for (size_t li = 0; li < NLEN; li++) {
    size_t C = lengths[li], B = C >= 1000 ? 2 : 3, n = B * C;
    float *z = fill(n), *x = fill(n);
    make_labels(&r, z, n, (int)(li % 2));
    make_preds(&r, x, n, 1);
    run_nn(z, x, B, C, 1.0f, 0);
    for (int k = 0; k < 5; k++) run_nn(z, x, B, C, qs[k], 1);
    free(z), free(x);
  }
  /* Extremes and x = 0, where the weighted gradient is 0.5 l - q z (not TF's 1 - z). */
  const float xs[] = {1e30f, -1e30f, 90.0f, -90.0f, 0.0f, -0.0f, 1e-30f, FLT_MAX, -FLT_MAX};
  float x[45], z[45];
  for (int i = 0; i < 9; i++)
    for (int k = 0; k < 5; k++) x[i * 5 + k] = xs[i], z[i * 5 + k] = (float)k / 4;
  run_nn(z, x, 9, 5, 1.0f, 0);
  for (int k = 0; k < 4; k++) run_nn(z, x, 45, 1, qs[k], 1);
  float z0[3] = {0, 0.5f, 1}, x0[3] = {0, 0, 0}, g0[3];
  xent_weighted_cross_entropy_with_logits(z0, x0, 1, 3, 3.0f, NULL, g0, NULL);
  CHECK(g0[0] == 0.5f && g0[1] == -0.5f && g0[2] == -1.5f,
        "weighted gradient at x = 0 is 0.5(1 + (q-1)z) - qz: %g %g %g", g0[0], g0[1], g0[2]);
}

static void tf_nn_gradients_match_finite_differences(void) {
  check_rng r = {5};
  for (size_t li = 0; li < 9; li++) {
    size_t n = lengths[li] * 2;
    float *z = fill(n), *x = fill(n), *g = fill(n);
    make_labels(&r, z, n, 1);
    for (size_t i = 0; i < n; i++) x[i] = (float)check_uniform(&r, -6, 6);
    for (int w = 0; w <= 1; w++) {
      double q = w ? 2.5 : 1.0;
      if (w)
        xent_weighted_cross_entropy_with_logits(z, x, 2, n / 2, (float)q, NULL, g, NULL);
      else
        xent_sigmoid_cross_entropy_with_logits(z, x, 2, n / 2, NULL, g, NULL);
      int bad = 0;
      for (size_t i = 0; i < n; i++) {
        double h = 1e-4;
        double fd =
            (ref_logit(x[i] + h, z[i], q, NULL) - ref_logit(x[i] - h, z[i], q, NULL)) / (2 * h);
        bad += !check_close(g[i], fd, REL, ABS);
      }
      CHECK(!bad, "tf.nn %s, %zu elements: %d gradients differ from finite differences",
            w ? "weighted" : "sigmoid", n, bad);
    }
    free(z), free(x), free(g);
  }
}

static void null_outputs_are_skipped_and_pos_weight_1_is_the_plain_op(void) {
  check_rng r = {6};
  float z[21], x[21], s1[21], s2[21], g1[21], g2[21];
  make_labels(&r, z, 21, 1);
  make_preds(&r, x, 21, 1);
  CHECK(xent_sigmoid_cross_entropy_with_logits(z, x, 3, 7, NULL, NULL, NULL) == XENT_OK &&
            xent_weighted_cross_entropy_with_logits(z, x, 3, 7, 2.0f, NULL, NULL, NULL) == XENT_OK,
        "no output requested is fine");
  xent_sigmoid_cross_entropy_with_logits(z, x, 3, 7, s1, NULL, NULL);
  xent_weighted_cross_entropy_with_logits(z, x, 3, 7, 1.0f, s2, g2, NULL);
  xent_sigmoid_cross_entropy_with_logits(z, x, 3, 7, NULL, g1, NULL);
  CHECK(!memcmp(s1, s2, sizeof s1) && !memcmp(g1, g2, sizeof g1),
        "pos_weight 1 is exactly the unweighted op, whichever outputs are requested");
  CHECK(xent_sigmoid_cross_entropy_with_logits(NULL, NULL, 0, 4, NULL, NULL, NULL) == XENT_OK,
        "an empty tf.nn call succeeds");
  CHECK(
      xent_weighted_cross_entropy_with_logits(NULL, NULL, 0, 4, 2.0f, NULL, NULL, NULL) == XENT_OK,
      "an empty weighted tf.nn call succeeds");
}

static void every_error_is_named_and_writes_nothing(void) {
  float y[4] = {0, 1, 0, 1}, p[4] = {0.5f, 0.5f, 0.5f, 0.5f}, l[4], g[4];
  for (int i = 0; i < 4; i++) l[i] = g[i] = 42.0f;
  xent_error err;
  EXPECT(xent_sigmoid_cross_entropy_with_logits(NULL, p, 2, 2, l, g, &err), XENT_ERR_NULL,
         "labels");
  EXPECT(xent_sigmoid_cross_entropy_with_logits(y, NULL, 2, 2, l, g, &err), XENT_ERR_NULL,
         "logits");
  EXPECT(xent_sigmoid_cross_entropy_with_logits(y, p, 2, 0, l, g, &err), XENT_ERR_SHAPE, "classes");
  EXPECT(xent_weighted_cross_entropy_with_logits(NULL, p, 2, 2, 1, l, g, &err), XENT_ERR_NULL,
         "labels");
  EXPECT(xent_weighted_cross_entropy_with_logits(y, NULL, 2, 2, 1, l, g, &err), XENT_ERR_NULL,
         "logits");
  EXPECT(xent_weighted_cross_entropy_with_logits(y, p, 2, 0, 1, l, g, &err), XENT_ERR_SHAPE,
         "classes");
  const float bad_q[] = {INFINITY, -INFINITY, NAN};
  for (int i = 0; i < 3; i++) {
    EXPECT(xent_weighted_cross_entropy_with_logits(y, p, 2, 2, bad_q[i], l, g, &err),
           XENT_ERR_OPTION, "pos_weight");
    CHECK(isnan(bad_q[i]) ? isnan(err.value) : err.value == bad_q[i], "pos_weight value reported");
  }
  CHECK(xent_weighted_cross_entropy_with_logits(y, p, 2, 2, NAN, l, g, NULL) == XENT_ERR_OPTION,
        "err may be NULL");
  int untouched = 1;
  for (int i = 0; i < 4; i++) untouched &= l[i] == 42.0f && g[i] == 42.0f;
  CHECK(untouched, "no output is written by a failing call");
}

int main(void) {
  tf_nn_ops_match_the_reference();
  tf_nn_gradients_match_finite_differences();
  null_outputs_are_skipped_and_pos_weight_1_is_the_plain_op();
  every_error_is_named_and_writes_nothing();
  const stat *all[] = {&st_sig, &st_wgt};
  print_stats(all, 2, xent_simd() ? "f32x4" : "scalar");
  return check_summary(xent_simd() ? "test_binary_nn (f32x4)" : "test_binary_nn (scalar)");
}
