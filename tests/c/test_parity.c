/* test_parity.c: the Keras 3 reduction details of docs/semantics.md ("Keras
 * behaviours that surprise") at the C API: the mask (an example masked out has
 * loss 0, gradient 0 and leaves both means), sample_weight_repeat (the
 * "mean_with_sample_weight" divisor is the sum of the weights as the caller
 * gave them before broadcasting: keras/src/losses/loss.py reduce_values), and
 * categorical focal alpha_per_class. Each against a float64 reference written
 * here from the Keras formulas; runs against the scalar and the f32x4 (SIMDe)
 * builds. */
#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "xent.h"

#define B 6
#define C 5

/* Keras categorical_crossentropy on probabilities: q = clip(p / sum p), -sum y log q. */
static double ref_cce_row(const float *y, const float *p, double *g) {
  double s = 0.0, l = 0.0, K = 0.0;
  for (int j = 0; j < C; j++) s += p[j];
  for (int j = 0; j < C; j++) {
    double q = p[j] / s;
    double qc = fmin(fmax(q, (double)1.00000001168609742e-07f), 0.99999988079071044921875);
    l -= y[j] * log(qc);
  }
  /* d/dp_i of -sum_j y_j log(p_j / s) (no class clipped here): -y_i / p_i + sum(y) / s. */
  for (int j = 0; j < C; j++) K += y[j];
  for (int j = 0; j < C; j++) g[j] = -y[j] / p[j] + K / s;
  return l;
}

static void mask_and_repeat_follow_keras(void) {
  check_rng r = {2026};
  float y[B * C], p[B * C], sw[B];
  uint8_t mask[B] = {1, 0, 1, 1, 0, 1};
  for (int i = 0; i < B * C; i++) p[i] = (float)check_uniform(&r, 0.05, 1.0);
  for (int b = 0; b < B; b++) {
    int k = (int)(check_next(&r) % C);
    for (int j = 0; j < C; j++) y[b * C + j] = j == k ? 1.0f : 0.0f;
  }
  /* Three weights given as [3, 1], broadcast over "time" 2: examples 2b, 2b+1 share weight b. */
  const float given[3] = {0.5f, 2.0f, 1.25f};
  for (int b = 0; b < B; b++) sw[b] = given[b / 2];
  double L[B], G[B][C];
  for (int b = 0; b < B; b++) L[b] = ref_cce_row(y + b * C, p + b * C, G[b]);

  for (int use_mask = 0; use_mask < 2; use_mask++)
    for (int red = 0; red < 4; red++) {
      xent_options o = XENT_OPTIONS_INIT;
      o.reduction = red;
      o.sample_weight = sw;
      o.sample_weight_repeat = 2;
      o.mask = use_mask ? mask : NULL;
      float losses[B], grad[B * C], loss = -1.0f;
      xent_status s = xent_categorical_crossentropy(y, p, B, C, &o, losses, grad, &loss, NULL);
      CHECK(s == XENT_OK, "status %d", (int)s);
      /* Keras: values = L w m; "sum_over_batch_size" divides by the kept count
       * (apply_mask's total/valid weight); "mean_with_sample_weight" by the sum
       * of the given weights (3 of them) without a mask, by sum(w m) over the
       * broadcast weights with one (apply_mask multiplies first). */
      double sum = 0.0, wsum_given = 0.0, wm = 0.0, valid = 0.0;
      for (int b = 0; b < B; b++) {
        double m = use_mask ? mask[b] : 1.0;
        sum += L[b] * sw[b] * m;
        wm += sw[b] * m;
        valid += m;
      }
      for (int k = 0; k < 3; k++) wsum_given += given[k];
      double den = red == XENT_SUM_OVER_BATCH_SIZE ? valid
                   : red == XENT_MEAN_WITH_SAMPLE_WEIGHT ? (use_mask ? wm : wsum_given)
                                                         : 1.0;
      int ok = 1;
      for (int b = 0; b < B; b++) {
        double m = use_mask ? mask[b] : 1.0;
        ok &= check_close(losses[b], L[b] * sw[b] * m, 2e-6, 1e-7);
        for (int j = 0; j < C; j++)
          ok &= check_close(grad[b * C + j], G[b][j] * sw[b] * m / den, 2e-5, 1e-6);
      }
      CHECK(ok, "mask %d reduction %d: losses and gradient follow Keras", use_mask, red);
      if (red != XENT_NONE)
        CHECK(check_close(loss, sum / den, 2e-6, 1e-7), "mask %d reduction %d: loss %.9g vs %.9g",
              use_mask, red, (double)loss, sum / den);
    }

  xent_options bad = XENT_OPTIONS_INIT;
  bad.sample_weight_repeat = -1;
  xent_error err = {0};
  float loss;
  CHECK(xent_categorical_crossentropy(y, p, B, C, &bad, NULL, NULL, &loss, &err) == XENT_ERR_OPTION &&
            strcmp(err.arg, "sample_weight_repeat") == 0,
        "a negative repeat is an option error naming it");
  int32_t labels[B] = {0, 1, 2, 3, 4, 0};
  xent_options ms = XENT_OPTIONS_INIT;
  ms.mask = mask;
  float l2[B];
  CHECK(xent_sparse_categorical_crossentropy(labels, p, B, C, &ms, l2, NULL, &loss, NULL) == XENT_OK &&
            l2[1] == 0.0f && l2[4] == 0.0f,
        "sparse labels take the mask too");
}

/* Keras categorical_focal_crossentropy with alpha a list broadcast along the class axis. */
static void focal_alpha_per_class(void) {
  check_rng r = {7};
  float y[B * C], p[B * C], alpha[C] = {0.1f, 0.9f, 0.25f, 0.5f, 1.0f};
  for (int i = 0; i < B * C; i++) {
    p[i] = (float)check_uniform(&r, 0.05, 1.0);
    y[i] = (float)check_uniform(&r, 0.0, 1.0);
  }
  xent_options o = XENT_OPTIONS_INIT;
  o.alpha_per_class = alpha;
  o.reduction = XENT_SUM;
  float losses[B], loss;
  CHECK(xent_categorical_focal_crossentropy(y, p, B, C, &o, losses, NULL, &loss, NULL) == XENT_OK,
        "focal with alpha_per_class runs");
  int ok = 1;
  for (int b = 0; b < B; b++) {
    double s = 0.0, l = 0.0;
    for (int j = 0; j < C; j++) s += p[b * C + j];
    for (int j = 0; j < C; j++) {
      double q = fmin(fmax(p[b * C + j] / s, 1e-7), 1.0 - 1.1920928955078125e-07);
      l += alpha[j] * (1.0 - q) * (1.0 - q) * -y[b * C + j] * log(q);
    }
    ok &= check_close(losses[b], l, 5e-6, 1e-7);
  }
  CHECK(ok, "per-class alpha weighs each class term");
  alpha[2] = 1.5f;
  xent_error err = {0};
  CHECK(xent_categorical_focal_crossentropy(y, p, B, C, &o, losses, NULL, &loss, &err) ==
                XENT_ERR_OPTION && err.index == 2,
        "an alpha outside [0, 1] is an option error at its class");
  alpha[2] = 0.25f;
  CHECK(xent_binary_focal_crossentropy(y, p, B, C, &o, losses, NULL, &loss, &err) == XENT_ERR_OPTION,
        "binary focal refuses alpha_per_class");
}

int main(void) {
  mask_and_repeat_follow_keras();
  focal_alpha_per_class();
  return check_summary("test_parity");
}
