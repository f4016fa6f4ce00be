/* test_math.c: the error budget of src/xent_math.h, Highway style. For each
 * function and domain, 2^20 inputs sampled uniformly over the float bit
 * patterns of the domain (deterministic), compared with the double libm value
 * of the same formula; prints "function domain max_ulp at_x" and asserts each
 * maximum is within the bound stated in xent_math.h. Then the special values
 * (0, -0, +-inf, NaN, FLT_MIN, denormals, 1, +-1e30), and in the SIMDe build
 * (test_math_simde) that every f32x4 lane is bit-identical to the scalar
 * function on the same inputs, including random bit patterns. Also the two
 * benchmark probes of src/probe.c for every tail length. */
#include <float.h>
#include <stdlib.h>

#include "check.h"
#include "xent_math.h"

float xent_probe_read(const float *x, size_t n);
void xent_probe_exp(const float *x, size_t n, float *out);

#define SAMPLES (1u << 20)

/* Float bit patterns in value order: ..., -0 and +0 share 0, ... */
static int64_t order_key(float f) {
  uint32_t u = check_bits(f);
  return (u & 0x80000000u) ? -(int64_t)(u & 0x7FFFFFFFu) : (int64_t)u;
}
static float from_key(int64_t k) {
  return k < 0 ? check_from_bits((uint32_t)(-k) | 0x80000000u) : check_from_bits((uint32_t)k);
}
/* Uniform over the float bit patterns of [lo, hi]. */
static float sample(check_rng *r, float lo, float hi) {
  int64_t a = order_key(lo), b = order_key(hi);
  return from_key(a + (int64_t)(check_next(r) % (uint64_t)(b - a + 1)));
}

/* A double result as the float it must round to at the overflow edge. */
static double edge(double v) {
  return fabs(v) >= 0x1.ffffffp127 ? copysign(INFINITY, v) : v;
}

/* Independent double references. */
static double ref_exp(double x) { return exp(x); }
static double ref_log(double x) { return log(x); }
static double ref_log1p(double x) { return log1p(x); }
static double ref_softplus_neg_abs(double x) { return log1p(exp(-fabs(x))); }
static double ref_sigmoid(double x) { return 1.0 / (1.0 + exp(-x)); }

static int same_bits(float a, float b) {
  return (isnan(a) && isnan(b)) || check_bits(a) == check_bits(b);
}

#if XENT_HAVE_SIMD128
typedef v128_t (*vec_fn)(v128_t);
#define VEC(f) f
#else
typedef void *vec_fn;
#define VEC(f) NULL
#endif

typedef struct {
  const char *name, *domain;
  float (*fn)(float);
  vec_fn vfn;
  double (*ref)(double);
  float lo, hi;
  double bound;    /* max ulp allowed (the figure stated in xent_math.h) */
  int flush;       /* results whose reference is below FLT_MIN may be 0 */
} row;

static void run_row(const row *t, uint64_t seed) {
  check_rng rng = {seed};
  double max_ulp = 0.0;
  float at = 0.0f;
  long flushed = 0, mismatch = 0;
  static float xs[SAMPLES], ys[SAMPLES];
  for (uint32_t i = 0; i < SAMPLES; i++) {
    xs[i] = sample(&rng, t->lo, t->hi);
    ys[i] = t->fn(xs[i]);
    double want = edge(t->ref((double)xs[i]));
    if (t->flush && fabs(want) < FLT_MIN) {
      if (ys[i] == 0.0f) {
        flushed++;
        continue;
      }
    }
    double u = check_ulps(ys[i], want);
    if (!(u <= max_ulp)) {
      max_ulp = u;
      at = xs[i];
    }
  }
#if XENT_HAVE_SIMD128
  for (uint32_t i = 0; i < SAMPLES; i += 4) {
    float out[4];
    wasm_v128_store(out, t->vfn(wasm_v128_load(xs + i)));
    for (int j = 0; j < 4; j++) mismatch += !same_bits(out[j], ys[i + j]);
  }
#else
  (void)t->vfn;
#endif
  printf("%-18s %-28s %8.3f  %-15.9g  (bound %g, flushed %ld)\n", t->name, t->domain, max_ulp,
         (double)at, t->bound, flushed);
  CHECK(max_ulp <= t->bound, "%s on %s: max ulp %g at x = %.9g exceeds %g", t->name, t->domain,
        max_ulp, (double)at, t->bound);
  CHECK(mismatch == 0, "%s on %s: %ld f32x4 lanes differ from the scalar result", t->name,
        t->domain, mismatch);
}

/* pow on a grid of exponents, base bit-uniform in [lo, hi]. */
static void run_pow(const char *domain, float lo, float hi, double bound, uint64_t seed) {
  static const float gammas[] = {0.25f, 0.5f, 1.0f, 1.5f, 2.0f, 2.5f, 3.0f, 4.0f, 5.0f, 7.3f, 10.0f};
  const int ng = (int)(sizeof gammas / sizeof gammas[0]);
  check_rng rng = {seed};
  double max_ulp = 0.0;
  float at_b = 0.0f, at_g = 0.0f;
  long mismatch = 0;
  for (uint32_t i = 0; i < SAMPLES; i += 4) {
    float b[4], g[4], y[4];
    for (int j = 0; j < 4; j++) {
      b[j] = sample(&rng, lo, hi);
      g[j] = gammas[check_next(&rng) % (uint64_t)ng];
      y[j] = xent_pow_scalar(b[j], g[j]);
      double u = check_ulps(y[j], edge(pow((double)b[j], (double)g[j])));
      if (!(u <= max_ulp)) {
        max_ulp = u;
        at_b = b[j];
        at_g = g[j];
      }
    }
#if XENT_HAVE_SIMD128
    /* The f32x4 form takes gamma splat: check one lane's gamma at a time. */
    for (int j = 0; j < 4; j++) {
      float out[4];
      wasm_v128_store(out, xent_pow_f32x4(wasm_v128_load(b), wasm_f32x4_splat(g[j])));
      mismatch += !same_bits(out[j], y[j]);
    }
#endif
  }
  char where[64];
  snprintf(where, sizeof where, "%.9g^%g", (double)at_b, (double)at_g);
  printf("%-18s %-28s %8.3f  %-15s  (bound %g)\n", "pow", domain, max_ulp, where, bound);
  CHECK(max_ulp <= bound, "pow on %s: max ulp %g at %s exceeds %g", domain, max_ulp, where, bound);
  CHECK(mismatch == 0, "pow on %s: %ld f32x4 lanes differ from the scalar result", domain,
        mismatch);
}

static const float DENORM_MIN = 0x1p-149f;

static void special_values(void) {
  /* exp */
  CHECK(xent_exp_scalar(0.0f) == 1.0f && xent_exp_scalar(-0.0f) == 1.0f, "exp(+-0) is exactly 1");
  CHECK(xent_exp_scalar(-INFINITY) == 0.0f, "exp(-inf) is 0");
  CHECK(xent_exp_scalar(-1e30f) == 0.0f && xent_exp_scalar(-87.34f) == 0.0f &&
            xent_exp_scalar(-FLT_MAX) == 0.0f, "exp below -87.3366 is exactly 0");
  CHECK(xent_exp_scalar(-87.33f) >= FLT_MIN, "exp(-87.33) is a normal float");
  CHECK(xent_exp_scalar(INFINITY) == INFINITY && xent_exp_scalar(1e30f) == INFINITY &&
            xent_exp_scalar(88.73f) == INFINITY, "exp above ln(FLT_MAX) is +inf");
  CHECK(check_ulps(xent_exp_scalar(88.72f), exp((double)88.72f)) <= 1.0, "exp(88.72) is finite and close");
  CHECK(isnan(xent_exp_scalar(NAN)), "exp(NaN) is NaN");
  CHECK(xent_exp_scalar(FLT_MIN) == 1.0f && xent_exp_scalar(DENORM_MIN) == 1.0f,
        "exp of tiny x is 1");
  CHECK(check_ulps(xent_exp_scalar(1.0f), exp(1.0)) <= 1.0, "exp(1) is e");
  /* log */
  CHECK(xent_log_scalar(1.0f) == 0.0f, "log(1) is exactly 0");
  CHECK(xent_log_scalar(0.0f) == -INFINITY && xent_log_scalar(-0.0f) == -INFINITY,
        "log(+-0) is -inf");
  CHECK(isnan(xent_log_scalar(-1.0f)) && isnan(xent_log_scalar(-INFINITY)) &&
            isnan(xent_log_scalar(-DENORM_MIN)), "log of a negative number is NaN");
  CHECK(xent_log_scalar(INFINITY) == INFINITY, "log(+inf) is +inf");
  CHECK(isnan(xent_log_scalar(NAN)), "log(NaN) is NaN");
  CHECK(check_ulps(xent_log_scalar(FLT_MIN), log((double)FLT_MIN)) <= 1.0, "log(FLT_MIN)");
  CHECK(check_ulps(xent_log_scalar(DENORM_MIN), log((double)DENORM_MIN)) <= 1.0,
        "log of the smallest denormal");
  CHECK(check_ulps(xent_log_scalar(FLT_MAX), log((double)FLT_MAX)) <= 1.0, "log(FLT_MAX)");
  /* log1p */
  CHECK(xent_log1p_scalar(0.0f) == 0.0f && xent_log1p_scalar(-0.0f) == 0.0f, "log1p(+-0) is 0");
  CHECK(check_ulps(xent_log1p_scalar(1e-10f), log1p((double)1e-10f)) <= 1.0,
        "log1p(1e-10) is 1e-10 within 1 ulp");
  CHECK(xent_log1p_scalar(DENORM_MIN) == DENORM_MIN && xent_log1p_scalar(-FLT_MIN) == -FLT_MIN,
        "log1p of a tiny x is x");
  CHECK(xent_log1p_scalar(-1.0f) == -INFINITY, "log1p(-1) is -inf");
  CHECK(isnan(xent_log1p_scalar(-1.5f)) && isnan(xent_log1p_scalar(-INFINITY)),
        "log1p below -1 is NaN");
  CHECK(xent_log1p_scalar(INFINITY) == INFINITY, "log1p(+inf) is +inf");
  CHECK(isnan(xent_log1p_scalar(NAN)), "log1p(NaN) is NaN");
  CHECK(check_ulps(xent_log1p_scalar(FLT_MAX), log1p((double)FLT_MAX)) <= 1.0, "log1p(FLT_MAX)");
  /* softplus(-|x|) */
  CHECK(check_ulps(xent_softplus_neg_abs_scalar(0.0f), log(2.0)) <= 1.0 &&
            xent_softplus_neg_abs_scalar(-0.0f) == xent_softplus_neg_abs_scalar(0.0f),
        "softplus(-|0|) is ln 2");
  CHECK(xent_softplus_neg_abs_scalar(1e30f) == 0.0f && xent_softplus_neg_abs_scalar(-1e30f) == 0.0f,
        "softplus(-|+-1e30|) is 0");
  CHECK(xent_softplus_neg_abs_scalar(INFINITY) == 0.0f &&
            xent_softplus_neg_abs_scalar(-INFINITY) == 0.0f, "softplus(-|+-inf|) is 0");
  CHECK(isnan(xent_softplus_neg_abs_scalar(NAN)), "softplus(-|NaN|) is NaN");
  CHECK(check_ulps(xent_softplus_neg_abs_scalar(-30.0f), log1p(exp(-30.0))) <= 1.0,
        "softplus(-30) is exp(-30) to 1 ulp");
  /* sigmoid */
  CHECK(xent_sigmoid_scalar(0.0f) == 0.5f && xent_sigmoid_scalar(-0.0f) == 0.5f,
        "sigmoid(+-0) is exactly 0.5");
  CHECK(xent_sigmoid_scalar(INFINITY) == 1.0f && xent_sigmoid_scalar(1e30f) == 1.0f,
        "sigmoid(+inf) and sigmoid(1e30) are 1");
  CHECK(xent_sigmoid_scalar(-INFINITY) == 0.0f && xent_sigmoid_scalar(-1e30f) == 0.0f,
        "sigmoid(-inf) and sigmoid(-1e30) are 0");
  CHECK(isnan(xent_sigmoid_scalar(NAN)), "sigmoid(NaN) is NaN");
  CHECK(xent_sigmoid_scalar(16.5f) < 1.0f && xent_sigmoid_scalar(17.0f) < 1.0f,
        "sigmoid(17) does not saturate: 1 - 4e-8 rounds below 1");
  CHECK(xent_sigmoid_scalar(17.5f) == 1.0f, "sigmoid(17.5) rounds to 1 in float32");
  CHECK(xent_sigmoid_scalar(-87.0f) > 0.0f, "sigmoid(-87) is not 0");
  /* pow */
  CHECK(xent_pow_scalar(0.0f, 2.0f) == 0.0f && xent_pow_scalar(0.0f, 1e-3f) == 0.0f,
        "pow(0, g > 0) is 0");
  CHECK(xent_pow_scalar(0.0f, 0.0f) == 1.0f && xent_pow_scalar(0.3f, 0.0f) == 1.0f &&
            xent_pow_scalar(DENORM_MIN, 0.0f) == 1.0f && xent_pow_scalar(INFINITY, 0.0f) == 1.0f,
        "pow(b, 0) is 1");
  CHECK(xent_pow_scalar(1.0f, 3.7f) == 1.0f && xent_pow_scalar(1.0f, 1e30f) == 1.0f,
        "pow(1, g) is 1");
  CHECK(xent_pow_scalar(INFINITY, 2.0f) == INFINITY, "pow(+inf, 2) is +inf");
  CHECK(xent_pow_scalar(0.5f, 2.0f) == 0.25f && xent_pow_scalar(3.0f, 2.0f) == 9.0f,
        "pow with an exactly representable result is exact");
  CHECK(check_ulps(xent_pow_scalar(2.0f, 0.5f), sqrt(2.0)) <= 0.5, "pow(2, 0.5) is sqrt 2");
  CHECK(check_ulps(xent_pow_scalar(DENORM_MIN, 0.5f), pow(0x1p-149, 0.5)) <= 0.5,
        "pow of a denormal base");
  CHECK(xent_pow_scalar(2.0f, 200.0f) == INFINITY && xent_pow_scalar(0.5f, 200.0f) == 0.0f,
        "pow overflows to +inf and underflows to 0");
  CHECK(isnan(xent_pow_scalar(-1.0f, 2.0f)) && isnan(xent_pow_scalar(NAN, 1.0f)),
        "pow of a negative or NaN base is NaN");
}

#if XENT_HAVE_SIMD128
/* Random bit patterns (NaN, inf, denormals included): every lane equal. */
static void lanes_on_all_bits(void) {
  check_rng rng = {77};
  long bad[6] = {0};
  for (uint32_t i = 0; i < SAMPLES; i += 4) {
    float x[4], o[6][4];
    for (int j = 0; j < 4; j++) x[j] = check_from_bits((uint32_t)check_next(&rng));
    v128_t v = wasm_v128_load(x);
    wasm_v128_store(o[0], xent_exp_f32x4(v));
    wasm_v128_store(o[1], xent_log_f32x4(v));
    wasm_v128_store(o[2], xent_log1p_f32x4(v));
    wasm_v128_store(o[3], xent_softplus_neg_abs_f32x4(v));
    wasm_v128_store(o[4], xent_sigmoid_f32x4(v));
    wasm_v128_store(o[5], xent_pow_f32x4(wasm_f32x4_abs(v), wasm_f32x4_splat(fabsf(x[0]))));
    for (int j = 0; j < 4; j++) {
      bad[0] += !same_bits(o[0][j], xent_exp_scalar(x[j]));
      bad[1] += !same_bits(o[1][j], xent_log_scalar(x[j]));
      bad[2] += !same_bits(o[2][j], xent_log1p_scalar(x[j]));
      bad[3] += !same_bits(o[3][j], xent_softplus_neg_abs_scalar(x[j]));
      bad[4] += !same_bits(o[4][j], xent_sigmoid_scalar(x[j]));
      bad[5] += !same_bits(o[5][j], xent_pow_scalar(fabsf(x[j]), fabsf(x[0])));
    }
  }
  static const char *names[6] = {"exp", "log", "log1p", "softplus_neg_abs", "sigmoid", "pow"};
  for (int f = 0; f < 6; f++)
    CHECK(bad[f] == 0, "%s: %ld f32x4 lanes differ from scalar on random bit patterns", names[f],
          bad[f]);
}
#endif

/* The probes: every tail length, no over-read (exact-size heap buffers for
 * ASan), exp identical to xent_exp_scalar, read equal to a double sum. */
static void probes(void) {
  for (size_t n = 0; n <= 40; n++) {
    float *x = malloc((n ? n : 1) * sizeof(float)), *y = malloc((n ? n : 1) * sizeof(float));
    double sum = 0.0;
    for (size_t i = 0; i < n; i++) {
      x[i] = (float)i * 0.25f - 3.0f;
      sum += x[i];
    }
    float s = xent_probe_read(x, n);
    CHECK(s == (float)sum, "probe_read(n = %zu) = %g, want %g", n, (double)s, sum);
    xent_probe_exp(x, n, y);
    long bad = 0;
    for (size_t i = 0; i < n; i++) bad += !same_bits(y[i], xent_exp_scalar(x[i]));
    CHECK(bad == 0, "probe_exp(n = %zu) differs from xent_exp_scalar in %ld elements", n, bad);
    free(x);
    free(y);
  }
}

int main(void) {
  const row rows[] = {
      {"exp", "[-87.33, 88.72]", xent_exp_scalar, VEC(xent_exp_f32x4), ref_exp, -87.33f, 88.72f, 1.0, 0},
      {"exp", "[-1, 1]", xent_exp_scalar, VEC(xent_exp_f32x4), ref_exp, -1.0f, 1.0f, 1.0, 0},
      {"exp", "[-FLT_MAX, FLT_MAX]", xent_exp_scalar, VEC(xent_exp_f32x4), ref_exp, -FLT_MAX, FLT_MAX, 1.0, 1},
      {"log", "(0, FLT_MAX] with denormals", xent_log_scalar, VEC(xent_log_f32x4), ref_log, DENORM_MIN, FLT_MAX, 1.0, 0},
      {"log", "[0.5, 2]", xent_log_scalar, VEC(xent_log_f32x4), ref_log, 0.5f, 2.0f, 1.0, 0},
      {"log1p", "[-1, FLT_MAX]", xent_log1p_scalar, VEC(xent_log1p_f32x4), ref_log1p, -1.0f, FLT_MAX, 1.0, 0},
      {"log1p", "[-1, 1e6]", xent_log1p_scalar, VEC(xent_log1p_f32x4), ref_log1p, -1.0f, 1e6f, 1.0, 0},
      {"log1p", "tiny [-1e-3, 1e-3]", xent_log1p_scalar, VEC(xent_log1p_f32x4), ref_log1p, -1e-3f, 1e-3f, 1.0, 0},
      {"log1p", "[-1, -0.25]", xent_log1p_scalar, VEC(xent_log1p_f32x4), ref_log1p, -1.0f, -0.25f, 1.0, 0},
      {"softplus_neg_abs", "[-FLT_MAX, FLT_MAX]", xent_softplus_neg_abs_scalar, VEC(xent_softplus_neg_abs_f32x4), ref_softplus_neg_abs, -FLT_MAX, FLT_MAX, 2.0, 1},
      {"softplus_neg_abs", "[-87, 87]", xent_softplus_neg_abs_scalar, VEC(xent_softplus_neg_abs_f32x4), ref_softplus_neg_abs, -87.0f, 87.0f, 2.0, 0},
      {"softplus_neg_abs", "[-4, 4]", xent_softplus_neg_abs_scalar, VEC(xent_softplus_neg_abs_f32x4), ref_softplus_neg_abs, -4.0f, 4.0f, 2.0, 0},
      {"sigmoid", "[-100, 100]", xent_sigmoid_scalar, VEC(xent_sigmoid_f32x4), ref_sigmoid, -100.0f, 100.0f, 2.5, 1},
      {"sigmoid", "[-87, 87]", xent_sigmoid_scalar, VEC(xent_sigmoid_f32x4), ref_sigmoid, -87.0f, 87.0f, 2.5, 0},
      {"sigmoid", "[-FLT_MAX, FLT_MAX]", xent_sigmoid_scalar, VEC(xent_sigmoid_f32x4), ref_sigmoid, -FLT_MAX, FLT_MAX, 2.5, 1},
  };
  printf("%-18s %-28s %8s  %s\n", "function", "domain", "max_ulp", "at_x");
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) run_row(&rows[i], 1000 + i);
  run_pow("base (0, 1], g grid", DENORM_MIN, 1.0f, 1.0, 2001);
  run_pow("base [0, 1e4], g grid", 0.0f, 1e4f, 1.0, 2002);
  special_values();
#if XENT_HAVE_SIMD128
  lanes_on_all_bits();
#endif
  probes();
  return check_summary(XENT_HAVE_SIMD128 ? "test_math (f32x4)" : "test_math (scalar)");
}
