/* test_sampler.c: xent_log_uniform_candidate_sampler (src/sampler.c;
 * docs/semantics.md 3.5). Written here, independently of src/: a reference
 * sampler (SplitMix64 from check.h, libm exp and log1p, TensorFlow's
 * floor(exp(U log(R + 1))) - 1 mod R and its redraw-until-unique loop) that
 * must give the same classes and the same number of tries; TensorFlow's
 * expected-count formula evaluated in float32 as its ExpectedCountHelper does;
 * a chi-square test of 200 000 draws against the log-uniform probabilities;
 * every error status. Built twice by CMake (scalar and f32x4 via SIMDe). */
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "xent.h"

/* The reference draw: TF's LogUniformSampler::Sample with our uniform. */
static int64_t ref_draw(check_rng *r, int64_t range) {
  double u = (double)(check_next(r) >> 11) * (1.0 / 9007199254740992.0);
  int64_t v = (int64_t)floor(exp(u * log1p((double)range))) - 1;
  return v % range;
}

/* Reference sampling; returns num_tries. */
static uint32_t ref_sample(uint64_t seed, int unique, int64_t range, size_t n, int32_t *out) {
  check_rng r = {seed};
  uint32_t tries = 0;
  size_t picked = 0;
  while (picked < n) {
    int64_t v = ref_draw(&r, range);
    tries++;
    int seen = 0;
    for (size_t i = 0; unique && i < picked; i++) seen |= out[i] == v;
    if (!seen) out[picked++] = (int32_t)v;
  }
  return tries;
}

/* TF: Probability() in double stored as float; ExpectedCountHelper in float. */
static float tf_p(int64_t k, int64_t range) {
  return (float)(log((k + 2.0) / (k + 1.0)) / log1p((double)range));
}
static float tf_count(float p, int n, int tries) {
  if (tries == n) return p * (float)n;
  return -expm1f((float)tries * log1pf(-p));
}

static void *work_for(size_t n) { return malloc(xent_log_uniform_candidate_sampler_workspace_size(n)); }

static void test_same_classes_as_reference(void) {
  static const int64_t ranges[] = {1, 2, 3, 10, 1000, 100000, 2147483647};
  static const size_t ns[] = {1, 2, 7, 64};
  for (size_t ri = 0; ri < sizeof ranges / sizeof *ranges; ri++)
    for (size_t ni = 0; ni < sizeof ns / sizeof *ns; ni++)
      for (int unique = 0; unique < 2; unique++)
        for (uint64_t seed = 0; seed < 5; seed++) {
          int64_t R = ranges[ri];
          size_t n = ns[ni];
          if (unique && (int64_t)n > R) continue;
          uint64_t s64 = seed * 0x0123456789ABCDEFull + (uint64_t)R;
          int32_t got[64], want[64];
          float gc[64], tc[3];
          int32_t labels[3] = {0, (int32_t)(R / 2), (int32_t)(R - 1)};
          uint32_t tries = 0;
          void *w = work_for(n);
          xent_status st = xent_log_uniform_candidate_sampler(
              labels, 1, 3, n, unique, (size_t)R, (uint32_t)s64, (uint32_t)(s64 >> 32), got, tc,
              gc, &tries, w, xent_log_uniform_candidate_sampler_workspace_size(n), NULL);
          free(w);
          uint32_t want_tries = ref_sample(s64, unique, R, n, want);
          CHECK(st == XENT_OK, "status %d", st);
          CHECK(tries == want_tries, "R=%lld n=%zu unique=%d: %u tries, reference %u", (long long)R, n, unique, tries, want_tries);
          int same = 1;
          for (size_t i = 0; i < n; i++) same &= got[i] == want[i];
          CHECK(same, "R=%lld n=%zu unique=%d seed=%llu: candidates differ from the reference", (long long)R, n, unique, (unsigned long long)seed);
          /* Expected counts: TF's formula in float32, within 4 float ulps. */
          for (size_t i = 0; i < n; i++) {
            float want_c = tf_count(tf_p(got[i], R), (int)n, (int)tries);
            CHECK(check_ulps(gc[i], want_c) <= 4.0, "sampled count %zu: %.9g vs TF %.9g", i, gc[i], want_c);
          }
          for (int i = 0; i < 3; i++) {
            float want_c = tf_count(tf_p(labels[i], R), (int)n, (int)tries);
            CHECK(check_ulps(tc[i], want_c) <= 4.0, "true count %d: %.9g vs TF %.9g", i, tc[i], want_c);
          }
        }
}

/* Wilson-Hilferty: the q-quantile of chi-square with df degrees of freedom
 * given the standard normal quantile zq. */
static double chi2_quantile(double df, double zq) {
  double a = 2.0 / (9.0 * df);
  double c = 1.0 - a + zq * sqrt(a);
  return df * c * c * c;
}

/* 200 000 draws with replacement binned (small classes one by one, then
 * geometric bins) against P(k) = log((k+2)/(k+1)) / log(R+1); the statistic
 * must stay below the 0.999 quantile (z = 3.0902). */
static void test_chi_square(int64_t R, uint64_t seed) {
  enum { N = 200000 };
  int32_t *c = malloc(N * sizeof *c);
  xent_status st = xent_log_uniform_candidate_sampler(NULL, 0, 1, N, 0, (size_t)R, (uint32_t)seed,
                                                      (uint32_t)(seed >> 32), c, NULL, NULL, NULL,
                                                      NULL, 0, NULL);
  CHECK(st == XENT_OK, "status %d", st);
  /* Bin edges: 0, 1, ..., 15, then x2 each, up to R. */
  int64_t edges[64];
  int nb = 0;
  for (int64_t e = 0; e < R && e < 16; e++) edges[nb++] = e;
  for (int64_t e = 32; e < R; e *= 2) edges[nb++] = e;
  edges[nb] = R;
  double chi2 = 0.0;
  long counts[64] = {0};
  for (int i = 0; i < N; i++) {
    int b = 0;
    while (b + 1 < nb && c[i] >= edges[b + 1]) b++;
    counts[b]++;
  }
  double L = log1p((double)R);
  for (int b = 0; b < nb; b++) {
    double p = (log((double)edges[b + 1] + 1.0) - log((double)edges[b] + 1.0)) / L;
    double e = p * N;
    chi2 += (counts[b] - e) * (counts[b] - e) / e;
  }
  double lim = chi2_quantile(nb - 1, 3.0902);
  printf("chi-square R=%lld: %.2f with %d degrees of freedom (0.999 quantile %.2f)\n", (long long)R, chi2, nb - 1, lim);
  CHECK(chi2 < lim, "chi-square %.2f >= %.2f", chi2, lim);
  free(c);
}

static void test_errors(void) {
  int32_t out[8], labels[2] = {0, 5};
  char work[256];
  xent_error e = {0};
  CHECK(xent_log_uniform_candidate_sampler(labels, 1, 2, 8, 1, 7, 1, 0, out, NULL, NULL, NULL, work, sizeof work, &e) == XENT_ERR_OPTION &&
            strcmp(e.arg, "num_sampled") == 0,
        "unique num_sampled > range_max is XENT_ERR_OPTION on num_sampled");
  CHECK(xent_log_uniform_candidate_sampler(labels, 1, 2, 7, 0, 7, 1, 0, out, NULL, NULL, NULL, NULL, 0, &e) == XENT_OK,
        "num_sampled == range_max is allowed");
  CHECK(xent_log_uniform_candidate_sampler(labels, 1, 2, 8, 0, 7, 1, 0, out, NULL, NULL, NULL, NULL, 0, &e) == XENT_OK,
        "without unique, num_sampled > range_max is allowed");
  CHECK(xent_log_uniform_candidate_sampler(labels, 1, 2, 3, 1, 5, 1, 0, out, NULL, NULL, NULL, work, sizeof work, &e) == XENT_ERR_LABEL &&
            strcmp(e.arg, "true_classes") == 0 && e.index == 1 && e.value == 5.0,
        "a true class == range_max is XENT_ERR_LABEL at its index");
  CHECK(xent_log_uniform_candidate_sampler(labels, 1, 2, 3, 1, 9, 1, 0, out, NULL, NULL, NULL, work, 4, &e) == XENT_ERR_SHAPE &&
            strcmp(e.arg, "work_bytes") == 0,
        "a short workspace is XENT_ERR_SHAPE");
  CHECK(xent_log_uniform_candidate_sampler(labels, 1, 2, 3, 1, 0, 1, 0, out, NULL, NULL, NULL, work, sizeof work, &e) == XENT_ERR_OPTION,
        "range_max 0 is XENT_ERR_OPTION");
  CHECK(xent_log_uniform_candidate_sampler(labels, 1, 2, 0, 1, 9, 1, 0, out, NULL, NULL, NULL, work, sizeof work, &e) == XENT_ERR_SHAPE,
        "num_sampled 0 is XENT_ERR_SHAPE");
  CHECK(xent_log_uniform_candidate_sampler(labels, 1, 2, 3, 1, 9, 1, 0, NULL, NULL, NULL, NULL, work, sizeof work, &e) == XENT_ERR_NULL,
        "no output is XENT_ERR_NULL");
}

/* Unique sampling of every class of a small range finds each exactly once. */
static void test_unique_all(void) {
  enum { R = 300 };
  int32_t out[R];
  float cnt[R];
  uint32_t tries = 0;
  void *w = work_for(R);
  xent_status st = xent_log_uniform_candidate_sampler(NULL, 0, 1, R, 1, R, 42, 0, out, NULL, cnt, &tries, w,
                                                      xent_log_uniform_candidate_sampler_workspace_size(R), NULL);
  free(w);
  int seen[R] = {0};
  for (int i = 0; i < R; i++) seen[out[i]]++;
  int all = 1;
  for (int i = 0; i < R; i++) all &= seen[i] == 1;
  CHECK(st == XENT_OK && all, "num_sampled == range_max draws a permutation");
  CHECK(tries > R, "it takes more than %d tries (%u)", R, tries);
  printf("unique sampling of all %d classes took %u tries\n", R, tries);
}

int main(void) {
  test_same_classes_as_reference();
  test_chi_square(50, 7);
  test_chi_square(100000, 11);
  test_chi_square(2147483647, 13);
  test_errors();
  test_unique_all();
  return check_summary("test_sampler");
}
