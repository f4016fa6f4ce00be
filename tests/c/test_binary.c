/* test_binary.c: Keras binary_crossentropy of src/binary.c (docs/semantics.md
 * 2.3, 2.8, 4.1, 4.3) against a float64 reference written here and in
 * binary_ref.h from the spec: both paths, label smoothing, sample and class
 * weights, every reduction, finite differences of the reduced loss, the clip
 * boundaries, extreme inputs, row lengths around every tail, and every error
 * status. Built twice by CMake (scalar and f32x4 through SIMDe). Prints the
 * largest relative error seen per path. */
#include "binary_ref.h"
#include "xent.h"

static stat st_prob = {"binary_crossentropy, probabilities", {0, 0}, {0, 0}, 0};
static stat st_logit = {"binary_crossentropy, logits", {0, 0}, {0, 0}, 0};

typedef struct {
  int from_logits, reduction;
  double s;
  const float *sw, *cw;
} ropt;

/* Keras binary_crossentropy with the reduction of 2.8. Fills per-example
 * losses and the gradient of the objective (the reduced loss; with "none" the
 * sum of losses, which it returns too). */
static double ref_bce(const float *y, const double *p, size_t B, size_t C, const ropt *o,
                      double *losses, double *grad, int keras_log) {
  double total = 0.0, wsum = 0.0;
  for (size_t b = 0; b < B; b++) {
    const float *yr = y + b * C;
    double w = o->sw ? o->sw[b] : 1.0;
    if (o->cw) {
      size_t k = 0;
      if (C == 1)
        k = rint(yr[0]) == 1.0; /* Keras' trainer rounds half to even (labels in [0, 1] here) */
      else
        for (size_t j = 1; j < C; j++) k = yr[j] > yr[k] ? j : k;
      w *= o->cw[k];
    }
    double sum = 0.0;
    for (size_t j = 0; j < C; j++) {
      /* Keras smooths in float32 tensors: y * (1 - s) + 0.5 s. */
      float sf = (float)o->s;
      double ys = yr[j] * (1.0f - sf) + 0.5f * sf, g;
      sum += o->from_logits ? ref_logit(p[b * C + j], ys, 1.0, &g)
                            : ref_prob(p[b * C + j], ys, &g, keras_log);
      if (grad) grad[b * C + j] = g * w / (double)C;
    }
    if (losses) losses[b] = w * sum / (double)C;
    total += w * sum / (double)C;
    wsum += w;
  }
  double den = 1.0;
  if (o->reduction == XENT_SUM_OVER_BATCH_SIZE) den = (double)B;
  if (o->reduction == XENT_MEAN_WITH_SAMPLE_WEIGHT) den = (o->sw || o->cw) ? wsum : (double)B;
  double inv = den == 0.0 ? 0.0 : 1.0 / den;
  if (grad)
    for (size_t i = 0; i < B * C; i++) grad[i] *= inv;
  return total * inv;
}

/* ---- Running the kernel and comparing ------------------------------------------ */

/* Runs xent_binary_crossentropy on (y, p) and compares losses, gradient and
 * reduced loss with the reference. Outputs carry 4 guard floats that must stay
 * untouched; inputs are exactly sized so sanitizers catch an over-read. */
static void run_bce(const char *what, const float *y, const float *p, size_t B, size_t C,
                    const ropt *o) {
  stat *st = o->from_logits ? &st_logit : &st_prob;
  xent_options opt = XENT_OPTIONS_INIT;
  opt.from_logits = o->from_logits;
  opt.reduction = o->reduction;
  opt.label_smoothing = (float)o->s;
  opt.sample_weight = o->sw;
  opt.class_weight = o->cw;
  size_t n = B * C;
  float *losses = fill(B + 4), *grad = fill(n + 4), loss = -1.0f;
  double *pd = dfill(n), *rl = dfill(B), *rg = dfill(n);
  for (size_t i = 0; i < B + 4; i++) losses[i] = -7.0f;
  for (size_t i = 0; i < n + 4; i++) grad[i] = -7.0f;
  for (size_t i = 0; i < n; i++) pd[i] = p[i];
  xent_error err = {0};
  xent_status s = xent_binary_crossentropy(y, p, B, C, &opt, losses, grad, &loss, &err);
  CHECK(s == XENT_OK, "%s: status %d", what, s);
  double want = ref_bce(y, pd, B, C, o, rl, rg, 1);
  if (o->reduction == XENT_NONE) want = 0.0;
  int bad = 0;
  for (size_t b = 0; b < B; b++) bad += !close_to(st, 0, losses[b], rl[b]);
  CHECK(!bad, "%s [%zu x %zu]: %d per-example losses off (first %.9g vs %.9g)", what, B, C, bad,
        B ? losses[0] : 0.0, B ? rl[0] : 0.0);
  bad = 0;
  size_t first = 0;
  for (size_t i = 0; i < n; i++)
    if (!close_to(st, 1, grad[i], rg[i]) && !bad++) first = i;
  CHECK(!bad, "%s [%zu x %zu]: %d gradients off (e.g. [%zu] %.9g vs %.9g)", what, B, C, bad, first,
        n ? grad[first] : 0.0, n ? rg[first] : 0.0);
  CHECK(close_to(st, 0, loss, want), "%s [%zu x %zu]: loss %.9g vs %.9g", what, B, C, loss, want);
  for (size_t i = 0; i < 4; i++)
    CHECK(losses[B + i] == -7.0f && grad[n + i] == -7.0f, "%s: nothing written past the end", what);
  free(losses), free(grad), free(pd), free(rl), free(rg);
}

static void every_row_length_and_reduction_matches_the_reference(void) {
  check_rng r = {1};
  for (int logits = 0; logits <= 1; logits++)
    for (size_t li = 0; li < NLEN; li++) {
      size_t C = lengths[li], B = C >= 1000 ? 2 : 3;
      float *y = fill(B * C), *p = fill(B * C);
      make_labels(&r, y, B * C, (int)(li % 2));
      make_preds(&r, p, B * C, logits);
      for (int red = 0; red <= XENT_MEAN_WITH_SAMPLE_WEIGHT; red++) {
        ropt o = {logits, red, 0.0, NULL, NULL};
        run_bce(logits ? "logits" : "probabilities", y, p, B, C, &o);
        run_bce(logits ? "logits, one column" : "probabilities, one column", y, p, B * C, 1, &o);
      }
      free(y), free(p);
    }
}

static void smoothing_and_weights_follow_keras(void) {
  check_rng r = {2};
  const double smooth[] = {0.25, 0.5, 1.0, 0.1};
  float sw[5] = {0.5f, 2.0f, 0.0f, 1.25f, 3.0f}, cw[33], zero[5] = {0};
  for (int k = 0; k < 33; k++) cw[k] = 0.25f + 0.125f * (float)k;
  for (int logits = 0; logits <= 1; logits++)
    for (size_t li = 0; li < 9; li++) {
      size_t C = lengths[li], B = 5;
      float *y = fill(B * C), *p = fill(B * C);
      make_preds(&r, p, B * C, logits);
      for (int kind = 0; kind <= 2; kind += 2) {
        make_labels(&r, y, B * C, kind);
        for (int red = 0; red <= XENT_MEAN_WITH_SAMPLE_WEIGHT; red++) {
          for (int si = 0; si < 4; si++) {
            ropt o = {logits, red, smooth[si], NULL, NULL};
            run_bce("label smoothing", y, p, B, C, &o);
          }
          ropt ow = {logits, red, 0.0, sw, NULL};
          run_bce("sample_weight", y, p, B, C, &ow);
          ropt oc = {logits, red, 0.25, NULL, cw}; /* [B,1]: class round(y); else argmax */
          run_bce("class_weight", y, p, B, C, &oc);
          ropt ob = {logits, red, 0.0, sw, cw};
          run_bce("sample_weight x class_weight", y, p, B, C, &ob);
          ropt oz = {logits, red, 0.0, zero, NULL}; /* weights summing to 0: loss 0, no NaN */
          run_bce("all-zero sample_weight", y, p, B, C, &oz);
        }
      }
      free(y), free(p);
    }
}

/* An unweighted one-column call runs the batch as one pass; weights of 1 take
 * the per-row path. Both give the same bits. */
static void one_column_batches_agree_with_the_row_path(void) {
  check_rng r = {7};
  size_t B = 1001;
  float *y = fill(B), *p = fill(B), *ones = fill(B), *l1 = fill(B), *l2 = fill(B), *g1 = fill(B),
        *g2 = fill(B), loss1, loss2;
  for (size_t i = 0; i < B; i++) ones[i] = 1.0f;
  for (int logits = 0; logits <= 1; logits++) {
    make_labels(&r, y, B, 1);
    make_preds(&r, p, B, logits);
    /* Labels far outside [0, 1] overflow float: both paths saturate the same way. */
    y[5] = -1e30f, p[5] = 1e30f, y[6] = 1e30f, p[6] = -1e30f, y[7] = NAN;
    p[8] = NAN, p[9] = INFINITY, p[10] = -INFINITY; /* NaN propagates; infinities clip */
    xent_options o = XENT_OPTIONS_INIT;
    o.from_logits = logits, o.label_smoothing = 0.125f;
    xent_binary_crossentropy(y, p, B, 1, &o, l1, g1, &loss1, NULL);
    o.sample_weight = ones;
    xent_binary_crossentropy(y, p, B, 1, &o, l2, g2, &loss2, NULL);
    CHECK(!memcmp(l1, l2, B * sizeof(float)) && !memcmp(g1, g2, B * sizeof(float)),
          "one column, %s: same losses and gradients", logits ? "logits" : "probabilities");
    CHECK(isnan(l1[7]) && isnan(l1[8]) && isnan(loss1) && isnan(loss2),
          "a NaN label or prediction propagates to its loss");
    if (!logits)
      CHECK(isfinite(l1[9]) && isfinite(l1[10]) && g1[9] == 0.0f && g1[10] == 0.0f,
            "infinite probabilities clip: finite loss, zero gradient");
    if (logits) CHECK(l1[5] == FLT_MAX && l1[6] == FLT_MAX, "overflowing losses saturate");
  }
  free(y), free(p), free(ones), free(l1), free(l2), free(g1), free(g2);
}

static void an_empty_batch_reduces_to_zero(void) {
  for (int red = 0; red <= XENT_MEAN_WITH_SAMPLE_WEIGHT; red++) {
    xent_options o = XENT_OPTIONS_INIT;
    o.reduction = red;
    float loss = 5.0f;
    CHECK(xent_binary_crossentropy(NULL, NULL, 0, 3, &o, NULL, NULL, &loss, NULL) == XENT_OK &&
              loss == 0.0f,
          "empty batch, reduction %d: loss 0 (got %g)", red, loss);
  }
}

/* Central differences in double of the reference's reduced loss, against the
 * kernel's gradient. Probabilities stay 1e-3 inside the clip interval. */
static void gradients_match_finite_differences(void) {
  check_rng r = {3};
  float sw[4] = {0.5f, 2.0f, 1.0f, 1.5f}, cw[9] = {1, 2, 0.5f, 3, 1, 1, 2, 0.25f, 4};
  for (int logits = 0; logits <= 1; logits++)
    for (size_t li = 0; li < 8; li++) {
      size_t C = lengths[li], B = 4, n = B * C;
      float *y = fill(n), *p = fill(n), *grad = fill(n), loss;
      double *pd = dfill(n);
      make_labels(&r, y, n, 1);
      for (size_t i = 0; i < n; i++)
        p[i] = logits ? (float)check_uniform(&r, -6, 6) : (float)check_uniform(&r, 1e-3, 1 - 1e-3);
      for (int red = 0; red <= XENT_MEAN_WITH_SAMPLE_WEIGHT; red++) {
        ropt o = {logits, red, red == XENT_SUM ? 0.2 : 0.0, red >= 2 ? sw : NULL,
                  red == 3 ? cw : NULL};
        xent_options opt = XENT_OPTIONS_INIT;
        opt.from_logits = logits, opt.reduction = red, opt.label_smoothing = (float)o.s;
        opt.sample_weight = o.sw, opt.class_weight = o.cw;
        xent_binary_crossentropy(y, p, B, C, &opt, NULL, grad, &loss, NULL);
        int bad = 0;
        size_t worst = 0;
        double wfd = 0.0;
        for (size_t i = 0; i < n; i++) {
          for (size_t k = 0; k < n; k++) pd[k] = p[k];
          double h = logits ? 1e-4 : 1e-4 * fmin(p[i], 1 - p[i]);
          pd[i] = p[i] + h;
          double up = ref_bce(y, pd, B, C, &o, NULL, NULL, 0);
          pd[i] = p[i] - h;
          double down = ref_bce(y, pd, B, C, &o, NULL, NULL, 0);
          double fd = (up - down) / (2 * h);
          if (!check_close(grad[i], fd, REL, ABS) && !bad++) worst = i, wfd = fd;
        }
        CHECK(!bad,
              "%s [%zu x %zu] reduction %d: %d gradients differ from finite differences "
              "(e.g. p=%.9g y=%g: %.9g vs %.9g)",
              logits ? "logits" : "probabilities", B, C, red, bad, p[worst], y[worst], grad[worst],
              wfd);
      }
      free(y), free(p), free(grad), free(pd);
    }
}

/* Probabilities at and around the clip bounds: the gradient passes on the
 * closed interval and is exactly zero strictly outside it; the loss is capped
 * at -log(1e-7f) = 16.118095 and -log(2^-23) = 15.942385 (docs/semantics.md 1). */
static void the_clip_interval_is_closed_and_zero_outside(void) {
  const float eps = 1e-7f, hi = 0.99999988f;
  float ps[] = {0.0f, 1e-30f, 5e-8f, nextafterf(eps, 0), eps, hi, nextafterf(hi, 2), 1.0f,
                1.5f, -0.5f,  0.5f};
  size_t C = sizeof ps / sizeof ps[0];
  for (int label = 0; label <= 1; label++) {
    float y[11], grad[11], losses[1], loss;
    for (size_t j = 0; j < C; j++) y[j] = (float)label;
    xent_options o = XENT_OPTIONS_INIT;
    o.reduction = XENT_SUM;
    xent_binary_crossentropy(y, ps, 1, C, &o, losses, grad, &loss, NULL);
    for (size_t j = 0; j < C; j++) {
      int outside = !(ps[j] >= eps && ps[j] <= hi);
      if (outside)
        CHECK(grad[j] == 0.0f, "label %d, p = %.9g outside the clip: gradient exactly 0 (got %g)",
              label, ps[j], grad[j]);
      else
        CHECK(grad[j] != 0.0f && isfinite(grad[j]), "label %d, p = %.9g inside: gradient %g", label,
              ps[j], grad[j]);
    }
    ropt ro = {0, XENT_SUM, 0.0, NULL, NULL};
    run_bce("clip bounds", y, ps, 1, C, &ro);
    /* One element: the cap itself. */
    float p1 = label ? 0.0f : 1.0f, l1, g1;
    xent_binary_crossentropy(&y[0], &p1, 1, 1, &o, &l1, &g1, NULL, NULL);
    CHECK(check_close(l1, label ? 16.118095 : 15.942385, 1e-6, 0), "cap for label %d: %.9g", label,
          l1);
  }
}

static void extreme_inputs_stay_finite_and_right(void) {
  const float xs[] = {1e30f,    -1e30f, 90.0f,  -90.0f, 0.0f, -0.0f, FLT_MAX,
                      -FLT_MAX, 17.0f,  -17.0f, 1e-30f, 3.0f, -3.0f};
  const float zs[] = {0.0f, 1.0f, 0.3f, 0.5f, 0.999f};
  size_t nx = sizeof xs / sizeof xs[0], nz = sizeof zs / sizeof zs[0], n = nx * nz;
  float *x = fill(n), *z = fill(n), *ps = fill(n);
  for (size_t i = 0; i < nx; i++)
    for (size_t k = 0; k < nz; k++) {
      x[i * nz + k] = xs[i], z[i * nz + k] = zs[k];
      ps[i * nz + k] = (i % 3 == 0) ? 0.0f : (i % 3 == 1) ? 1.0f : 1.0f / (1.0f + (float)i);
    }
  for (int red = 0; red <= XENT_MEAN_WITH_SAMPLE_WEIGHT; red++) {
    ropt o = {1, red, 0.0, NULL, NULL};
    run_bce("extreme logits, one column", z, x, n, 1, &o);
    run_bce("extreme logits, rows", z, x, nx, nz, &o);
    o.from_logits = 0;
    run_bce("probabilities 0 and 1", z, ps, nx, nz, &o);
    o.s = 0.5;
    run_bce("probabilities 0 and 1, smoothed", z, ps, n, 1, &o);
  }
  free(x), free(z), free(ps);
}

/* Values from the Keras docstrings (docs/semantics.md 2.3), reproduced by hand there. */
static void keras_docstring_values(void) {
  float y[4] = {0, 1, 0, 0}, p[4] = {0.6f, 0.4f, 0.4f, 0.6f}, losses[2], loss;
  xent_binary_crossentropy(y, p, 2, 2, NULL, losses, NULL, &loss, NULL);
  CHECK(fabs(losses[0] - 0.916) < 5e-4 && fabs(losses[1] - 0.714) < 5e-4, "per-sample [%g %g]",
        losses[0], losses[1]);
  float y2[4] = {0, 1, 0, 0}, x2[4] = {-18.6f, 0.51f, 2.94f, -12.8f};
  xent_options o = XENT_OPTIONS_INIT;
  o.from_logits = 1;
  xent_binary_crossentropy(y2, x2, 1, 4, &o, NULL, NULL, &loss, NULL);
  CHECK(fabs(loss - 0.8654) < 1e-4, "logits docstring 0.8654 (got %.6f)", loss);
}

static void null_outputs_are_skipped_and_the_rest_agrees(void) {
  check_rng r = {6};
  float y[21], p[21], l1[3], g1[21], loss1, l2[3], g2[21], loss2;
  make_labels(&r, y, 21, 1);
  make_preds(&r, p, 21, 0);
  for (int logits = 0; logits <= 1; logits++) {
    xent_options o = XENT_OPTIONS_INIT;
    o.from_logits = logits;
    xent_binary_crossentropy(y, p, 3, 7, &o, l1, g1, &loss1, NULL);
    CHECK(xent_binary_crossentropy(y, p, 3, 7, &o, NULL, NULL, NULL, NULL) == XENT_OK, "all NULL");
    xent_binary_crossentropy(y, p, 3, 7, &o, l2, NULL, NULL, NULL);
    xent_binary_crossentropy(y, p, 3, 7, &o, NULL, g2, &loss2, NULL);
    CHECK(!memcmp(l1, l2, sizeof l1) && !memcmp(g1, g2, sizeof g1) && loss1 == loss2,
          "each output is the same whichever others are requested");
  }
}

static void every_error_is_named_and_writes_nothing(void) {
  float y[4] = {0, 1, 0, 1}, p[4] = {0.5f, 0.5f, 0.5f, 0.5f}, l[4], g[4], loss = 42.0f;
  for (int i = 0; i < 4; i++) l[i] = g[i] = 42.0f;
  xent_options o = XENT_OPTIONS_INIT;
  xent_error err;
  EXPECT(xent_binary_crossentropy(NULL, p, 2, 2, &o, l, g, &loss, &err), XENT_ERR_NULL, "y_true");
  EXPECT(xent_binary_crossentropy(y, NULL, 2, 2, &o, l, g, &loss, &err), XENT_ERR_NULL, "y_pred");
  EXPECT(xent_binary_crossentropy(y, p, 2, 0, &o, l, g, &loss, &err), XENT_ERR_SHAPE, "classes");
  EXPECT(xent_binary_crossentropy(y, p, SIZE_MAX / 4, 2, &o, l, g, &loss, &err), XENT_ERR_SHAPE,
         "batch");
  o.reduction = 4;
  EXPECT(xent_binary_crossentropy(y, p, 2, 2, &o, l, g, &loss, &err), XENT_ERR_OPTION, "reduction");
  CHECK(err.value == 4.0, "the bad reduction's value is reported");
  o.reduction = -1;
  EXPECT(xent_binary_crossentropy(y, p, 2, 2, &o, l, g, &loss, &err), XENT_ERR_OPTION, "reduction");
  o.reduction = XENT_SUM;
  const float bad_ls[] = {-0.01f, 1.01f, NAN, INFINITY};
  for (int i = 0; i < 4; i++) {
    o.label_smoothing = bad_ls[i];
    EXPECT(xent_binary_crossentropy(y, p, 2, 2, &o, l, g, &loss, &err), XENT_ERR_OPTION,
           "label_smoothing");
  }
  o.label_smoothing = 0.0f;
  o.has_ignore_class = 1;
  EXPECT(xent_binary_crossentropy(y, p, 2, 2, &o, l, g, &loss, &err), XENT_ERR_OPTION,
         "ignore_class");
  CHECK(xent_binary_crossentropy(y, p, 2, 2, &o, l, g, &loss, NULL) == XENT_ERR_OPTION,
        "err may be NULL");
  int untouched = loss == 42.0f;
  for (int i = 0; i < 4; i++) untouched &= l[i] == 42.0f && g[i] == 42.0f;
  CHECK(untouched, "no output is written by a failing call");
}

int main(void) {
  every_row_length_and_reduction_matches_the_reference();
  smoothing_and_weights_follow_keras();
  one_column_batches_agree_with_the_row_path();
  an_empty_batch_reduces_to_zero();
  gradients_match_finite_differences();
  the_clip_interval_is_closed_and_zero_outside();
  extreme_inputs_stay_finite_and_right();
  keras_docstring_values();
  null_outputs_are_skipped_and_the_rest_agrees();
  every_error_is_named_and_writes_nothing();
  const stat *all[] = {&st_prob, &st_logit};
  print_stats(all, 2, xent_simd() ? "f32x4" : "scalar");
  return check_summary(xent_simd() ? "test_binary (f32x4)" : "test_binary (scalar)");
}
