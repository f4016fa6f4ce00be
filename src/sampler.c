/* sampler.c: the log-uniform (Zipfian) candidate sampler of
 * tf.random.log_uniform_candidate_sampler, docs/semantics.md section 3.5:
 * unique sampling by redrawing, and the expected counts TensorFlow reports.
 * Called through xent.h by the JS API (js/sampled.js), by tests/c/test_sampler.c
 * and by tests/c/dump_sampler.c.
 *
 * Reproducibility: the random stream is SplitMix64 (one 64-bit state, no
 * global state), and every floating-point step uses + - * / on doubles only
 * (exp and log below are written out, no libm), compiled with
 * -ffp-contract=off: IEEE 754 rounds those operations identically everywhere,
 * so one seed draws the same classes natively, in either wasm module, and in
 * the JS reimplementation the tests use. TensorFlow's own stream (Philox) is
 * not reproduced. */
#include <stdint.h>
#include <string.h>

#include "xent_internal.h"

/* ---- SplitMix64 --------------------------------------------------------------- */

static uint64_t splitmix64(uint64_t *state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/* U in [0, 1): the top 53 bits times 2^-53. */
static double uniform01(uint64_t *state) {
  return (double)(splitmix64(state) >> 11) * 0x1.0p-53;
}

/* ---- exp and log in double from + - * / only ----------------------------------
 * ln 2 split so that n * LN2_HI is exact for |n| < 2^21. */
#define LN2_HI 6.93147180369123816490e-01
#define LN2_LO 1.90821492927058770002e-10

static uint64_t d2u(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
static double u2d(uint64_t u) { double d; memcpy(&d, &u, 8); return d; }

/* log(x) for finite x >= 2^-1000: x = m 2^e with m in [sqrt(1/2), sqrt(2)),
 * f = m - 1 (exact), log(m) = 2 atanh(s) with s = f / (2 + f), |s| <= 0.1716,
 * as 2 s (1 + s^2/3 + ... + s^22/23) (truncation below 1e-19 relative); then
 * e ln 2 added in two parts. About 1 ulp. */
static double dlog(double x) {
  uint64_t u = d2u(x);
  int e = (int)((u >> 52) & 0x7ff) - 1023;
  double m = u2d((u & 0x000FFFFFFFFFFFFFull) | 0x3FF0000000000000ull);
  if (m > 1.4142135623730951) {
    m = m * 0.5;
    e = e + 1;
  }
  double f = m - 1.0;
  double s = f / (2.0 + f);
  double s2 = s * s;
  double p = 1.0 / 23.0;
  for (int k = 21; k >= 1; k -= 2) p = p * s2 + 1.0 / (double)k;
  return (double)e * LN2_HI + ((double)e * LN2_LO + 2.0 * s * p);
}

/* exp(y) for y in [-708, 709]: n = nearest integer to y / ln 2,
 * r = y - n ln 2 (|r| <= 0.347), exp(r) by its Taylor series to r^13
 * (truncation below 5e-18), times 2^n built from bits. Below -708 it returns 0. */
static double dexp(double y) {
  if (y < -708.0) return 0.0;
  double t = y * 1.4426950408889634;
  int64_t n = (int64_t)(t + (t >= 0.0 ? 0.5 : -0.5));
  double r = (y - (double)n * LN2_HI) - (double)n * LN2_LO;
  double p = 1.0 / 6227020800.0; /* 1/13! */
  double fact = 6227020800.0;
  for (int k = 13; k >= 2; k--) {
    fact = fact / (double)k;
    p = p * r + 1.0 / fact;
  }
  /* p = 1 + r/2! ... now 1 + r p */
  double e = 1.0 + r * p;
  return e * u2d((uint64_t)(n + 1023) << 52);
}

/* log1p(x), x > -1, and expm1(y) to full accuracy from dlog and dexp
 * (Goldberg's and Kahan's corrections of the rounding of 1 + x and of exp). */
static double dlog1p(double x) {
  double u = 1.0 + x;
  if (u == 1.0) return x;
  return dlog(u) * x / (u - 1.0);
}
static double dexpm1(double y) {
  if (y < -40.0) return -1.0;
  double u = dexp(y);
  if (u == 1.0) return y;
  double um1 = u - 1.0;
  if (um1 == -1.0) return -1.0;
  return um1 * y / dlog(u);
}

/* ---- The sampler ---------------------------------------------------------------- */

/* P(k) = log((k + 2) / (k + 1)) / log(range_max + 1), rounded to float as TF
 * stores it. */
static float log_uniform_p(int64_t k, double log_range) {
  return (float)(dlog1p(1.0 / ((double)k + 1.0)) / log_range);
}

/* TensorFlow's ExpectedCountHelper: p n when num_tries == n, else
 * 1 - (1 - p)^num_tries = -expm1(num_tries log1p(-p)). */
static float expected_count(float p, size_t n, uint32_t num_tries) {
  if ((size_t)num_tries == n) return (float)((double)p * (double)n);
  if (p >= 1.0f) return 1.0f;
  return (float)-dexpm1((double)num_tries * dlog1p(-(double)p));
}

/* Capacity of the open-addressing set of drawn classes: a power of two at
 * least 2 num_sampled (load <= 1/2), at least 8. 0 when it overflows. */
static size_t set_capacity(size_t num_sampled) {
  size_t cap = 8;
  while (cap < 2 * num_sampled) {
    if (cap > SIZE_MAX / 8) return 0;
    cap *= 2;
  }
  return cap;
}

size_t xent_log_uniform_candidate_sampler_workspace_size(size_t num_sampled) {
  size_t cap = set_capacity(num_sampled);
  return cap && cap <= SIZE_MAX / sizeof(int32_t) ? cap * sizeof(int32_t) : SIZE_MAX;
}

/* Inserts k (>= 0) into the set; returns 1 when it was not there. */
static int set_insert(int32_t *keys, size_t mask, int32_t k) {
  size_t i = (size_t)(((uint32_t)k * 2654435761u) ^ ((uint32_t)k >> 15)) & mask;
  while (keys[i] >= 0) {
    if (keys[i] == k) return 0;
    i = (i + 1) & mask;
  }
  keys[i] = k;
  return 1;
}

xent_status xent_log_uniform_candidate_sampler(const int32_t *true_classes, size_t batch,
                                               size_t num_true, size_t num_sampled,
                                               int32_t unique, size_t range_max,
                                               uint32_t seed_lo, uint32_t seed_hi,
                                               int32_t *sampled_candidates,
                                               float *true_expected_count,
                                               float *sampled_expected_count,
                                               uint32_t *num_tries, void *work,
                                               size_t work_bytes, xent_error *err) {
  if (!sampled_candidates) return xent__fail(err, XENT_ERR_NULL, "sampled_candidates", 0, 0.0);
  if (batch > 0 && !true_classes) return xent__fail(err, XENT_ERR_NULL, "true_classes", 0, 0.0);
  if (num_true < 1 || (batch > 0 && num_true > SIZE_MAX / batch))
    return xent__fail(err, XENT_ERR_SHAPE, "num_true", 0, (double)num_true);
  if (num_sampled < 1 || num_sampled > INT32_MAX)
    return xent__fail(err, XENT_ERR_SHAPE, "num_sampled", 0, (double)num_sampled);
  if (range_max < 1 || range_max > INT32_MAX)
    return xent__fail(err, XENT_ERR_OPTION, "range_max", 0, (double)range_max);
  if (unique && num_sampled > range_max)
    return xent__fail(err, XENT_ERR_OPTION, "num_sampled", 0, (double)num_sampled);
  size_t need = unique ? xent_log_uniform_candidate_sampler_workspace_size(num_sampled) : 0;
  if (unique && (!work || work_bytes < need))
    return xent__fail(err, XENT_ERR_SHAPE, "work_bytes", 0, (double)work_bytes);
  for (size_t i = 0; i < batch * num_true; i++)
    if (true_classes[i] < 0 || (size_t)true_classes[i] >= range_max)
      return xent__fail(err, XENT_ERR_LABEL, "true_classes", i, (double)true_classes[i]);

  uint64_t state = ((uint64_t)seed_hi << 32) | seed_lo;
  double log_range = dlog((double)range_max + 1.0);
  int64_t range = (int64_t)range_max;
  uint32_t tries = 0;
  if (unique) {
    size_t cap = need / sizeof(int32_t);
    int32_t *keys = (int32_t *)work;
    for (size_t i = 0; i < cap; i++) keys[i] = -1;
    size_t picked = 0;
    while (picked < num_sampled) {
      if (tries >= (uint32_t)INT32_MAX - 1)
        return xent__fail(err, XENT_ERR_OPTION, "num_sampled", 0, (double)num_sampled);
      tries++;
      int64_t k = ((int64_t)dexp(uniform01(&state) * log_range) - 1) % range;
      if (set_insert(keys, cap - 1, (int32_t)k)) sampled_candidates[picked++] = (int32_t)k;
    }
  } else {
    for (size_t i = 0; i < num_sampled; i++) {
      int64_t k = ((int64_t)dexp(uniform01(&state) * log_range) - 1) % range;
      sampled_candidates[i] = (int32_t)k;
    }
    tries = (uint32_t)num_sampled;
  }
  if (num_tries) *num_tries = tries;
  if (sampled_expected_count)
    for (size_t i = 0; i < num_sampled; i++)
      sampled_expected_count[i] =
          expected_count(log_uniform_p(sampled_candidates[i], log_range), num_sampled, tries);
  if (true_expected_count)
    for (size_t i = 0; i < batch * num_true; i++)
      true_expected_count[i] =
          expected_count(log_uniform_p(true_classes[i], log_range), num_sampled, tries);
  return XENT_OK;
}
