/* check.h: the few helpers every C test shares: pass/fail counting with a
 * closing "N passed, M failed" line, tolerance comparisons against a float64
 * reference, a deterministic random generator, and float32 ulp distance.
 * References themselves are written in each test, independently of src/. */
#ifndef XENT_CHECK_H
#define XENT_CHECK_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int check_passed_, check_failed_;

#define CHECK(cond, ...)                                          \
  do {                                                            \
    if (cond) {                                                   \
      check_passed_++;                                            \
    } else {                                                      \
      check_failed_++;                                            \
      if (check_failed_ <= 40) {                                  \
        fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);      \
        fprintf(stderr, __VA_ARGS__);                             \
        fprintf(stderr, "\n");                                    \
      }                                                           \
    }                                                             \
  } while (0)

/* |got - want| <= rel * |want| + abs; NaN never passes. */
static inline int check_close(double got, double want, double rel, double abs_tol) {
  if (isnan(got) || isnan(want)) return 0;
  if (isinf(want)) return got == want;
  return fabs(got - want) <= rel * fabs(want) + abs_tol;
}

/* Prints the closing line and returns the process exit code. */
static inline int check_summary(const char *name) {
  printf("%s: %d passed, %d failed\n", name, check_passed_, check_failed_);
  return check_failed_ ? 1 : 0;
}

/* splitmix64: deterministic, seedable. */
typedef struct { uint64_t s; } check_rng;
static inline uint64_t check_next(check_rng *r) {
  uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}
/* Uniform in [lo, hi). */
static inline double check_uniform(check_rng *r, double lo, double hi) {
  return lo + (hi - lo) * ((double)(check_next(r) >> 11) * (1.0 / 9007199254740992.0));
}

static inline uint32_t check_bits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
static inline float check_from_bits(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }

/* Distance in float32 ulps between got and the float64 value want. */
static inline double check_ulps(float got, double want) {
  if (isnan(got) || isnan(want)) return (isnan(got) && isnan(want)) ? 0.0 : INFINITY;
  if (isinf(want) || isinf(got)) return ((double)got == want) ? 0.0 : INFINITY;
  double a = fabs(want);
  int e;
  frexp(a > 1.1754943508222875e-38 ? a : 1.1754943508222875e-38, &e);
  double ulp = ldexp(1.0, e - 24);
  return fabs((double)got - want) / ulp;
}

#endif /* XENT_CHECK_H */
