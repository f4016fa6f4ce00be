/* test_new_losses.c: xent_kl_divergence, xent_logits_distillation,
 * xent_categorical_generalized_cross_entropy, xent_poly_loss_cross_entropy and
 * xent_weighted_cross_entropy_with_logits_per_class (docs/semantics.md "New
 * losses") against float64 references written here from their definitions
 * (Keras kl_divergence and LogitsDistillation, Keras generalized CE, Optax
 * poly_loss_cross_entropy, tf.nn weighted CE), losses and analytic gradients,
 * for row lengths 1 to 9 (every f32x4 tail), 16 and 33; extreme inputs stay
 * finite; outputs carry guard floats that must stay untouched. Runs against the
 * scalar and the f32x4 (SIMDe) builds. */
#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "xent.h"

#define EPSF 1.00000001168609742e-07

static double clip01(double v) { return v < EPSF ? EPSF : v > 1.0 ? 1.0 : v; }

static void softmax_d(const float *z, size_t n, double T, double *p) {
  double m = -INFINITY, s = 0.0;
  for (size_t i = 0; i < n; i++) m = fmax(m, z[i] / T);
  for (size_t i = 0; i < n; i++) s += p[i] = exp(z[i] / T - m);
  for (size_t i = 0; i < n; i++) p[i] /= s;
}

static int row_ok(const float *got, const double *want, size_t n, double rel, double abs_tol) {
  int ok = 1;
  for (size_t i = 0; i < n; i++) ok &= check_close(got[i], want[i], rel, abs_tol);
  return ok;
}

static void every_row_length(void) {
  check_rng r = {404};
  const size_t lengths[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 33};
  for (size_t li = 0; li < sizeof lengths / sizeof *lengths; li++) {
    size_t C = lengths[li], B = 2, n = B * C;
    float *y = malloc(n * 4), *p = malloc(n * 4), *z = malloc(n * 4), *t = malloc(n * 4);
    float *q = malloc(C * 4), *g = malloc((n + 4) * 4), losses[2 + 4], loss;
    double *w = malloc(n * 8), pt[64], ps[64], lw[2];
    int32_t labels[2];
    for (size_t i = 0; i < n; i++) {
      y[i] = (float)check_uniform(&r, 0.0, 1.0);
      p[i] = (float)check_uniform(&r, 0.01, 1.0);
      z[i] = (float)check_uniform(&r, -6.0, 6.0);
      t[i] = (float)check_uniform(&r, -6.0, 6.0);
    }
    for (size_t j = 0; j < C; j++) q[j] = (float)check_uniform(&r, 0.2, 5.0);
    for (size_t b = 0; b < B; b++) labels[b] = (int32_t)(check_next(&r) % C);
    xent_options o = XENT_OPTIONS_INIT;
    o.reduction = XENT_SUM;
    for (size_t i = 0; i < n + 4; i++) g[i] = -7.0f;
    losses[2] = losses[3] = -7.0f;

    /* KL: sum y' log(y'/p'), gradient -y'/p'. */
    CHECK(xent_kl_divergence(y, p, B, C, &o, losses, g, &loss, NULL) == XENT_OK, "kl runs");
    for (size_t b = 0; b < B; b++) {
      lw[b] = 0.0;
      for (size_t j = 0; j < C; j++) {
        size_t i = b * C + j;
        lw[b] += clip01(y[i]) * log(clip01(y[i]) / clip01(p[i]));
        w[i] = -clip01(y[i]) / clip01(p[i]);
      }
    }
    CHECK(row_ok(losses, lw, B, 1e-5, 1e-6) && row_ok(g, w, n, 2e-6, 1e-7), "kl C=%zu", C);

    /* Distillation at T = 2: T^2 KL(softmax(t/T), softmax(z/T)), gradient T (s A - t'). */
    o.temperature = 2.0f;
    CHECK(xent_logits_distillation(t, z, B, C, &o, losses, g, &loss, NULL) == XENT_OK, "distillation runs");
    for (size_t b = 0; b < B; b++) {
      softmax_d(t + b * C, C, 2.0, pt);
      softmax_d(z + b * C, C, 2.0, ps);
      double A = 0.0;
      lw[b] = 0.0;
      for (size_t j = 0; j < C; j++) lw[b] += 4.0 * clip01(pt[j]) * log(clip01(pt[j]) / clip01(ps[j]));
      for (size_t j = 0; j < C; j++) A += ps[j] >= EPSF ? clip01(pt[j]) : 0.0;
      for (size_t j = 0; j < C; j++) w[b * C + j] = 2.0 * (ps[j] * A - (ps[j] >= EPSF ? clip01(pt[j]) : 0.0));
    }
    CHECK(row_ok(losses, lw, B, 1e-5, 4e-6) && row_ok(g, w, n, 1e-5, 1e-6), "distillation C=%zu", C);

    /* Generalized CE, probabilities and logits, q = 0.7. */
    o.q = 0.7f;
    for (int logits = 0; logits < 2; logits++) {
      o.from_logits = logits;
      const float *v = logits ? z : p;
      CHECK(xent_categorical_generalized_cross_entropy(labels, v, B, C, &o, losses, g, &loss, NULL) == XENT_OK,
            "gce runs");
      for (size_t b = 0; b < B; b++) {
        if (logits) softmax_d(z + b * C, C, 1.0, ps);
        double py = logits ? ps[labels[b]] : v[b * C + labels[b]], pq = pow(py, 0.7);
        lw[b] = (1.0 - pq) / 0.7;
        for (size_t j = 0; j < C; j++) {
          int at = (size_t)labels[b] == j;
          w[b * C + j] = logits ? pq * (ps[j] - at) : at ? -pq / py : 0.0;
        }
      }
      CHECK(row_ok(losses, lw, B, 1e-5, 1e-6) && row_ok(g, w, n, 1e-5, 1e-6), "gce logits=%d C=%zu", logits, C);
    }

    /* Poly-1, epsilon 1.5: CE + eps sum y (1 - p). */
    o.epsilon = 1.5f;
    CHECK(xent_poly_loss_cross_entropy(y, z, B, C, &o, losses, g, &loss, NULL) == XENT_OK, "poly runs");
    for (size_t b = 0; b < B; b++) {
      softmax_d(z + b * C, C, 1.0, ps);
      double Y = 0.0, YP = 0.0;
      lw[b] = 0.0;
      for (size_t j = 0; j < C; j++) {
        size_t i = b * C + j;
        lw[b] += -y[i] * log(ps[j]) + 1.5 * y[i] * (1.0 - ps[j]);
        Y += y[i];
        YP += y[i] * ps[j];
      }
      for (size_t j = 0; j < C; j++)
        w[b * C + j] = Y * ps[j] - y[b * C + j] + 1.5 * ps[j] * (YP - y[b * C + j]);
    }
    CHECK(row_ok(losses, lw, B, 1e-5, 1e-6) && row_ok(g, w, n, 1e-5, 1e-6), "poly C=%zu", C);

    /* Weighted CE with a pos_weight per class. */
    float *el = malloc((n + 4) * 4);
    el[n] = -7.0f;
    CHECK(xent_weighted_cross_entropy_with_logits_per_class(y, z, B, C, q, el, g, NULL) == XENT_OK,
          "per-class weighted runs");
    int ok = 1;
    for (size_t i = 0; i < n; i++) {
      double x = z[i], zz = y[i], qq = q[i % C];
      double l = (1 - zz) * x + (1 + (qq - 1) * zz) * (log1p(exp(-fabs(x))) + fmax(-x, 0.0));
      double sg = 1.0 / (1.0 + exp(-x));
      ok &= check_close(el[i], l, 1e-5, 1e-6) && check_close(g[i], (1 + (qq - 1) * zz) * sg - qq * zz, 1e-5, 1e-6);
    }
    CHECK(ok && el[n] == -7.0f && g[n] == -7.0f && losses[2] == -7.0f, "per-class weighted C=%zu, guards kept", C);
    free(el), free(y), free(p), free(z), free(t), free(q), free(g), free(w);
  }
}

static void extremes_stay_finite(void) {
  float big[8] = {1e30f, -1e30f, 0.0f, FLT_MAX, -FLT_MAX, FLT_MAX, 1.0f, -1.0f};
  float y[8] = {0.25f, 0.25f, 0.25f, 0.25f, 0.0f, 1.0f, 0.0f, 0.0f};
  float pw[4] = {FLT_MAX, -FLT_MAX, 1.0f, 0.0f}, g[8], l[8], loss;
  int32_t labels[2] = {3, 0};
  xent_options o = XENT_OPTIONS_INIT;
  o.reduction = XENT_SUM;
  int ok = 1;
#define FINITE_ALL(k)                                             \
  for (int i = 0; i < (k); i++) ok &= isfinite(g[i]) && isfinite(l[i % 2]); \
  ok &= isfinite(loss)
  o.epsilon = 1e30f;
  xent_poly_loss_cross_entropy(y, big, 2, 4, &o, l, g, &loss, NULL);
  FINITE_ALL(8);
  o.temperature = 1e-30f;
  float rev[8];
  for (int i = 0; i < 8; i++) rev[i] = big[7 - i];
  xent_logits_distillation(rev, big, 2, 4, &o, l, g, &loss, NULL);
  FINITE_ALL(8);
  o.temperature = FLT_MAX;
  xent_logits_distillation(big, big, 2, 4, &o, l, g, &loss, NULL);
  FINITE_ALL(8);
  o.from_logits = 1, o.q = 1e-30f;
  xent_categorical_generalized_cross_entropy(labels, big, 2, 4, &o, l, g, &loss, NULL);
  FINITE_ALL(8);
  o.from_logits = 0;
  xent_categorical_generalized_cross_entropy(labels, big, 2, 4, &o, l, g, &loss, NULL);
  FINITE_ALL(8);
  xent_kl_divergence(big, rev, 2, 4, &o, l, g, &loss, NULL);
  FINITE_ALL(8);
  xent_weighted_cross_entropy_with_logits_per_class(y, big, 2, 4, pw, l, g, NULL);
  for (int i = 0; i < 8; i++) ok &= isfinite(g[i]) && isfinite(l[i]);
  CHECK(ok, "finite inputs of any size give finite outputs");

  xent_error err = {0};
  o.q = 0.0f;
  CHECK(xent_categorical_generalized_cross_entropy(labels, big, 2, 4, &o, l, g, &loss, &err) == XENT_ERR_OPTION &&
            strcmp(err.arg, "q") == 0,
        "q = 0 is an option error naming q");
  o.temperature = 0.0f;
  CHECK(xent_logits_distillation(big, big, 2, 4, &o, l, g, &loss, &err) == XENT_ERR_OPTION &&
            strcmp(err.arg, "temperature") == 0,
        "a zero temperature is an option error naming it");
  pw[1] = NAN;
  CHECK(xent_weighted_cross_entropy_with_logits_per_class(y, big, 2, 4, pw, l, g, &err) == XENT_ERR_OPTION &&
            err.index == 1,
        "a NaN pos_weight is an option error at its class");
  CHECK(xent_weighted_cross_entropy_with_logits_per_class(y, big, 2, 4, NULL, l, g, &err) == XENT_ERR_NULL,
        "a NULL pos_weight is an error");
}

int main(void) {
  every_row_length();
  extremes_stay_finite();
  return check_summary("test_new_losses");
}
