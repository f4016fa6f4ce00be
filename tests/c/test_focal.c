/* test_focal.c: the focal losses of src/focal_binary.c and
 * src/focal_categorical.c (docs/semantics.md 2.6, 4.7, 4.8, decision 7) against a
 * float64 reference written here from the spec: both functions, both paths,
 * smoothing, class balancing, gammas 0, 0.5, 1, 2, 5, several alphas, every
 * reduction, row lengths around every tail, the Keras docstring value,
 * gamma = 0 against plain BCE, central finite differences of the reduced
 * loss, extreme and absurd inputs, and every option error. Built twice by
 * CMake (scalar and f32x4 through SIMDe). Prints the largest errors. */
#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "xent.h"

#define REL 1e-6
#define ABS 1e-7
#define EPS32 ((double)1e-7f)          /* Keras' fuzz factor in float32 */
#define HI32 0.99999988079071044921875 /* 1 - eps rounded to float32 */

static const size_t lengths[] = {1, 2, 3, 4, 5, 7, 8, 33, 1000};
#define NLEN (sizeof lengths / sizeof lengths[0])
/* Integers up to 4 run as products (focal_pow in xent_focal.h), the others
 * through pow. */
static const float gammas[] = {0.0f, 0.5f, 1.0f, 2.0f, 2.5f, 3.0f, 5.0f};
#define NG (int)(sizeof gammas / sizeof gammas[0])
static const float alphas[] = {0.25f, 0.0f, 0.7f, 1.0f};

/* Largest relative error (where |want| >= 1e-3) and largest share of the
 * tolerance used, per function and output (0 loss, 1 gradient). */
typedef struct { const char *name; double rel[2], use[2]; long n; } stat;
static stat st_bin = {"binary_focal_crossentropy", {0, 0}, {0, 0}, 0};
static stat st_cat = {"categorical_focal_crossentropy", {0, 0}, {0, 0}, 0};
static stat st_fd = {"gradients vs central differences", {0, 0}, {0, 0}, 0};

static int close_to(stat *s, int is_grad, double got, double want, double rel, double abs_tol) {
  if (isfinite(got) && isfinite(want)) {
    double e = fabs(got - want);
    if (fabs(want) >= 1e-3 && e / fabs(want) > s->rel[is_grad]) s->rel[is_grad] = e / fabs(want);
    if (e / (rel * fabs(want) + abs_tol) > s->use[is_grad])
      s->use[is_grad] = e / (rel * fabs(want) + abs_tol);
  }
  s->n++;
  return check_close(got, want, rel, abs_tol);
}

/* ---- The float64 reference ----------------------------------------------------
 * Labels are smoothed in float32 as Keras does (the label the formula sees);
 * everything after that is double. keras: log(fl(1 - p')) on the binary
 * probability path, as Keras; otherwise the exact log(1 - p'), the smooth
 * function that the finite differences differentiate. */
typedef struct { int logits, balance; double alpha, gamma, ls; } cfg;

static double clipd(double p) { return p < EPS32 ? EPS32 : (p > HI32 ? HI32 : p); }

/* gamma q^(gamma-1), with the value xent documents at q = 0. */
static double dfocal(double q, double gamma) {
  if (gamma == 0.0) return 0.0;
  if (q > 0.0) return gamma * pow(q, gamma - 1.0);
  return gamma == 1.0 ? 1.0 : 0.0;
}

/* Binary focal element (2.6, 4.7); ys is the smoothed label. */
static double ref_bin_elem(const cfg *c, double ys, double u, int keras, double *g,
                           double *mag) {
  double p, bce, dB, dq;
  if (c->logits) {
    p = u >= 0 ? 1.0 / (1.0 + exp(-u)) : exp(u) / (1.0 + exp(u));
    bce = fmax(u, 0.0) - u * ys + log1p(exp(-fabs(u)));
    dB = p - ys;
    dq = (1.0 - 2.0 * ys) * p * (1.0 - p);
  } else {
    p = u;
    double pc = clipd(u);
    double om = keras ? (double)(float)(1.0 - pc) : 1.0 - pc;
    bce = -(ys * log(pc) + (1.0 - ys) * log(om));
    dB = (u >= EPS32 && u <= HI32) ? (pc - ys) / (pc * (1.0 - pc)) : 0.0;
    dq = 1.0 - 2.0 * ys;
  }
  double pt = ys * p + (1.0 - ys) * (1.0 - p);
  double q = fmax(1.0 - pt, 0.0);
  double F = c->gamma == 0.0 ? 1.0 : pow(q, c->gamma);
  double w = c->balance ? ys * c->alpha + (1.0 - ys) * (1.0 - c->alpha) : 1.0;
  if (g) *g = w * (dfocal(q, c->gamma) * dq * bce + F * dB);
  if (mag) *mag = fabs(w) * (fabs(dfocal(q, c->gamma) * dq * bce) + fabs(F * dB));
  return w * F * bce;
}

/* Categorical focal row (2.6, 4.8); ys smoothed labels; g the gradient row. */
static double ref_cat_row(const cfg *c, const double *ys, const double *u, size_t C, double *g,
                          double *mag) {
  double *p = malloc(C * sizeof(double)), *q = malloc(C * sizeof(double));
  double *h = malloc(C * sizeof(double));
  if (c->logits) {
    double m = -INFINITY, se = 0.0;
    for (size_t j = 0; j < C; j++) m = fmax(m, u[j]);
    for (size_t j = 0; j < C; j++) se += exp(u[j] - m);
    for (size_t j = 0; j < C; j++) p[j] = exp(u[j] - m) / se;
  } else {
    for (size_t j = 0; j < C; j++) p[j] = u[j];
  }
  double S = 0.0, loss = 0.0, K = 0.0;
  for (size_t j = 0; j < C; j++) S += p[j];
  for (size_t j = 0; j < C; j++) {
    q[j] = S == 0.0 ? 0.0 : p[j] / S;
    double qc = clipd(q[j]), om = 1.0 - qc;
    loss += c->alpha * pow(om, c->gamma) * (-ys[j] * log(qc));
    double gj = c->alpha * (dfocal(om, c->gamma) * ys[j] * log(qc) - pow(om, c->gamma) * ys[j] / qc);
    h[j] = (q[j] >= EPS32 && q[j] <= HI32) ? gj : 0.0;
    K += h[j] * q[j];
  }
  if (g) {
    /* dL/dp_i = (m_i g_i - sum_j m_j g_j q_j) / S, then the softmax Jacobian. */
    double sK = 0.0;
    for (size_t i = 0; i < C; i++) sK += fabs(h[i] * q[i]);
    for (size_t i = 0; i < C; i++) {
      g[i] = S == 0.0 ? 0.0 : (h[i] - K) / S;
      mag[i] = S == 0.0 ? 0.0 : (fabs(h[i]) + sK) / fabs(S);
    }
    if (c->logits) {
      double sg = 0.0, sm = 0.0;
      for (size_t i = 0; i < C; i++) sg += p[i] * g[i], sm += p[i] * mag[i];
      for (size_t i = 0; i < C; i++) g[i] = p[i] * (g[i] - sg), mag[i] = p[i] * (mag[i] + sm);
    }
  }
  free(p);
  free(q);
  free(h);
  return loss;
}

/* The reduced loss, per-example losses and gradient of a whole call. */
/* mag: the size of the terms each gradient element is the difference of, times
 * the same scale (see run()). */
typedef struct { double loss, *losses, *grad, *mag; } ref_out;

static double ref_call(int categorical, const cfg *c, const float *y, const double *u,
                       const float *sw, size_t B, size_t C, int reduction, int keras,
                       ref_out *o) {
  double total = 0.0, wsum = 0.0;
  double *ys = malloc(C * sizeof(double)), *gr = malloc(C * sizeof(double));
  double *mg = malloc(C * sizeof(double));
  for (size_t b = 0; b < B; b++) {
    double w = sw ? sw[b] : 1.0, L = 0.0;
    for (size_t j = 0; j < C; j++) {
      float s = (float)c->ls;
      ys[j] = categorical ? (double)(y[b * C + j] * (1.0f - s) + s / (float)C)
                          : (double)(y[b * C + j] * (1.0f - s) + 0.5f * s);
    }
    if (categorical) {
      L = ref_cat_row(c, ys, u + b * C, C, gr, mg);
    } else {
      for (size_t j = 0; j < C; j++) L += ref_bin_elem(c, ys[j], u[b * C + j], keras, &gr[j], &mg[j]);
      L /= (double)C;
      for (size_t j = 0; j < C; j++) gr[j] /= (double)C, mg[j] /= (double)C;
    }
    if (o && o->losses) o->losses[b] = w * L;
    if (o && o->grad)
      for (size_t j = 0; j < C; j++) o->grad[b * C + j] = w * gr[j], o->mag[b * C + j] = fabs(w) * mg[j];
    total += w * L;
    wsum += w;
  }
  double den = reduction == XENT_SUM ? 1.0
             : reduction == XENT_NONE ? 0.0
             : reduction == XENT_MEAN_WITH_SAMPLE_WEIGHT ? wsum : (double)B;
  if (o && o->grad)
    for (size_t i = 0; i < B * C; i++) {
      double f = den != 0.0 ? 1.0 / den : reduction == XENT_NONE ? 1.0 : 0.0;
      o->grad[i] *= f;
      o->mag[i] *= fabs(f);
    }
  free(ys);
  free(gr);
  free(mg);
  return den == 0.0 ? 0.0 : total / den;
}

/* ---- Running the library ---------------------------------------------------- */

typedef xent_status (*focal_fn)(const float *, const float *, size_t, size_t,
                                const xent_options *, float *, float *, float *, xent_error *);

static xent_options opts(const cfg *c, int reduction, const float *sw) {
  xent_options o = XENT_OPTIONS_INIT;
  o.from_logits = c->logits;
  o.apply_class_balancing = c->balance;
  o.alpha = (float)c->alpha;
  o.gamma = (float)c->gamma;
  o.label_smoothing = (float)c->ls;
  o.reduction = reduction;
  o.sample_weight = sw;
  return o;
}

/* One call against the reference: every per-example loss, the reduced loss and
 * every gradient element. */
static void run(int categorical, const cfg *c, const float *y, const float *v, const float *sw,
                size_t B, size_t C, int reduction) {
  focal_fn fn = categorical ? xent_categorical_focal_crossentropy : xent_binary_focal_crossentropy;
  stat *s = categorical ? &st_cat : &st_bin;
  xent_options o = opts(c, reduction, sw);
  float *losses = malloc(B * sizeof(float)), *grad = malloc(B * C * sizeof(float)), loss = -1;
  double *u = malloc(B * C * sizeof(double)), *rl = malloc(B * sizeof(double));
  double *rg = malloc(B * C * sizeof(double)), *rm = malloc(B * C * sizeof(double));
  for (size_t i = 0; i < B * C; i++) u[i] = v[i];
  ref_out r = {0, rl, rg, rm};
  double want = ref_call(categorical, c, y, u, sw, B, C, reduction, 1, &r);
  xent_error err;
  CHECK(fn(y, v, B, C, &o, losses, grad, &loss, &err) == XENT_OK, "call succeeds");
  const char *kind = categorical ? "categorical" : "binary";
  CHECK(close_to(s, 0, loss, want, REL, ABS), "%s C=%zu logits=%d g=%g a=%g bal=%d ls=%g red=%d: loss %.9g want %.9g",
        kind, C, c->logits, c->gamma, c->alpha, c->balance, c->ls, reduction, loss, want);
  for (size_t b = 0; b < B; b++)
    CHECK(close_to(s, 0, losses[b], rl[b], REL, ABS), "%s C=%zu logits=%d g=%g ls=%g: losses[%zu] %.9g want %.9g",
          kind, C, c->logits, c->gamma, c->ls, b, losses[b], rl[b]);
  /* Each gradient element is a difference of terms (focal-factor and BCE
   * terms; h_i and K in the categorical chain) that float32 can only hold to a
   * few ulps of their own size, and for soft labels near the prediction they
   * nearly cancel: the relative part of the tolerance is taken of the larger
   * of the result and those terms (rm), a bound a float32 computation can meet. */
  for (size_t i = 0; i < B * C; i++)
    CHECK(close_to(s, 1, grad[i], rg[i], REL * fmax(1.0, rm[i] / fmax(fabs(rg[i]), 1e-300)), ABS), "%s C=%zu logits=%d g=%g a=%g bal=%d ls=%g: grad[%zu] %.9g want %.9g (u=%.9g y=%g)",
          kind, C, c->logits, c->gamma, c->alpha, c->balance, c->ls, i, grad[i], rg[i], v[i], y[i]);
  free(losses); free(grad); free(u); free(rl); free(rg); free(rm);
}

static void make_inputs(check_rng *r, int categorical, int logits, float *y, float *v,
                        size_t B, size_t C) {
  for (size_t b = 0; b < B; b++) {
    int soft = check_next(r) % 3 == 0;
    size_t hot = check_next(r) % C;
    for (size_t j = 0; j < C; j++) {
      size_t i = b * C + j;
      if (categorical)
        y[i] = soft ? (float)check_uniform(r, 0, 1) : (j == hot ? 1.0f : 0.0f);
      else
        y[i] = soft ? (float)check_uniform(r, 0, 1) : (float)(check_next(r) % 2);
      if (logits) {
        v[i] = (float)check_uniform(r, -12, 12);
      } else {
        v[i] = (float)check_uniform(r, 0, 1);
        uint64_t k = check_next(r) % 40; /* exact 0 and 1 and clip-interval ends now and then */
        if (k == 0) v[i] = 0.0f;
        if (k == 1) v[i] = 1.0f;
        if (k == 2) v[i] = 1e-9f;
        if (k == 3) v[i] = 0.9999999f;
      }
    }
  }
}

static void both_losses_match_the_reference_for_every_option_and_row_length(void) {
  check_rng r = {42};
  for (int categorical = 0; categorical < 2; categorical++)
    for (int logits = 0; logits < 2; logits++)
      for (size_t li = 0; li < NLEN; li++) {
        /* One class runs binary focal four examples at a time: 11 = 4 + 4 + 3. */
        size_t C = lengths[li], B = C >= 1000 ? 2 : C == 1 ? 11 : 3;
        float *y = malloc(B * C * sizeof(float)), *v = malloc(B * C * sizeof(float));
        float sw[11] = {0.5f, 2.0f, 1.25f, 1, 3, 0, 0.25f, 1, 1.5f, 2, 0.75f};
        for (int gi = 0; gi < NG; gi++)
          for (int ai = 0; ai < 4; ai++) {
            make_inputs(&r, categorical, logits, y, v, B, C);
            cfg c = {logits, ai % 2, alphas[ai], gammas[gi], (gi + ai) % 2 ? 0.1 : 0.0};
            int red = (gi + ai + (int)li) % 4;
            run(categorical, &c, y, v, (ai + gi) % 3 ? sw : NULL, B, C, red);
          }
        free(y);
        free(v);
      }
}

/* docs/semantics.md 2.6, the Keras docstring: per-sample [3.2058e-05, 0.46627],
 * mean 0.23315 with the defaults (alpha 0.25, gamma 2). */
static void the_keras_docstring_value_is_reproduced(void) {
  const float y[6] = {0, 1, 0, 0, 0, 1}, p[6] = {0.05f, 0.95f, 0, 0.1f, 0.8f, 0.1f};
  float losses[2], loss;
  CHECK(xent_categorical_focal_crossentropy(y, p, 2, 3, NULL, losses, NULL, &loss, NULL) == XENT_OK,
        "NULL options are the focal defaults");
  CHECK(fabs(losses[0] - 3.2058e-05) <= 5e-10 && fabs(losses[1] - 0.46627) <= 5e-6 &&
            fabs(loss - 0.23315) <= 5e-6,
        "Keras docstring: got [%.6g, %.6g] mean %.6g", losses[0], losses[1], loss);
}

/* The BinaryFocalCrossentropy docstring (tf.keras, from_logits=True, the TF
 * backend's exact logits BCE): y = [0, 1, 0, 0], logits [-18.6, 0.51, 2.94,
 * -12.8], gamma 2 -> 0.691; the same as [[0, 1], [0, 0]]: gamma 3 -> 0.647,
 * with sample_weight [0.8, 0.2] -> 0.133; gamma 4, sum -> 1.222; gamma 5,
 * none -> [0.0017, 1.1561]. Printed to 3 or 4 decimals, checked to half a unit. */
static void the_binary_docstring_values_are_reproduced(void) {
  const float y[4] = {0, 1, 0, 0}, x[4] = {-18.6f, 0.51f, 2.94f, -12.8f}, sw[2] = {0.8f, 0.2f};
  float losses[2], loss;
  xent_options o = XENT_OPTIONS_INIT;
  o.from_logits = 1;
  CHECK(xent_binary_focal_crossentropy(y, x, 1, 4, &o, NULL, NULL, &loss, NULL) == XENT_OK &&
            fabs(loss - 0.691) <= 5e-4, "gamma 2: %.6f, Keras 0.691", loss);
  o.gamma = 3.0f;
  CHECK(xent_binary_focal_crossentropy(y, x, 2, 2, &o, NULL, NULL, &loss, NULL) == XENT_OK &&
            fabs(loss - 0.647) <= 5e-4, "gamma 3: %.6f, Keras 0.647", loss);
  o.sample_weight = sw;
  CHECK(xent_binary_focal_crossentropy(y, x, 2, 2, &o, NULL, NULL, &loss, NULL) == XENT_OK &&
            fabs(loss - 0.133) <= 5e-4, "gamma 3, weighted: %.6f, Keras 0.133", loss);
  o.sample_weight = NULL;
  o.gamma = 4.0f;
  o.reduction = XENT_SUM;
  CHECK(xent_binary_focal_crossentropy(y, x, 2, 2, &o, NULL, NULL, &loss, NULL) == XENT_OK &&
            fabs(loss - 1.222) <= 5e-4, "gamma 4, sum: %.6f, Keras 1.222", loss);
  o.gamma = 5.0f;
  o.reduction = XENT_NONE;
  CHECK(xent_binary_focal_crossentropy(y, x, 2, 2, &o, losses, NULL, &loss, NULL) == XENT_OK &&
            fabs(losses[0] - 0.0017) <= 5e-5 && fabs(losses[1] - 1.1561) <= 5e-5 && loss == 0.0f,
        "gamma 5, none: [%.6f, %.6f], Keras [0.0017, 1.1561]", losses[0], losses[1]);
}

/* gamma = 0 without balancing is BinaryCrossentropy (2.6), checked against a
 * plain BCE written here. */
static void binary_focal_with_gamma_zero_is_bce(void) {
  check_rng r = {7};
  for (int logits = 0; logits < 2; logits++) {
    size_t B = 4, C = 9;
    float y[36], v[36], losses[4], grad[36], loss;
    make_inputs(&r, 0, logits, y, v, B, C);
    xent_options o = XENT_OPTIONS_INIT;
    o.gamma = 0.0f;
    o.from_logits = logits;
    CHECK(xent_binary_focal_crossentropy(y, v, B, C, &o, losses, grad, &loss, NULL) == XENT_OK, "ok");
    double total = 0.0;
    for (size_t b = 0; b < B; b++) {
      double L = 0.0;
      for (size_t j = 0; j < C; j++) {
        double yy = y[b * C + j], x = v[b * C + j], e, d;
        if (logits) {
          e = fmax(x, 0) - x * yy + log1p(exp(-fabs(x)));
          d = 1.0 / (1.0 + exp(-x)) - yy;
        } else {
          double pc = clipd(x);
          e = -(yy * log(pc) + (1 - yy) * log((double)(float)(1.0 - pc)));
          d = (x >= EPS32 && x <= HI32) ? (pc - yy) / (pc * (1 - pc)) : 0.0;
        }
        L += e;
        CHECK(close_to(&st_bin, 1, grad[b * C + j], d / (double)(B * C), REL, ABS),
              "gamma 0 gradient is the BCE gradient (logits=%d)", logits);
      }
      CHECK(close_to(&st_bin, 0, losses[b], L / C, REL, ABS), "gamma 0 loss is BCE (logits=%d): %.9g vs %.9g",
            logits, losses[b], L / C);
      total += L / C;
    }
    CHECK(close_to(&st_bin, 0, loss, total / B, REL, ABS), "gamma 0 mean is the BCE mean");
  }
}

/* Central differences of the smooth double reference (exact log(1 - p')),
 * h = 1e-6 |u|: truncation and rounding both below 1e-9 relative, so the
 * library's gradient must meet the ordinary tolerance. Probabilities stay in
 * [0.02, 0.98] and labels are soft so no clip boundary or q = 0 is near. */
static void gradients_match_central_differences(void) {
  check_rng r = {99};
  for (int categorical = 0; categorical < 2; categorical++)
    for (int logits = 0; logits < 2; logits++)
      for (int gi = 0; gi < NG; gi++) {
        size_t B = 2, C = categorical ? 5 : 3;
        float y[10], v[10], sw[2] = {0.75f, 1.5f}, grad[10];
        for (size_t i = 0; i < B * C; i++) {
          y[i] = (float)check_uniform(&r, 0.05, 0.95);
          v[i] = logits ? (float)check_uniform(&r, -4, 4) : (float)check_uniform(&r, 0.02, 0.98);
        }
        if (categorical && !logits)
          for (size_t i = 0; i < B * C; i++) v[i] *= 0.4f;  /* rows summing to about 1 */
        cfg c = {logits, gi % 2, 0.3, gammas[gi], gi == 3 ? 0.2 : 0.0};
        xent_options o = opts(&c, XENT_MEAN_WITH_SAMPLE_WEIGHT, sw);
        focal_fn fn = categorical ? xent_categorical_focal_crossentropy : xent_binary_focal_crossentropy;
        CHECK(fn(y, v, B, C, &o, NULL, grad, NULL, NULL) == XENT_OK, "ok");
        double u[10];
        for (size_t i = 0; i < B * C; i++) u[i] = v[i];
        for (size_t i = 0; i < B * C; i++) {
          double h = 1e-6 * fmax(fabs(u[i]), 0.1), keep = u[i];
          u[i] = keep + h;
          double up = ref_call(categorical, &c, y, u, sw, B, C, XENT_MEAN_WITH_SAMPLE_WEIGHT, 0, NULL);
          u[i] = keep - h;
          double dn = ref_call(categorical, &c, y, u, sw, B, C, XENT_MEAN_WITH_SAMPLE_WEIGHT, 0, NULL);
          u[i] = keep;
          double fd = (up - dn) / (2 * h);
          CHECK(close_to(&st_fd, 1, grad[i], fd, REL, ABS), "%s logits=%d gamma=%g: grad[%zu] %.9g, differences %.9g",
                categorical ? "categorical" : "binary", logits, c.gamma, i, grad[i], fd);
        }
      }
}

static int all_finite(const float *a, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!isfinite(a[i])) return 0;
  return 1;
}

/* Logits of +-1e30, probabilities of exactly 0 and 1, absurd labels and
 * "probabilities", one class and 100000 classes: finite everywhere. */
static void extreme_inputs_stay_finite(void) {
  const float ys[] = {0, 1, 0.5f, -1, 2, 1e30f, -FLT_MAX, FLT_MAX};
  const float vs[] = {0, 1, 1e30f, -1e30f, 5.3f, -2, FLT_MAX, -FLT_MAX, 1e-45f, 0.5f};
  const size_t NY = sizeof ys / sizeof ys[0], NV = sizeof vs / sizeof vs[0];
  float y[80], v[80], losses[80], grad[80], loss;
  for (size_t i = 0; i < NY; i++)
    for (size_t j = 0; j < NV; j++) y[i * NV + j] = ys[i], v[i * NV + j] = vs[j];
  const double gs[] = {0, 0.01, 0.5, 1, 2, 3, 5, 1e-30, FLT_MAX};
  for (int categorical = 0; categorical < 2; categorical++)
    for (int logits = 0; logits < 2; logits++)
      for (int gi = 0; gi < 9; gi++)
        for (int bal = 0; bal < 2; bal++) {
          cfg c = {logits, bal, 0.25, gs[gi], bal ? 0.3 : 0.0};
          xent_options o = opts(&c, XENT_SUM, NULL);
          focal_fn fn = categorical ? xent_categorical_focal_crossentropy : xent_binary_focal_crossentropy;
          for (size_t C = 1; C <= 80; C *= 80) {
            CHECK(fn(y, v, 80 / C, C, &o, losses, grad, &loss, NULL) == XENT_OK, "ok");
            CHECK(all_finite(losses, 80 / C) && all_finite(grad, 80) && isfinite(loss),
                  "%s logits=%d gamma=%g C=%zu: finite for finite inputs",
                  categorical ? "categorical" : "binary", logits, c.gamma, C);
          }
        }
  /* 100000 classes, probabilities that do not sum to 1 and logits of +-1e30. */
  size_t C = 100000;
  float *yb = calloc(C, sizeof(float)), *vb = malloc(C * sizeof(float)), *gb = malloc(C * sizeof(float));
  yb[777] = 1.0f;
  for (int logits = 0; logits < 2; logits++) {
    for (size_t j = 0; j < C; j++) vb[j] = logits ? (j % 3 ? -1e30f : 1e30f) : (float)(j % 7) * 0.1f;
    xent_options o = XENT_OPTIONS_INIT;
    o.from_logits = logits;
    for (int bin = 0; bin < 2; bin++) {
      focal_fn fn = bin ? xent_binary_focal_crossentropy : xent_categorical_focal_crossentropy;
      CHECK(fn(yb, vb, 1, C, &o, losses, gb, &loss, NULL) == XENT_OK && isfinite(loss) &&
                all_finite(gb, C), "100000 classes stay finite (logits=%d binary=%d)", logits, bin);
    }
  }
  free(yb); free(vb); free(gb);
}

/* At p_t = 1 (p exactly equal to a 0/1 label) the focal factor's slope is
 * gamma q^(gamma-1): xent documents 0 for gamma < 1 (Keras: inf * 0), B q_u
 * for gamma = 1, 0 above; an all-zero categorical row clips every class. */
static void documented_values_at_the_edges(void) {
  const float y[2] = {1, 0}, p[2] = {1, 0};
  float losses[2], grad[2];
  xent_options o = XENT_OPTIONS_INIT;
  o.reduction = XENT_SUM;
  for (int gi = 0; gi < NG; gi++) {
    o.gamma = gammas[gi];
    CHECK(xent_binary_focal_crossentropy(y, p, 2, 1, &o, losses, grad, NULL, NULL) == XENT_OK, "ok");
    /* B at the clip ends: y = 1, p' = 1 - 2^-23 and y = 0, p' = fl(1 - eps). */
    double B1 = -log(HI32), B0 = -log((double)(float)(1.0 - EPS32));
    double want1 = o.gamma == 1.0f ? -B1 : 0.0, want0 = o.gamma == 1.0f ? B0 : 0.0;
    CHECK(fabs(losses[0] - (o.gamma == 0.0f ? B1 : 0.0)) < 1e-13 &&
              fabs(losses[1] - (o.gamma == 0.0f ? B0 : 0.0)) < 1e-13,
          "gamma %g: the loss at p_t = 1 is F B (%.9g %.9g)", o.gamma, losses[0], losses[1]);
    CHECK(close_to(&st_bin, 1, grad[0], want1, REL, 1e-12) && close_to(&st_bin, 1, grad[1], want0, REL, 1e-12),
          "gamma %g: gradient at p_t = 1 is the documented value (%.9g %.9g, want %.9g %.9g)",
          o.gamma, grad[0], grad[1], want1, want0);
  }
  const float yz[3] = {0, 1, 0}, pz[3] = {0, 0, 0};
  float gz[3] = {9, 9, 9}, lz;
  o = (xent_options)XENT_OPTIONS_INIT;
  CHECK(xent_categorical_focal_crossentropy(yz, pz, 1, 3, &o, &lz, gz, NULL, NULL) == XENT_OK, "ok");
  double want = 0.25 * pow(1.0 - EPS32, 2.0) * -log(EPS32);
  CHECK(fabs(lz - want) <= 1e-6 * want && gz[0] == 0 && gz[1] == 0 && gz[2] == 0,
        "an all-zero row: loss alpha (1-eps)^2 (-log eps) = %.9g (got %.9g), gradient 0", want, lz);
}

/* class_weight weights each example by its class (argmax of its y_true row;
 * with one column, y rounded half to even): the same as those weights given as
 * sample_weight to the reference. */
static void class_weights_weight_each_example_by_its_class(void) {
  check_rng r = {11};
  for (int categorical = 0; categorical < 2; categorical++)
    for (size_t C = 1; C <= 5; C += 4) {
      size_t B = 9;
      float y[45], v[45], cw[5] = {2.0f, 5.0f, 0.5f, 1.5f, 3.0f}, sw[9];
      make_inputs(&r, categorical, 0, y, v, B, C);
      for (size_t b = 0; b < B; b++) {
        size_t best = 0;
        for (size_t j = 1; j < C; j++)
          if (y[b * C + j] > y[b * C + best]) best = j;
        sw[b] = C == 1 ? cw[rint(y[b]) == 1.0] : cw[best];
      }
      cfg c = {0, 1, 0.4, 2.0, 0.0};
      xent_options o = opts(&c, XENT_MEAN_WITH_SAMPLE_WEIGHT, NULL);
      o.class_weight = cw;
      float losses[9], grad[45], loss;
      focal_fn fn = categorical ? xent_categorical_focal_crossentropy : xent_binary_focal_crossentropy;
      stat *s = categorical ? &st_cat : &st_bin;
      CHECK(fn(y, v, B, C, &o, losses, grad, &loss, NULL) == XENT_OK, "ok");
      double u[45], rl[9], rg[45], rm[45];
      for (size_t i = 0; i < B * C; i++) u[i] = v[i];
      ref_out ro = {0, rl, rg, rm};
      double want = ref_call(categorical, &c, y, u, sw, B, C, XENT_MEAN_WITH_SAMPLE_WEIGHT, 1, &ro);
      CHECK(close_to(s, 0, loss, want, REL, ABS), "class-weighted mean %.9g want %.9g", loss, want);
      for (size_t b = 0; b < B; b++)
        CHECK(close_to(s, 0, losses[b], rl[b], REL, ABS), "class-weighted losses[%zu]", b);
      for (size_t i = 0; i < B * C; i++)
        CHECK(close_to(s, 1, grad[i], rg[i], REL * fmax(1.0, rm[i] / fmax(fabs(rg[i]), 1e-300)), ABS),
              "class-weighted grad[%zu] %.9g want %.9g", i, grad[i], rg[i]);
    }
}

static void null_outputs_are_skipped(void) {
  check_rng r = {5};
  float y[21], v[21], l1[3], l2[3], g1[21], g2[21], a, b2;
  for (int categorical = 0; categorical < 2; categorical++) {
    make_inputs(&r, categorical, 1, y, v, 3, 7);
    xent_options o = XENT_OPTIONS_INIT;
    o.from_logits = 1;
    focal_fn fn = categorical ? xent_categorical_focal_crossentropy : xent_binary_focal_crossentropy;
    CHECK(fn(y, v, 3, 7, &o, l1, g1, &a, NULL) == XENT_OK, "full call");
    CHECK(fn(y, v, 3, 7, &o, NULL, NULL, NULL, NULL) == XENT_OK, "no outputs at all");
    CHECK(fn(y, v, 3, 7, &o, l2, NULL, NULL, NULL) == XENT_OK && memcmp(l1, l2, sizeof l1) == 0,
          "losses alone agree");
    CHECK(fn(y, v, 3, 7, &o, NULL, g2, &b2, NULL) == XENT_OK && memcmp(g1, g2, sizeof g1) == 0 && a == b2,
          "gradient and loss alone agree");
    CHECK(fn(NULL, NULL, 0, 7, &o, NULL, NULL, &a, NULL) == XENT_OK && a == 0.0f,
          "an empty batch reduces to 0");
  }
}

static void bad_options_are_named_and_nothing_is_written(void) {
  const float y[2] = {0, 1}, p[2] = {0.3f, 0.6f};
  struct { float alpha, gamma; const char *arg; } bad[] = {
      {0.25f, -1.0f, "gamma"}, {0.25f, NAN, "gamma"}, {0.25f, INFINITY, "gamma"},
      {-0.1f, 2.0f, "alpha"}, {1.1f, 2.0f, "alpha"}, {NAN, 2.0f, "alpha"}};
  for (int categorical = 0; categorical < 2; categorical++) {
    focal_fn fn = categorical ? xent_categorical_focal_crossentropy : xent_binary_focal_crossentropy;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
      xent_options o = XENT_OPTIONS_INIT;
      o.alpha = bad[i].alpha;
      o.gamma = bad[i].gamma;
      float losses[1] = {-7}, grad[2] = {-7, -7}, loss = -7;
      xent_error err = {0, 0, 0};
      CHECK(fn(y, p, 1, 2, &o, losses, grad, &loss, &err) == XENT_ERR_OPTION && err.arg &&
                strcmp(err.arg, bad[i].arg) == 0,
            "alpha %g gamma %g is an option error naming %s", bad[i].alpha, bad[i].gamma, bad[i].arg);
      CHECK(losses[0] == -7 && grad[0] == -7 && grad[1] == -7 && loss == -7, "nothing written on error");
    }
    xent_error err = {0, 0, 0};
    CHECK(fn(y, NULL, 1, 2, NULL, NULL, NULL, NULL, &err) == XENT_ERR_NULL && strcmp(err.arg, "y_pred") == 0,
          "a NULL y_pred is named");
    CHECK(fn(y, p, 1, 0, NULL, NULL, NULL, NULL, &err) == XENT_ERR_SHAPE, "zero classes is a shape error");
  }
}

int main(void) {
  both_losses_match_the_reference_for_every_option_and_row_length();
  the_keras_docstring_value_is_reproduced();
  the_binary_docstring_values_are_reproduced();
  binary_focal_with_gamma_zero_is_bce();
  gradients_match_central_differences();
  extreme_inputs_stay_finite();
  documented_values_at_the_edges();
  class_weights_weight_each_example_by_its_class();
  null_outputs_are_skipped();
  bad_options_are_named_and_nothing_is_written();
  stat *all[] = {&st_bin, &st_cat, &st_fd};
  for (int i = 0; i < 3; i++)
    printf("%-34s max rel err loss %.3g grad %.3g; max tolerance used loss %.3g grad %.3g (%ld values)\n",
           all[i]->name, all[i]->rel[0], all[i]->rel[1], all[i]->use[0], all[i]->use[1], all[i]->n);
  return check_summary(xent_simd() ? "test_focal (f32x4)" : "test_focal (scalar)");
}
