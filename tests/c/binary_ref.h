/* binary_ref.h: what test_binary.c (Keras binary_crossentropy) and
 * test_binary_nn.c (the tf.nn sigmoid ops) share: the tolerances of the
 * numerics contract, the row lengths, error bookkeeping, the float64 reference
 * element formulas written from docs/semantics.md (2.3, 3.1, 3.2, 4.1-4.3), and
 * input generators. Independent of src/: nothing here calls the library. */
#ifndef XENT_BINARY_REF_H
#define XENT_BINARY_REF_H

#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "check.h"

#define REL 1e-6
#define ABS 1e-7
#define EPS32 ((double)1e-7f)          /* Keras' fuzz factor in float32 */
#define HI32 0.99999988079071044921875 /* 1 - eps rounded to float32 */

static const size_t lengths[] = {1, 2, 3, 4, 5, 7, 8, 9, 33, 263, 1000, 1001, 100000};
#define NLEN (sizeof lengths / sizeof lengths[0])

/* ---- Error bookkeeping per function and output (loss, gradient): the largest
 * relative error where |want| >= 1e-3, and the largest share of the tolerance
 * used, |got - want| / (1e-6 |want| + 1e-7), over every finite value. ---- */
typedef struct {
  const char *name;
  double rel[2], use[2];
  long n;
} stat;

/* A loss beyond float range is expected to saturate (xent.h). */
static inline double sat(double v) { return v > FLT_MAX ? FLT_MAX : v < -FLT_MAX ? -FLT_MAX : v; }

static inline int close_to(stat *s, int is_grad, double got, double want) {
  want = sat(want);
  if (isfinite(got) && isfinite(want)) {
    double e = fabs(got - want);
    if (fabs(want) >= 1e-3 && e / fabs(want) > s->rel[is_grad]) s->rel[is_grad] = e / fabs(want);
    if (e / (REL * fabs(want) + ABS) > s->use[is_grad])
      s->use[is_grad] = e / (REL * fabs(want) + ABS);
  }
  s->n++;
  return check_close(got, want, REL, ABS);
}

/* ---- The float64 reference, from docs/semantics.md --------------------------------- */

/* Probability element (2.3, 4.3). keras_log: log(fl(1 - p')) as Keras computes
 * it; otherwise the exact log(1 - p'), the smooth function differentiated by
 * the finite differences. */
static inline double ref_prob(double p, double y, double *g, int keras_log) {
  double pc = p < EPS32 ? EPS32 : (p > HI32 ? HI32 : p);
  double q = keras_log ? (double)(float)(1.0 - pc) : 1.0 - pc;
  if (g) *g = (p >= EPS32 && p <= HI32) ? (pc - y) / (pc * (1.0 - pc)) : 0.0;
  return -(y * log(pc) + (1.0 - y) * log(q));
}

static inline double ref_sigmoid(double x) {
  return x >= 0 ? 1.0 / (1.0 + exp(-x)) : exp(x) / (1.0 + exp(x));
}

/* Logits element (3.1 for q = 1, 3.2 otherwise; gradient 4.1, 4.2). */
static inline double ref_logit(double x, double z, double q, double *g) {
  double l = 1.0 + (q - 1.0) * z, sp = log1p(exp(-fabs(x)));
  if (g) *g = l * ref_sigmoid(x) - q * z;
  if (q == 1.0) return fmax(x, 0.0) - x * z + sp;
  return (1.0 - z) * x + l * (sp + fmax(-x, 0.0));
}

static inline float *fill(size_t n) { return malloc((n ? n : 1) * sizeof(float)); }
static inline double *dfill(size_t n) { return malloc((n ? n : 1) * sizeof(double)); }

/* Labels: kind 0 = 0/1, 1 = soft in [0, 1], 2 = multiples of 1/64 (exact when smoothed). */
static inline void make_labels(check_rng *r, float *y, size_t n, int kind) {
  for (size_t i = 0; i < n; i++) {
    double u = check_uniform(r, 0, 1);
    y[i] = kind == 0 ? (u < 0.4 ? 1.0f : 0.0f) : kind == 1 ? (float)u : (float)floor(u * 65) / 64;
  }
}
static inline void make_preds(check_rng *r, float *p, size_t n, int logits) {
  for (size_t i = 0; i < n; i++)
    p[i] = logits ? (float)check_uniform(r, -12, 12) : (float)check_uniform(r, 1e-4, 1 - 1e-4);
}

/* Prints the error table (for the release note). */
static inline void print_stats(const stat *const *all, int n, const char *build) {
  printf(
      "max relative error vs float64 where |want| >= 1e-3, and max share of the\n"
      "tolerance 1e-6 |want| + 1e-7 used over all values; build %s:\n",
      build);
  for (int i = 0; i < n; i++)
    printf("  %-36s loss %.2e (%.2f)  gradient %.2e (%.2f)  [%ld values]\n", all[i]->name,
           all[i]->rel[0], all[i]->use[0], all[i]->rel[1], all[i]->use[1], all[i]->n);
}

/* Checks that `call` fails with `status` naming `name` (needs an xent_error err). */
#define EXPECT(call, status, name)                                                                \
  do {                                                                                            \
    err.arg = NULL;                                                                               \
    xent_status s_ = (call);                                                                      \
    CHECK(s_ == (status) && err.arg && strcmp(err.arg, name) == 0, "%s: status %d arg %s", #call, \
          s_, err.arg ? err.arg : "(null)");                                                      \
  } while (0)

#endif /* XENT_BINARY_REF_H */
