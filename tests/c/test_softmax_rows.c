/* test_softmax_rows.c: the paths of the softmax row kernel of
 * xent_categorical_crossentropy and xent_softmax_cross_entropy_with_logits
 * (src/softmax.c; docs/semantics.md 2.4, 3.3, 4.4 and decision 6)
 * against a long double reference written here: every tail length of its
 * 16-element blocks, label_smoothing 0 and > 0, the float32 pass 3 (large
 * batches, mean reduction) and the double one (sum reduction), and the rows
 * whose float32 label sums are replaced by double ones (negative labels,
 * spreads beyond FLT_MAX). Built twice by CMake: scalar kernels and f32x4
 * kernels through SIMDe. */
#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "xent.h"

#define RTOL 1e-6
#define ATOL 1e-7

static double worst[2]; /* the largest share of the tolerance used: losses, gradients */

static void expect(int ok, double got, double want, const char *what, size_t n, double ls,
                   size_t k) {
  double used = fabs(got - want) / (RTOL * fabs(want) + ATOL);
  int grad = strstr(what, "gradient") != NULL;
  if (used > worst[grad]) worst[grad] = used;
  CHECK(ok && check_close(got, want, RTOL, ATOL), "%s %zu (n=%zu ls=%g): %.9g vs %.9g", what, k,
        n, ls, got, want);
}

/* One row from the formulas: y' = y (1 - ls) + ls / n,
 * loss = sum y' (logsumexp(z) - z), gradient (sum y') softmax(z) - y'. */
static long double ref_row(const float *y, const float *z, size_t n, double ls, long double *g) {
  long double m = z[0], s = 0, sy = 0, loss = 0;
  for (size_t j = 1; j < n; j++) m = fmaxl(m, z[j]);
  for (size_t j = 0; j < n; j++) s += expl((long double)z[j] - m);
  for (size_t j = 0; j < n; j++) {
    long double yy = y[j] * (1 - (long double)ls) + ls / (long double)n;
    sy += yy;
    loss += yy * (logl(s) - ((long double)z[j] - m));
  }
  for (size_t j = 0; j < n; j++) {
    long double yy = y[j] * (1 - (long double)ls) + ls / (long double)n;
    g[j] = sy * expl((long double)z[j] - m) / s - yy;
  }
  return loss;
}

/* B rows of n classes through the public API with reduction `red` (XENT_SUM:
 * gradient scale 1, pass 3 in double; XENT_SUM_OVER_BATCH_SIZE with a large
 * batch: pass 3 in float32), against the reference. */
static void run(size_t B, size_t n, const float *y, const float *z, double ls, int red) {
  size_t N = B * n;
  float *g = malloc(N * sizeof(float)), *losses = malloc(B * sizeof(float));
  float *losses2 = malloc(B * sizeof(float)), loss = -1, loss2 = -1;
  long double *gr = malloc(n * sizeof(long double)), total = 0;
  xent_options o = {0};
  o.from_logits = 1;
  o.label_smoothing = (float)ls;
  o.reduction = red;
  double c = red == XENT_SUM ? 1.0 : 1.0 / (double)B;
  int ok = xent_categorical_crossentropy(y, z, B, n, &o, losses, g, &loss, NULL) == XENT_OK;
  for (size_t b = 0; b < B; b++) {
    long double l = ref_row(y + b * n, z + b * n, n, ls, gr);
    total += l;
    expect(ok, losses[b], (double)l, "loss of example", n, ls, b);
    for (size_t j = 0; j < n; j++)
      expect(ok, g[b * n + j], (double)(gr[j] * c), "gradient element", n, ls, b * n + j);
  }
  expect(ok, loss, (double)(total * c), "reduced loss", n, ls, 0);
  xent_categorical_crossentropy(y, z, B, n, &o, losses2, NULL, &loss2, NULL);
  CHECK(memcmp(losses, losses2, B * sizeof(float)) == 0 && loss == loss2,
        "losses do not depend on whether a gradient is asked for (n=%zu ls=%g)", n, ls);
  if (ls == 0) { /* the tf.nn op: unreduced, scale 1 */
    ok = xent_softmax_cross_entropy_with_logits(y, z, B, n, losses, g, NULL) == XENT_OK;
    for (size_t b = 0; b < B; b++) {
      expect(ok, losses[b], (double)ref_row(y + b * n, z + b * n, n, 0, gr), "tf.nn loss", n, 0, b);
      for (size_t j = 0; j < n; j++)
        expect(ok, g[b * n + j], (double)gr[j], "tf.nn gradient element", n, 0, b * n + j);
    }
  }
  free(g), free(losses), free(losses2), free(gr);
}

/* Labels: 0 one-hot, 1 soft (rows sum to 1), 2 multi-hot, 3 soft with some
 * negative labels, 4 one label of 2.5 on the row maximum (a near-zero loss
 * scaled up). */
static void fill(float *y, float *z, size_t B, size_t n, int kind, double spread, check_rng *r) {
  for (size_t b = 0; b < B; b++) {
    float *yb = y + b * n, *zb = z + b * n;
    double sum = 0;
    for (size_t j = 0; j < n; j++) {
      zb[j] = (float)check_uniform(r, -spread, spread);
      yb[j] = kind == 1 ? (float)check_uniform(r, 0, 1)
              : kind == 2 ? (float)(check_next(r) & 1)
              : kind == 3 ? (float)check_uniform(r, -0.5, 1) : 0.0f;
      sum += yb[j];
    }
    size_t k = check_next(r) % n;
    if (kind == 0) yb[k] = 1.0f;
    if (kind == 1)
      for (size_t j = 0; j < n; j++) yb[j] = (float)(yb[j] / sum);
    if (kind == 4) {
      for (size_t j = 0; j < n; j++) zb[j] = j == k ? 4.0f : (float)check_uniform(r, -16, -13);
      yb[k] = 2.5f;
    }
  }
}

static void every_block_tail_and_path_matches_the_reference(void) {
  check_rng r = {2024};
  size_t lengths[56], nl = 0;
  for (size_t n = 1; n <= 48; n++) lengths[nl++] = n;
  static const size_t longer[] = {63, 64, 65, 100, 1000, 1001};
  for (size_t i = 0; i < 6; i++) lengths[nl++] = longer[i];
  for (size_t li = 0; li < nl; li++) {
    size_t n = lengths[li], B = 64;
    float *y = malloc(B * n * sizeof(float)), *z = malloc(B * n * sizeof(float));
    for (int kind = 0; kind < 5; kind++)
      for (int ls = 0; ls < 2; ls++) {
        fill(y, z, B, n, kind, 10, &r);
        run(3, n, y, z, ls ? 0.1 : 0.0, XENT_SUM);
        run(B, n, y, z, ls ? 0.1 : 0.0, XENT_SUM_OVER_BATCH_SIZE);
      }
    free(y), free(z);
  }
}

/* Spreads z - m beyond FLT_MAX (decision 6) in the blocks and in the tail of
 * long rows, with zero and non-zero labels on the far logits; and logits of
 * +-1e30. */
static void huge_spreads_in_long_rows_stay_finite_and_right(void) {
  static const size_t lengths[] = {5, 16, 40, 1000};
  for (size_t li = 0; li < 4; li++) {
    size_t n = lengths[li];
    float *y = calloc(2 * n, sizeof(float)), *z = malloc(2 * n * sizeof(float));
    for (size_t j = 0; j < 2 * n; j++) z[j] = (j % 3) ? -3e38f : 1e30f * (float)(j % 5);
    z[n - 1] = 3e38f;     /* the first row's maximum, in its tail */
    z[n + 1] = 2e38f;     /* the second row's, in its first block */
    y[n - 1] = 0.5f;
    y[1] = 0.125f;        /* a label on a logit 6e38 below the maximum */
    y[n + 2] = 0.125f;
    y[2 * n - 1] = 0.0625f;
    for (int ls = 0; ls < 2; ls++) run(2, n, y, z, ls ? 0.05 : 0.0, XENT_SUM);
    free(y), free(z);
  }
}

/* A label of 1 with two labels of 5.9e-8 in the same f32x4 lane: float32
 * addition of that lane would drop both, an error of 1.2e-7 in sum y, and
 * the gradient at the label, (sum y) softmax - y with softmax ~ 1, is just
 * that much: it must come out of exact label sums. */
static void tiny_labels_next_to_a_large_one_keep_the_gradient_exact(void) {
  for (size_t n = 9; n <= 33; n += 8) {
    float *y = calloc(n, sizeof(float)), *z = malloc(n * sizeof(float));
    for (size_t j = 0; j < n; j++) z[j] = j ? -30.0f : 0.0f;
    y[0] = 1.0f;
    y[4] = y[8] = 5.9e-8f;
    run(1, n, y, z, 0.0, XENT_SUM);
    free(y), free(z);
  }
}

int main(void) {
  every_block_tail_and_path_matches_the_reference();
  huge_spreads_in_long_rows_stay_finite_and_right();
  tiny_labels_next_to_a_large_one_keep_the_gradient_exact();
  printf("%s kernels: worst share of the tolerance (1e-6 rel + 1e-7 abs) %.3f (losses), %.3f "
         "(gradients)\n", xent_simd() ? "f32x4" : "scalar", worst[0], worst[1]);
  return check_summary(xent_simd() ? "test_softmax_rows (f32x4)" : "test_softmax_rows (scalar)");
}
