/* test_sparse.c: xent_sparse_categorical_crossentropy and
 * xent_sparse_softmax_cross_entropy_with_logits (src/sparse.c; docs/semantics.md
 * 2.5, 2.8, 3.4, 4.4, 4.6, 4.9 and decisions 4, 5, 6) against a reference
 * written here from the formulas in long double, central differences of that
 * reference's reduced loss, ignore_class, extreme inputs and every error
 * status. Built twice by CMake: scalar kernels and f32x4 kernels via SIMDe. */
#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "xent.h"

#define EPS 1.00000001168609742e-07    /* 1e-7f as a double */
#define OME 0.99999988079071044921875  /* 1 - 2^-23 */
#define RTOL 1e-6
#define ATOL 1e-7

/* Largest observed errors, for the release note. */
typedef struct { double loss_rel, grad_rel, worst; } stats;
static stats st_logits, st_prob, st_nn;

static void track(stats *s, int grad, double got, double want) {
  double d = fabs(got - want);
  if (fabs(want) >= 1e-4) {
    double r = d / fabs(want);
    if (grad && r > s->grad_rel) s->grad_rel = r;
    if (!grad && r > s->loss_rel) s->loss_rel = r;
  }
  double used = d / (RTOL * fabs(want) + ATOL);
  if (used > s->worst) s->worst = used;
}

/* ---- reference, straight from the formulas ----------------------------------- */

static long double clip(long double p) { return fminl(fmaxl(p, EPS), OME); }

/* Loss of one row with label y; dL/dx into g (may be NULL). */
static long double ref_row(int y, const double *x, size_t n, int logits, double *g) {
  if (logits) {
    long double m = x[0], s = 0;
    for (size_t j = 1; j < n; j++) m = fmaxl(m, x[j]);
    for (size_t j = 0; j < n; j++) s += expl(x[j] - m);
    for (size_t j = 0; g && j < n; j++) g[j] = (double)(expl(x[j] - m) / s - (j == (size_t)y));
    return logl(s) - (x[y] - m);
  }
  long double s = 0;
  for (size_t j = 0; j < n; j++) s += clip(x[j]);
  for (size_t j = 0; g && j < n; j++) {
    int in = x[j] >= EPS && x[j] <= OME;
    g[j] = in ? (double)(1 / s - (j == (size_t)y) / clip(x[j])) : 0;
  }
  return logl(s) - logl(clip(x[y]));
}

typedef struct {
  size_t B, n;
  int logits, red, ignore; /* ignore: 0 none, else the ignore_class is ignore - 2 */
  const float *sw, *cw;
} config;

static int ignored(const config *c, int label) { return c->ignore && label == c->ignore - 2; }

static long double ref_weight(const config *c, const int32_t *y, size_t b) {
  if (ignored(c, y[b])) return 0;
  return (c->sw ? c->sw[b] : 1.0L) * (c->cw ? c->cw[y[b]] : 1.0L);
}

static long double ref_denominator(const config *c, const int32_t *y) {
  if (c->red == XENT_SUM || c->red == XENT_NONE) return 1;
  long double d = 0;
  for (size_t b = 0; b < c->B; b++)
    d += c->red == XENT_MEAN_WITH_SAMPLE_WEIGHT && (c->sw || c->cw) ? ref_weight(c, y, b)
                                                                    : !ignored(c, y[b]);
  return d;
}

/* The reduced loss (sum of weighted losses with XENT_NONE); weighted losses into
 * L and d(reduced)/dx into G when not NULL. */
static long double ref_batch(const config *c, const int32_t *y, const double *x, double *L,
                             double *G) {
  long double den = ref_denominator(c, y), total = 0;
  for (size_t b = 0; b < c->B; b++) {
    double *g = G ? G + b * c->n : NULL;
    if (ignored(c, y[b])) {
      if (L) L[b] = 0;
      for (size_t j = 0; g && j < c->n; j++) g[j] = 0;
      continue;
    }
    long double w = ref_weight(c, y, b), l = ref_row(y[b], x + b * c->n, c->n, c->logits, g);
    if (L) L[b] = (double)(w * l);
    total += w * l;
    for (size_t j = 0; g && j < c->n; j++) g[j] *= den != 0 ? (double)(w / den) : 0;
  }
  return den != 0 ? total / den : 0;
}

/* ---- one comparison run ------------------------------------------------------------ */

static void compare_with_reference(const config *c, const int32_t *y, const float *xf,
                                   size_t fd_points, check_rng *rng) {
  size_t N = c->B * c->n;
  double *x = malloc(N * sizeof(double)), *L = malloc((c->B + 1) * sizeof(double));
  double *G = malloc(N * sizeof(double));
  float *losses = malloc((c->B + 1) * sizeof(float)), *grad = malloc(N * sizeof(float));
  for (size_t k = 0; k < N; k++) x[k] = xf[k];
  xent_options o = {0};
  o.from_logits = c->logits;
  o.reduction = c->red;
  o.has_ignore_class = c->ignore != 0;
  o.ignore_class = c->ignore - 2;
  o.sample_weight = c->sw;
  o.class_weight = c->cw;
  double want = c->red == XENT_NONE ? 0 : (double)ref_batch(c, y, x, L, G);
  if (c->red == XENT_NONE) ref_batch(c, y, x, L, G);
  float loss = -1;
  stats *st = c->logits ? &st_logits : &st_prob;
  CHECK(xent_sparse_categorical_crossentropy(y, xf, c->B, c->n, &o, losses, grad, &loss, NULL) ==
            XENT_OK, "sparse returns ok for n=%zu", c->n);
  CHECK(check_close(loss, want, RTOL, ATOL),
        "the reduced loss matches the reference (n=%zu logits=%d red=%d ignore=%d): %.9g vs %.9g",
        c->n, c->logits, c->red, c->ignore, loss, want);
  track(st, 0, loss, want);
  for (size_t b = 0; b < c->B; b++) {
    CHECK(check_close(losses[b], L[b], RTOL, ATOL),
          "example %zu's loss matches the reference (n=%zu logits=%d): %.9g vs %.9g", b, c->n,
          c->logits, losses[b], L[b]);
    track(st, 0, losses[b], L[b]);
    if (ignored(c, y[b])) {
      int zero = losses[b] == 0;
      for (size_t j = 0; j < c->n; j++) zero &= grad[b * c->n + j] == 0;
      CHECK(zero, "an ignored example has loss 0 and a gradient row of zeros (n=%zu)", c->n);
    }
  }
  for (size_t k = 0; k < N; k++) {
    CHECK(check_close(grad[k], G[k], RTOL, ATOL),
          "gradient %zu matches the reference (n=%zu logits=%d red=%d): %.9g vs %.9g", k, c->n,
          c->logits, c->red, grad[k], G[k]);
    track(st, 1, grad[k], G[k]);
  }
  /* Five-point central differences of the reference's reduced loss; steps keep
   * probabilities inside the clip interval. */
  for (size_t i = 0; i < fd_points && N; i++) {
    size_t k = fd_points >= N ? i : (size_t)(check_next(rng) % N);
    if (!c->logits && (x[k] < 2 * EPS || x[k] > 0.5)) continue;
    double h = c->logits ? 1e-2 : 1e-3 * x[k], x0 = x[k];
    long double f[4];
    static const double at[4] = {-2, -1, 1, 2};
    for (int t = 0; t < 4; t++) {
      x[k] = x0 + at[t] * h;
      f[t] = ref_batch(c, y, x, NULL, NULL);
    }
    x[k] = x0;
    double fd = (double)((f[0] - 8 * f[1] + 8 * f[2] - f[3]) / (12 * h));
    CHECK(check_close(grad[k], fd, RTOL, ATOL),
          "gradient %zu matches central differences (n=%zu logits=%d red=%d): %.9g vs %.9g", k,
          c->n, c->logits, c->red, grad[k], fd);
  }
  free(x), free(L), free(G), free(losses), free(grad);
}

static void every_option_matches_the_reference(void) {
  static const size_t lengths[] = {1, 2, 3, 4, 5, 7, 8, 9, 33, 1000};
  check_rng r = {11};
  for (size_t li = 0; li < sizeof lengths / sizeof *lengths; li++) {
    size_t n = lengths[li], B = 4, N = B * n;
    float *x = malloc(N * sizeof(float)), sw[4] = {0.5f, 0.0f, 1.75f, 1.0f}, cw[1000];
    int32_t y[4];
    for (size_t j = 0; j < n; j++) cw[j] = (float)check_uniform(&r, 0.5, 2);
    for (int logits = 0; logits <= 1; logits++)
      for (int ignore = 0; ignore < 3; ignore++) {
        /* ignore 1: class -1 ignored; ignore 2: class 0 ignored. */
        for (size_t b = 0; b < B; b++) {
          y[b] = (int32_t)(check_next(&r) % n);
          for (size_t j = 0; j < n; j++)
            x[b * n + j] = logits ? (float)check_uniform(&r, -8, 8)
                                  : (float)(check_uniform(&r, 0.01, 1) * 2.0 / n);
        }
        if (ignore == 1) y[1] = -1;
        if (ignore == 2) y[2] = 0;
        for (int red = 0; red < 4; red++)
          for (int wk = 0; wk < 4; wk++) {
            config c = {B, n, logits, red, ignore, (wk & 1) ? sw : NULL, (wk & 2) ? cw : NULL};
            compare_with_reference(&c, y, x, n <= 9 ? N : 8, &r);
          }
      }
    free(x);
  }
}

/* 100000 classes, one dominant: the loss is log(1 + a sum of tiny terms). */
static void long_rows_with_a_near_zero_loss_keep_their_precision(void) {
  size_t n = 100000;
  float *x = malloc(n * sizeof(float));
  int32_t y[1] = {4321};
  check_rng r = {5};
  for (int logits = 0; logits <= 1; logits++) {
    for (size_t j = 0; j < n; j++)
      x[j] = logits ? (float)check_uniform(&r, -20, -17) : (float)check_uniform(&r, 0, 2e-8);
    x[4321] = logits ? 0.0f : 0.999f;
    for (int red = 0; red < 4; red++) {
      config c = {1, n, logits, red, 0, NULL, NULL};
      compare_with_reference(&c, y, x, 16, &r);
    }
  }
  free(x);
}

static void ignored_and_empty_batches_reduce_to_zero(void) {
  int32_t y[3] = {-1, -1, -1};
  float x[6] = {NAN, 1, 2, 3, INFINITY, 5}, losses[3] = {9, 9, 9}, g[6] = {9, 9, 9, 9, 9, 9};
  xent_options o = {0};
  o.has_ignore_class = 1;
  o.ignore_class = -1;
  for (int red = 0; red < 4; red++) {
    float l = 9;
    o.reduction = red;
    CHECK(xent_sparse_categorical_crossentropy(y, x, 3, 2, &o, losses, g, &l, NULL) == XENT_OK &&
              l == 0 && losses[0] == 0 && losses[2] == 0 && g[0] == 0 && g[5] == 0,
          "an all-ignored batch reduces to 0 with zero gradients under reduction %d, even over NaN", red);
  }
  float l = 9;
  CHECK(xent_sparse_categorical_crossentropy(NULL, NULL, 0, 4, NULL, NULL, NULL, &l, NULL) == XENT_OK && l == 0,
        "an empty batch reduces to 0");
}

static void extreme_inputs_stay_finite_and_right(void) {
  float z1[3] = {1e30f, -1e30f, 0.0f}, z2[3] = {90.0f, -90.0f, 0.0f}, z3[2] = {3e38f, -3e38f};
  int32_t y0[1] = {0}, y1[1] = {1};
  xent_options o = {.from_logits = 1, .reduction = XENT_SUM};
  float l, g[3];
  xent_sparse_categorical_crossentropy(y0, z1, 1, 3, &o, NULL, g, &l, NULL);
  CHECK(l == 0 && g[0] == 0 && g[1] == 0 && g[2] == 0, "a right label on a 1e30 logit costs 0");
  xent_sparse_categorical_crossentropy(y1, z1, 1, 3, &o, NULL, g, &l, NULL);
  CHECK(l == 2e30f && g[0] == 1 && g[1] == -1 && g[2] == 0, "a wrong label under +-1e30 costs 2e30: %g", l);
  xent_sparse_categorical_crossentropy(y1, z2, 1, 3, &o, NULL, g, &l, NULL);
  double s = 1 + exp(-180.0) + exp(-90.0);
  CHECK(check_close(l, log(s) + 180, RTOL, ATOL) && check_close(g[0], 1 / s, RTOL, ATOL) &&
            check_close(g[1], exp(-180.0) / s - 1, RTOL, ATOL) && check_close(g[2], exp(-90.0) / s, RTOL, ATOL),
        "logits of +-90 match float64");
  xent_sparse_categorical_crossentropy(y1, z3, 1, 2, &o, NULL, g, &l, NULL);
  CHECK(l == FLT_MAX && g[0] == 1 && g[1] == -1, "a spread beyond FLT_MAX saturates the loss, not Inf");
  xent_sparse_categorical_crossentropy(y0, z3, 1, 2, &o, NULL, g, &l, NULL);
  CHECK(l == 0 && g[0] == 0 && g[1] == 0, "the right label under +-3e38 costs 0");

  o.from_logits = 0;
  float p1[3] = {0, 1, 0}, p0[3] = {0, 0, 0};
  double s1 = 2 * EPS + OME;
  xent_sparse_categorical_crossentropy(y1, p1, 1, 3, &o, NULL, g, &l, NULL);
  CHECK(check_close(l, log(s1) - log(OME), RTOL, ATOL) && g[0] == 0 && g[1] == 0 && g[2] == 0,
        "a certain right prediction costs log(2 eps + 1 - eps) - log(1 - eps), gradient clipped to 0");
  xent_sparse_categorical_crossentropy(y0, p1, 1, 3, &o, NULL, g, &l, NULL);
  CHECK(check_close(l, log(s1) - log(EPS), RTOL, ATOL) && g[0] == 0 && g[1] == 0 && g[2] == 0,
        "a certain wrong prediction costs about 16.118, gradient clipped to 0: %g", l);
  xent_sparse_categorical_crossentropy(y0, p0, 1, 3, &o, NULL, g, &l, NULL);
  CHECK(check_close(l, log(3.0), RTOL, ATOL) && g[0] == 0 && g[1] == 0 && g[2] == 0,
        "an all-zero probability row clips to eps everywhere: loss log C, gradient 0");
}

static void the_tf_nn_op_matches_and_checks_labels(void) {
  static const size_t lengths[] = {1, 2, 3, 4, 5, 7, 8, 9, 33, 1000};
  check_rng r = {19};
  for (size_t li = 0; li < sizeof lengths / sizeof *lengths; li++) {
    size_t n = lengths[li];
    float *x = malloc(2 * n * sizeof(float)), *g = malloc(2 * n * sizeof(float)), losses[2];
    double *xd = malloc(2 * n * sizeof(double)), *gd = malloc(n * sizeof(double));
    int32_t y[2] = {(int32_t)(check_next(&r) % n), (int32_t)(n - 1)};
    for (size_t k = 0; k < 2 * n; k++) x[k] = (float)check_uniform(&r, -30, 30), xd[k] = x[k];
    CHECK(xent_sparse_softmax_cross_entropy_with_logits(y, x, 2, n, losses, g, NULL) == XENT_OK, "ok");
    for (size_t b = 0; b < 2; b++) {
      double want = (double)ref_row(y[b], xd + b * n, n, 1, gd);
      CHECK(check_close(losses[b], want, RTOL, ATOL), "tf.nn sparse loss matches (n=%zu)", n);
      track(&st_nn, 0, losses[b], want);
      for (size_t j = 0; j < n; j++) {
        CHECK(check_close(g[b * n + j], gd[j], RTOL, ATOL),
              "tf.nn sparse gradient is softmax - onehot (n=%zu): %.9g vs %.9g", n, g[b * n + j], gd[j]);
        track(&st_nn, 1, g[b * n + j], gd[j]);
      }
    }
    free(x), free(g), free(xd), free(gd);
  }
}

static void bad_arguments_are_reported_and_nothing_is_written(void) {
  int32_t y[3] = {0, 3, -2};
  float p[6] = {0.2f, 0.8f, 0.6f, 0.4f, 0.5f, 0.5f}, losses[3] = {-7, -7, -7}, g[6] = {-7, -7, -7, -7, -7, -7};
  float l = -7;
  xent_error err = {0};
  xent_options o = {0};
  CHECK(xent_sparse_categorical_crossentropy(NULL, p, 3, 2, &o, losses, g, &l, &err) == XENT_ERR_NULL &&
            strcmp(err.arg, "y_true") == 0, "a NULL y_true is named");
  CHECK(xent_sparse_categorical_crossentropy(y, NULL, 3, 2, &o, losses, g, &l, &err) == XENT_ERR_NULL &&
            strcmp(err.arg, "y_pred") == 0, "a NULL y_pred is named");
  CHECK(xent_sparse_categorical_crossentropy(y, p, 3, 0, &o, losses, g, &l, &err) == XENT_ERR_SHAPE &&
            strcmp(err.arg, "classes") == 0, "zero classes is a shape error");
  CHECK(xent_sparse_categorical_crossentropy(y, p, 3, 2, &o, losses, g, &l, &err) == XENT_ERR_LABEL &&
            strcmp(err.arg, "y_true") == 0 && err.index == 1 && err.value == 3,
        "label 3 of 2 classes is reported with its example index 1 and value 3");
  o.has_ignore_class = 1;
  o.ignore_class = 3;
  CHECK(xent_sparse_categorical_crossentropy(y, p, 3, 2, &o, losses, g, &l, &err) == XENT_ERR_LABEL &&
            err.index == 2 && err.value == -2, "a negative label that is not the ignore_class is an error");
  o.has_ignore_class = 0;
  y[1] = 1, y[2] = 0;
  o.reduction = -1;
  CHECK(xent_sparse_categorical_crossentropy(y, p, 3, 2, &o, losses, g, &l, &err) == XENT_ERR_OPTION &&
            strcmp(err.arg, "reduction") == 0, "an unknown reduction is an option error");
  o.reduction = 0;
  o.label_smoothing = 0.1f;
  CHECK(xent_sparse_categorical_crossentropy(y, p, 3, 2, &o, losses, g, &l, &err) == XENT_ERR_OPTION &&
            strcmp(err.arg, "label_smoothing") == 0, "label_smoothing is refused for sparse labels, as in Keras");
  CHECK(losses[0] == -7 && losses[2] == -7 && g[0] == -7 && g[5] == -7 && l == -7,
        "a failed call writes no output");
  y[2] = 2;
  CHECK(xent_sparse_softmax_cross_entropy_with_logits(y, p, 3, 2, losses, g, &err) == XENT_ERR_LABEL &&
            strcmp(err.arg, "labels") == 0 && err.index == 2 && err.value == 2 && losses[0] == -7 && g[0] == -7,
        "tf.nn: an out-of-range label is an error naming labels, its index and value, before any write");
  CHECK(xent_sparse_softmax_cross_entropy_with_logits(NULL, p, 3, 2, losses, g, &err) == XENT_ERR_NULL &&
            strcmp(err.arg, "labels") == 0, "tf.nn: a NULL labels is named");
  CHECK(xent_sparse_softmax_cross_entropy_with_logits(y, NULL, 3, 2, losses, g, &err) == XENT_ERR_NULL &&
            strcmp(err.arg, "logits") == 0, "tf.nn: a NULL logits is named");
  CHECK(xent_sparse_softmax_cross_entropy_with_logits(y, p, 3, 0, losses, g, &err) == XENT_ERR_SHAPE,
        "tf.nn: zero classes is a shape error");
}

static void print_stats(const char *name, const stats *s) {
  printf("  %-46s max rel err loss %.3g, gradient %.3g (|ref| >= 1e-4); worst %.2f of the tolerance\n",
         name, s->loss_rel, s->grad_rel, s->worst);
}

int main(void) {
  every_option_matches_the_reference();
  long_rows_with_a_near_zero_loss_keep_their_precision();
  ignored_and_empty_batches_reduce_to_zero();
  extreme_inputs_stay_finite_and_right();
  the_tf_nn_op_matches_and_checks_labels();
  bad_arguments_are_reported_and_nothing_is_written();
  printf("%s kernels:\n", xent_simd() ? "f32x4" : "scalar");
  print_stats("sparse_categorical_crossentropy (logits)", &st_logits);
  print_stats("sparse_categorical_crossentropy (probabilities)", &st_prob);
  print_stats("sparse_softmax_cross_entropy_with_logits", &st_nn);
  return check_summary(xent_simd() ? "test_sparse (f32x4)" : "test_sparse (scalar)");
}
