/* test_categorical.c: xent_categorical_crossentropy and
 * xent_softmax_cross_entropy_with_logits (src/categorical.c, logits rows in
 * src/softmax.c; docs/semantics.md 2.4, 3.3, 4.4, 4.5 and decisions 1, 3, 6)
 * against a float64 reference written here from the formulas, central finite
 * differences of that reference's reduced loss, extreme inputs and every error
 * status. Built twice by CMake: scalar kernels and f32x4 kernels through
 * SIMDe. */
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
static stats st_cce_logits, st_cce_prob, st_nn;

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

/* ---- float64 reference, straight from the formulas --------------------------- */

/* Loss of one row; dL/dx into g (may be NULL). x holds logits or probabilities.
 * Computed in long double (at least float64) so that central differences stay
 * clean on 100000 classes and on tiny probabilities. */
static long double ref_row(const double *y0, const double *x, size_t n, double ls, int logits,
                           double *g) {
  long double sy = 0, loss = 0;
  long double *y = malloc(n * sizeof(long double));
  for (size_t j = 0; j < n; j++) {
    y[j] = y0[j] * (1 - (long double)ls) + ls / (long double)n;
    sy += y[j];
  }
  if (logits) {
    long double m = x[0], s = 0;
    for (size_t j = 1; j < n; j++) m = fmaxl(m, x[j]);
    for (size_t j = 0; j < n; j++) s += expl(x[j] - m);
    for (size_t j = 0; j < n; j++) loss += y[j] * (logl(s) - (x[j] - m));
    for (size_t j = 0; g && j < n; j++) g[j] = (double)(sy * expl(x[j] - m) / s - y[j]);
  } else {
    long double sp = 0, t = 0;
    for (size_t j = 0; j < n; j++) sp += x[j];
    for (size_t j = 0; j < n; j++) {
      long double q = sp != 0 ? x[j] / sp : 0, qc = fminl(fmaxl(q, EPS), OME);
      loss -= y[j] * logl(qc);
      if (q >= EPS && q <= OME) t += y[j] * q / qc;
    }
    for (size_t j = 0; g && j < n; j++) {
      long double q = sp != 0 ? x[j] / sp : 0, qc = fminl(fmaxl(q, EPS), OME);
      long double in = (q >= EPS && q <= OME) ? 1 : 0;
      g[j] = sp != 0 ? (double)((-in * y[j] / qc + t) / sp) : 0;
    }
  }
  free(y);
  return loss;
}

typedef struct {
  size_t B, n;
  int logits, red;
  double ls;
  const float *sw, *cw;
} config;

static double ref_weight(const config *c, const double *y, size_t b) {
  double w = c->sw ? c->sw[b] : 1;
  if (c->cw) { /* the class is the argmax of y_true; with one column, y_true rounded half to even */
    size_t best = 0;
    for (size_t j = 1; j < c->n; j++)
      if (y[b * c->n + j] > y[b * c->n + best]) best = j;
    if (c->n == 1) best = rint(y[b]) == 1.0;
    w *= c->cw[best];
  }
  return w;
}

static double ref_denominator(const config *c, const double *y) {
  if (c->red == XENT_SUM || c->red == XENT_NONE) return 1;
  if (c->red == XENT_SUM_OVER_BATCH_SIZE || (!c->sw && !c->cw)) return (double)c->B;
  double d = 0;
  for (size_t b = 0; b < c->B; b++) d += ref_weight(c, y, b);
  return d;
}

/* The reduced loss (sum of weighted losses with XENT_NONE); per-example weighted
 * losses into L and d(reduced)/dx into G when not NULL. */
static long double ref_batch(const config *c, const double *y, const double *x, double *L,
                             double *G) {
  long double den = ref_denominator(c, y), total = 0;
  for (size_t b = 0; b < c->B; b++) {
    long double w = ref_weight(c, y, b);
    long double l = ref_row(y + b * c->n, x + b * c->n, c->n, c->ls, c->logits, G ? G + b * c->n : NULL);
    if (L) L[b] = (double)(w * l);
    total += w * l;
    for (size_t j = 0; G && j < c->n; j++) G[b * c->n + j] *= den != 0 ? (double)(w / den) : 0;
  }
  return den != 0 ? total / den : 0;
}

/* ---- one comparison run --------------------------------------------------------- */

static void compare_with_reference(const config *c, const float *yf, const float *xf,
                                   size_t fd_points, check_rng *rng) {
  size_t N = c->B * c->n;
  double *y = malloc(N * sizeof(double)), *x = malloc(N * sizeof(double));
  double *L = malloc((c->B + 1) * sizeof(double)), *G = malloc(N * sizeof(double));
  float *losses = malloc((c->B + 1) * sizeof(float)), *grad = malloc(N * sizeof(float));
  float *losses2 = malloc((c->B + 1) * sizeof(float));
  for (size_t k = 0; k < N; k++) y[k] = yf[k], x[k] = xf[k];
  xent_options o = {0};
  o.from_logits = c->logits;
  o.label_smoothing = (float)c->ls;
  o.reduction = c->red;
  o.sample_weight = c->sw;
  o.class_weight = c->cw;
  double want = (double)ref_batch(c, y, x, L, G);
  float loss = -1, loss2 = -1;
  stats *st = c->logits ? &st_cce_logits : &st_cce_prob;
  xent_status s = xent_categorical_crossentropy(yf, xf, c->B, c->n, &o, losses, grad, &loss, NULL);
  CHECK(s == XENT_OK, "categorical returns ok for n=%zu", c->n);
  if (c->red == XENT_NONE) want = 0;
  CHECK(check_close(loss, want, RTOL, ATOL),
        "the reduced loss matches float64 (n=%zu logits=%d ls=%g red=%d): %.9g vs %.9g", c->n,
        c->logits, c->ls, c->red, loss, want);
  track(st, 0, loss, want);
  for (size_t b = 0; b < c->B; b++) {
    CHECK(check_close(losses[b], L[b], RTOL, ATOL),
          "example %zu's loss matches float64 (n=%zu logits=%d ls=%g): %.9g vs %.9g", b, c->n,
          c->logits, c->ls, losses[b], L[b]);
    track(st, 0, losses[b], L[b]);
  }
  for (size_t k = 0; k < N; k++) {
    CHECK(check_close(grad[k], G[k], RTOL, ATOL),
          "gradient %zu matches float64 (n=%zu logits=%d ls=%g red=%d): %.9g vs %.9g", k, c->n,
          c->logits, c->ls, c->red, grad[k], G[k]);
    track(st, 1, grad[k], G[k]);
  }
  /* The same call without a gradient gives the same losses, bit for bit. */
  xent_categorical_crossentropy(yf, xf, c->B, c->n, &o, losses2, NULL, &loss2, NULL);
  CHECK(memcmp(losses, losses2, c->B * sizeof(float)) == 0 && loss == loss2,
        "losses do not depend on whether a gradient is asked for (n=%zu)", c->n);
  /* Five-point central differences of the reference's reduced loss. Logit steps
   * are absolute; probability steps relative, and a quarter of the value for
   * clipped ones so that no step crosses a clip bound. */
  for (size_t i = 0; i < fd_points && N; i++) {
    size_t k = fd_points >= N ? i : (size_t)(check_next(rng) % N);
    double sp = 0;
    for (size_t j = k - k % c->n; j < k - k % c->n + c->n; j++) sp += x[j];
    double q = x[k] / sp;
    if (!c->logits && (x[k] == 0 || (q >= EPS / 2 && q <= 2 * EPS) || (q > 0.99 && q < 1))) continue;
    double h = c->logits ? 1e-2 : q < EPS ? 0.25 * fabs(x[k]) : 1e-3 * fabs(x[k]), x0 = x[k];
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
  free(y), free(x), free(L), free(G), free(losses), free(grad), free(losses2);
}

static void fill_labels(float *y, size_t n, int kind, check_rng *r) {
  double sum = 0;
  for (size_t j = 0; j < n; j++) {
    y[j] = kind == 0 ? 0.0f : kind == 1 ? (float)check_uniform(r, 0.01, 1) : (check_next(r) & 1) ? 1.0f : 0.0f;
    sum += y[j];
  }
  if (kind == 0) y[check_next(r) % n] = 1.0f;
  if (kind == 1)
    for (size_t j = 0; j < n; j++) y[j] = (float)(y[j] / sum);
  if (kind == 2 && n > 1) y[0] = y[n - 1] = 1.0f; /* multi-hot: labels sum above 1 */
}

static void every_option_matches_the_float64_reference(void) {
  static const size_t lengths[] = {1, 2, 3, 4, 5, 7, 8, 9, 33, 1000};
  check_rng r = {42};
  for (size_t li = 0; li < sizeof lengths / sizeof *lengths; li++) {
    size_t n = lengths[li], B = 3, N = B * n;
    float *y = malloc(N * sizeof(float)), *x = malloc(N * sizeof(float));
    float sw[3] = {0.5f, 0.0f, 1.75f}, cw[1000];
    for (size_t j = 0; j < n || j < 2; j++) cw[j] = (float)check_uniform(&r, 0.5, 2);
    for (int logits = 0; logits <= 1; logits++)
      for (int kind = 0; kind < 3; kind++) {
        for (size_t b = 0; b < B; b++) {
          fill_labels(y + b * n, n, kind, &r);
          double scale = check_uniform(&r, 0.5, 2);
          for (size_t j = 0; j < n; j++)
            x[b * n + j] = logits ? (float)check_uniform(&r, -8, 8)
                                  : (float)(scale * check_uniform(&r, 0.01, 1) / n);
        }
        for (int ls = 0; ls < 2; ls++)
          for (int red = 0; red < 4; red++)
            for (int wk = 0; wk < 4; wk++) {
              config c = {B, n, logits, red, ls ? 0.2 : 0.0, (wk & 1) ? sw : NULL,
                          (wk & 2) ? cw : NULL};
              compare_with_reference(&c, y, x, n <= 9 ? N : 8, &r);
            }
      }
    free(y), free(x);
  }
}

/* With the default reduction over a large batch, the gradient's scale is small
 * and pass 3 runs in float32: it must stay within the same tolerance. */
static void large_batches_keep_the_gradient_tolerance(void) {
  static const size_t lengths[] = {3, 33, 1000};
  check_rng r = {99};
  for (size_t li = 0; li < 3; li++) {
    size_t n = lengths[li], B = 64, N = B * n;
    float *y = malloc(N * sizeof(float)), *x = malloc(N * sizeof(float));
    for (int kind = 0; kind < 3; kind++) {
      for (size_t b = 0; b < B; b++) {
        fill_labels(y + b * n, n, kind, &r);
        for (size_t j = 0; j < n; j++) x[b * n + j] = (float)check_uniform(&r, -6, 6);
      }
      for (int ls = 0; ls < 2; ls++) {
        config c = {B, n, 1, XENT_SUM_OVER_BATCH_SIZE, ls ? 0.1 : 0.0, NULL, NULL};
        compare_with_reference(&c, y, x, 8, &r);
      }
    }
    free(y), free(x);
  }
}

/* 100000 classes, one dominant: S = 1 + a sum of tiny terms that float
 * accumulation would lose. */
static void long_rows_with_a_near_zero_loss_keep_their_precision(void) {
  size_t n = 100000;
  float *y = calloc(n, sizeof(float)), *x = malloc(n * sizeof(float));
  check_rng r = {7};
  y[123] = 1.0f;
  for (int logits = 0; logits <= 1; logits++) {
    for (size_t j = 0; j < n; j++)
      x[j] = logits ? (float)check_uniform(&r, -20, -17) : (float)check_uniform(&r, 0, 2e-8);
    x[123] = logits ? 0.0f : 0.999f;
    for (int red = 0; red < 4; red++) {
      config c = {1, n, logits, red, 0.0, NULL, NULL};
      compare_with_reference(&c, y, x, 16, &r);
    }
  }
  float l;
  x[123] = 0.0f;
  for (size_t j = 0; j < n; j++) x[j] = j == 123 ? 0.0f : (float)check_uniform(&r, -20, -17);
  xent_options o = {.from_logits = 1, .reduction = XENT_NONE};
  xent_categorical_crossentropy(y, x, 1, n, &o, &l, NULL, NULL, NULL);
  double s = 0;
  for (size_t j = 0; j < n; j++) s += j == 123 ? 0 : exp((double)x[j]);
  CHECK(l > 0 && check_close(l, log1p(s), 1e-6, 0),
        "a 100000-class loss near %.3g is right to 1e-6 relative: %.9g vs %.9g", log1p(s), l, log1p(s));
  free(y), free(x);
}

static void extreme_inputs_stay_finite_and_right(void) {
  /* logits of +-1e30, +-90, and spreads beyond FLT_MAX (decision 6). */
  float z1[3] = {1e30f, -1e30f, 0.0f}, z2[3] = {90.0f, -90.0f, 0.0f};
  float z3[2] = {3e38f, -3e38f};
  float onehot0[3] = {1, 0, 0}, onehot1[3] = {0, 1, 0}, half[2] = {0.5f, 0.5f}, zero[2] = {0, 1};
  xent_options o = {.from_logits = 1, .reduction = XENT_SUM};
  float l, g[3];
  xent_categorical_crossentropy(onehot0, z1, 1, 3, &o, NULL, g, &l, NULL);
  CHECK(l == 0.0f && g[0] == 0.0f && g[1] == 0.0f && g[2] == 0.0f,
        "a right label on a logit of 1e30 costs 0 with gradient 0");
  xent_categorical_crossentropy(onehot1, z1, 1, 3, &o, NULL, g, &l, NULL);
  CHECK(l == 2e30f && g[0] == 1.0f && g[1] == -1.0f && g[2] == 0.0f,
        "a wrong label under logits of +-1e30 costs the spread 2e30, gradient softmax - y: %g", l);
  xent_categorical_crossentropy(onehot1, z2, 1, 3, &o, NULL, g, &l, NULL);
  double s = 1 + exp(-180.0) + exp(-90.0);
  CHECK(check_close(l, log(s) + 180, RTOL, ATOL) && check_close(g[0], 1 / s, RTOL, ATOL) &&
            check_close(g[1], exp(-180.0) / s - 1, RTOL, ATOL),
        "logits of +-90 give the float64 loss %g", l);
  xent_categorical_crossentropy(half, z3, 1, 2, &o, NULL, g, &l, NULL);
  CHECK(check_close(l, 3e38, RTOL, 0) && g[0] == 0.5f && g[1] == -0.5f,
        "logits +-3e38 (spread beyond FLT_MAX) give a finite loss 0.5 * 6e38: %g", l);
  xent_categorical_crossentropy(zero, z3, 1, 2, &o, NULL, g, &l, NULL);
  CHECK(l == FLT_MAX && g[0] == 1.0f && g[1] == -1.0f,
        "a loss beyond float range saturates to FLT_MAX, not Inf: %g", l);
  xent_categorical_crossentropy(onehot0, z3, 1, 2, &o, NULL, g, &l, NULL);
  CHECK(l == 0.0f && g[0] == 0.0f && g[1] == 0.0f,
        "a zero label times a spread beyond FLT_MAX contributes 0, not NaN");

  /* probabilities of exactly 0 and 1, and an all-zero row (decision 3). */
  o.from_logits = 0;
  float p1[3] = {0, 1, 0}, p0[3] = {0, 0, 0};
  xent_categorical_crossentropy(onehot1, p1, 1, 3, &o, NULL, g, &l, NULL);
  CHECK(check_close(l, -log(OME), 1e-6, 0) && g[0] == 0 && g[1] == 0 && g[2] == 0,
        "a certain right prediction costs -log(1 - 2^-23) with the gradient clipped to 0");
  xent_categorical_crossentropy(onehot0, p1, 1, 3, &o, NULL, g, &l, NULL);
  CHECK(check_close(l, -log(EPS), 1e-6, 0) && g[0] == 0 && g[1] == 0 && g[2] == 0,
        "a certain wrong prediction costs -log(1e-7) = 16.118 with the gradient clipped to 0");
  float soft[3] = {0.25f, 0.5f, 0.75f};
  xent_categorical_crossentropy(soft, p0, 1, 3, &o, NULL, g, &l, NULL);
  CHECK(check_close(l, -log(EPS) * 1.5, 1e-6, 0) && g[0] == 0 && g[1] == 0 && g[2] == 0,
        "an all-zero probability row costs -log(eps) sum(y), gradient 0 (Keras: NaN)");
  float one[1] = {1}, p_one[1] = {0.3f};
  xent_categorical_crossentropy(one, p_one, 1, 1, &o, NULL, g, &l, NULL);
  CHECK(check_close(l, -log(OME), 1e-6, 0) && g[0] == 0,
        "one class on probabilities normalises to 1 and clips to 1 - 2^-23");
  o.from_logits = 1;
  xent_categorical_crossentropy(one, p_one, 1, 1, &o, NULL, g, &l, NULL);
  CHECK(l == 0 && g[0] == 0, "one class from logits costs 0 with gradient 0");
}

static void the_tf_nn_op_is_unreduced_with_exact_gradients(void) {
  static const size_t lengths[] = {1, 2, 3, 4, 5, 7, 8, 9, 33, 1000};
  check_rng r = {3};
  for (size_t li = 0; li < sizeof lengths / sizeof *lengths; li++) {
    size_t n = lengths[li], B = 2, N = B * n;
    float *y = malloc(N * sizeof(float)), *x = malloc(N * sizeof(float)), *g = malloc(N * sizeof(float));
    double *yd = malloc(N * sizeof(double)), *xd = malloc(N * sizeof(double)), *gd = malloc(n * sizeof(double));
    fill_labels(y, n, 2, &r);
    fill_labels(y + n, n, 1, &r);
    for (size_t k = 0; k < N; k++) x[k] = (float)check_uniform(&r, -30, 30), yd[k] = y[k], xd[k] = x[k];
    float losses[2];
    CHECK(xent_softmax_cross_entropy_with_logits(y, x, B, n, losses, g, NULL) == XENT_OK, "ok");
    for (size_t b = 0; b < B; b++) {
      double want = (double)ref_row(yd + b * n, xd + b * n, n, 0, 1, gd);
      CHECK(check_close(losses[b], want, RTOL, ATOL), "tf.nn softmax loss %zu matches (n=%zu)", b, n);
      track(&st_nn, 0, losses[b], want);
      for (size_t j = 0; j < n; j++) {
        CHECK(check_close(g[b * n + j], gd[j], RTOL, ATOL),
              "tf.nn softmax gradient is (sum y) softmax - y (n=%zu): %.9g vs %.9g", n, g[b * n + j], gd[j]);
        track(&st_nn, 1, g[b * n + j], gd[j]);
      }
    }
    free(y), free(x), free(g), free(yd), free(xd), free(gd);
  }
}

static void bad_arguments_are_reported_and_nothing_is_written(void) {
  float y[4] = {0, 1, 1, 0}, p[4] = {0.2f, 0.8f, 0.6f, 0.4f}, losses[2] = {-7, -7}, g[4] = {-7, -7, -7, -7}, l = -7;
  xent_error err = {0};
  xent_options o = {0};
  CHECK(xent_categorical_crossentropy(NULL, p, 2, 2, &o, losses, g, &l, &err) == XENT_ERR_NULL &&
            strcmp(err.arg, "y_true") == 0, "a NULL y_true is a NULL error naming y_true");
  CHECK(xent_categorical_crossentropy(y, NULL, 2, 2, &o, losses, g, &l, &err) == XENT_ERR_NULL &&
            strcmp(err.arg, "y_pred") == 0, "a NULL y_pred is a NULL error naming y_pred");
  CHECK(xent_categorical_crossentropy(y, p, 2, 0, &o, losses, g, &l, &err) == XENT_ERR_SHAPE &&
            strcmp(err.arg, "classes") == 0, "zero classes is a shape error");
  o.reduction = 9;
  CHECK(xent_categorical_crossentropy(y, p, 2, 2, &o, losses, g, &l, &err) == XENT_ERR_OPTION &&
            strcmp(err.arg, "reduction") == 0 && err.value == 9, "an unknown reduction is an option error");
  o.reduction = 0;
  float bad[3] = {-0.01f, 1.01f, NAN};
  for (int i = 0; i < 3; i++) {
    o.label_smoothing = bad[i];
    CHECK(xent_categorical_crossentropy(y, p, 2, 2, &o, losses, g, &l, &err) == XENT_ERR_OPTION &&
              strcmp(err.arg, "label_smoothing") == 0, "label_smoothing %g outside [0, 1] is rejected", bad[i]);
  }
  CHECK(losses[0] == -7 && losses[1] == -7 && g[0] == -7 && g[3] == -7 && l == -7,
        "a failed call writes no output");
  CHECK(xent_softmax_cross_entropy_with_logits(NULL, p, 2, 2, losses, g, &err) == XENT_ERR_NULL &&
            strcmp(err.arg, "labels") == 0, "tf.nn: a NULL labels is named");
  CHECK(xent_softmax_cross_entropy_with_logits(y, NULL, 2, 2, losses, g, &err) == XENT_ERR_NULL &&
            strcmp(err.arg, "logits") == 0, "tf.nn: a NULL logits is named");
  CHECK(xent_softmax_cross_entropy_with_logits(y, p, 2, 0, losses, g, &err) == XENT_ERR_SHAPE,
        "tf.nn: zero classes is a shape error");
  l = -7;
  CHECK(xent_categorical_crossentropy(NULL, NULL, 0, 5, NULL, NULL, NULL, &l, NULL) == XENT_OK && l == 0,
        "an empty batch reduces to 0");
}

static void print_stats(const char *name, const stats *s) {
  printf("  %-40s max rel err loss %.3g, gradient %.3g (|ref| >= 1e-4); worst %.2f of the tolerance\n",
         name, s->loss_rel, s->grad_rel, s->worst);
}

int main(void) {
  every_option_matches_the_float64_reference();
  large_batches_keep_the_gradient_tolerance();
  long_rows_with_a_near_zero_loss_keep_their_precision();
  extreme_inputs_stay_finite_and_right();
  the_tf_nn_op_is_unreduced_with_exact_gradients();
  bad_arguments_are_reported_and_nothing_is_written();
  printf("%s kernels:\n", xent_simd() ? "f32x4" : "scalar");
  print_stats("categorical_crossentropy (logits)", &st_cce_logits);
  print_stats("categorical_crossentropy (probabilities)", &st_cce_prob);
  print_stats("softmax_cross_entropy_with_logits", &st_nn);
  return check_summary(xent_simd() ? "test_categorical (f32x4)" : "test_categorical (scalar)");
}
