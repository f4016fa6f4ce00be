/* inspect.c: xent_inspect, one pass over labels [batch, label_cols] and
 * predictions [batch, classes] that counts what the data looks like: integer,
 * 0/1, one-hot, [0, 1] and sum-to-1 label rows; [0, 1] and sum-to-1 prediction
 * rows; non-finite values; value ranges (the encodings of
 * docs/semantics.md section 7.1). The counts are turned into a verdict by
 * js/inspect-classify.js; js/index.js `inspect` calls this through wasm.
 *
 * Each row is scanned once by row_scan_scalar or row_scan_f32x4 (same steps,
 * same names). Every test is a comparison folded into a mask, without a branch
 * per element; the f32x4 tail goes through a zeroed local copy of the last
 * 1-3 values with a lane mask that keeps the padding out of every count. Row
 * sums are accumulated in double (f64x2 in the f32x4 kernel). */
#include <math.h>
#include <string.h>

#include "xent_internal.h"

/* |sum - 1| within this makes a [0, 1] row "sums to 1" (xent.h). */
#define SUM1_TOLERANCE 1e-3

/* What one row holds. lo/hi cover the finite values (+inf/-inf when none). */
typedef struct row_stats {
  uint32_t nonfinite, ones;
  int all_integer, all_binary, all_unit;
  double sum;
  float lo, hi;
} row_stats;

static void row_scan_scalar(const float *x, size_t n, row_stats *r) {
  uint32_t nonfinite = 0, ones = 0;
  int all_integer = 1, all_binary = 1, all_unit = 1;
  double sum4[4] = {0.0, 0.0, 0.0, 0.0}; /* element j in lane j % 4, as row_scan_f32x4 adds */
  float lo = INFINITY, hi = -INFINITY;
  for (size_t j = 0; j < n; j++) {
    float v = x[j];
    int fin = (v - v) == 0.0f; /* false for NaN and +-Inf */
    nonfinite += (uint32_t)!fin;
    all_integer &= fin & (floorf(v) == v);
    int is_one = v == 1.0f;
    all_binary &= (v == 0.0f) | is_one;
    ones += (uint32_t)is_one;
    all_unit &= (v >= 0.0f) & (v <= 1.0f);
    sum4[j % 4] += (double)v;
    lo = fminf(lo, fin ? v : INFINITY);
    hi = fmaxf(hi, fin ? v : -INFINITY);
  }
  r->nonfinite = nonfinite;
  r->ones = ones;
  r->all_integer = all_integer;
  r->all_binary = all_binary;
  r->all_unit = all_unit;
  r->sum = (sum4[0] + sum4[2]) + (sum4[1] + sum4[3]);
  r->lo = lo;
  r->hi = hi;
}

#if XENT_HAVE_SIMD128
typedef struct acc_f32x4 {
  v128_t nonfinite, ones;                   /* i32 lane counts */
  v128_t all_integer, all_binary, all_unit; /* lane masks */
  v128_t sum_lo, sum_hi;                    /* f64x2 partial sums */
  v128_t lo, hi;
} acc_f32x4;

/* One block of four values; `valid` masks the lanes that hold data. */
static inline void scan_block_f32x4(acc_f32x4 *a, v128_t v, v128_t valid) {
  const v128_t zero = wasm_f32x4_splat(0.0f), one = wasm_f32x4_splat(1.0f);
  v128_t padding = wasm_v128_not(valid);
  v128_t fin = wasm_f32x4_eq(wasm_f32x4_sub(v, v), zero);
  a->nonfinite = wasm_i32x4_sub(a->nonfinite, wasm_v128_andnot(valid, fin));
  v128_t is_integer = wasm_v128_and(fin, wasm_f32x4_eq(wasm_f32x4_floor(v), v));
  a->all_integer = wasm_v128_and(a->all_integer, wasm_v128_or(is_integer, padding));
  v128_t is_one = wasm_f32x4_eq(v, one);
  v128_t is_binary = wasm_v128_or(wasm_f32x4_eq(v, zero), is_one);
  a->all_binary = wasm_v128_and(a->all_binary, wasm_v128_or(is_binary, padding));
  a->ones = wasm_i32x4_sub(a->ones, wasm_v128_and(is_one, valid));
  v128_t is_unit = wasm_v128_and(wasm_f32x4_ge(v, zero), wasm_f32x4_le(v, one));
  a->all_unit = wasm_v128_and(a->all_unit, wasm_v128_or(is_unit, padding));
  v128_t kept = wasm_v128_and(v, valid);
  a->sum_lo = wasm_f64x2_add(a->sum_lo, wasm_f64x2_promote_low_f32x4(kept));
  a->sum_hi = wasm_f64x2_add(a->sum_hi,
                             wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(kept, kept, 2, 3, 2, 3)));
  v128_t finite_data = wasm_v128_and(fin, valid);
  a->lo = wasm_f32x4_min(a->lo, wasm_v128_bitselect(v, wasm_f32x4_splat(INFINITY), finite_data));
  a->hi = wasm_f32x4_max(a->hi, wasm_v128_bitselect(v, wasm_f32x4_splat(-INFINITY), finite_data));
}

static uint32_t lanes_u32(v128_t c) {
  return (uint32_t)wasm_i32x4_extract_lane(c, 0) + (uint32_t)wasm_i32x4_extract_lane(c, 1) +
         (uint32_t)wasm_i32x4_extract_lane(c, 2) + (uint32_t)wasm_i32x4_extract_lane(c, 3);
}

static void row_scan_f32x4(const float *x, size_t n, row_stats *r) {
  acc_f32x4 a;
  a.nonfinite = a.ones = wasm_i32x4_splat(0);
  a.all_integer = a.all_binary = a.all_unit = wasm_i32x4_splat(-1);
  a.sum_lo = a.sum_hi = wasm_f64x2_splat(0.0);
  a.lo = wasm_f32x4_splat(INFINITY);
  a.hi = wasm_f32x4_splat(-INFINITY);
  const v128_t all = wasm_i32x4_splat(-1);
  size_t j = 0;
  for (; j + 4 <= n; j += 4) scan_block_f32x4(&a, wasm_v128_load(x + j), all);
  if (j < n) {
    float tail[4] = {0.0f, 0.0f, 0.0f, 0.0f};
    memcpy(tail, x + j, (n - j) * sizeof(float));
    v128_t valid = wasm_i32x4_lt(wasm_i32x4_make(0, 1, 2, 3), wasm_i32x4_splat((int32_t)(n - j)));
    scan_block_f32x4(&a, wasm_v128_load(tail), valid);
  }
  r->nonfinite = lanes_u32(a.nonfinite);
  r->ones = lanes_u32(a.ones);
  r->all_integer = wasm_i32x4_all_true(a.all_integer);
  r->all_binary = wasm_i32x4_all_true(a.all_binary);
  r->all_unit = wasm_i32x4_all_true(a.all_unit);
  v128_t s = wasm_f64x2_add(a.sum_lo, a.sum_hi);
  r->sum = wasm_f64x2_extract_lane(s, 0) + wasm_f64x2_extract_lane(s, 1);
  r->lo = fminf(fminf(wasm_f32x4_extract_lane(a.lo, 0), wasm_f32x4_extract_lane(a.lo, 1)),
                fminf(wasm_f32x4_extract_lane(a.lo, 2), wasm_f32x4_extract_lane(a.lo, 3)));
  r->hi = fmaxf(fmaxf(wasm_f32x4_extract_lane(a.hi, 0), wasm_f32x4_extract_lane(a.hi, 1)),
                fmaxf(wasm_f32x4_extract_lane(a.hi, 2), wasm_f32x4_extract_lane(a.hi, 3)));
}
#endif

static int sums_to_1(const row_stats *r) {
  return r->all_unit && fabs(r->sum - 1.0) <= SUM1_TOLERANCE;
}

xent_status xent_inspect(const float *y_true, size_t label_cols, const float *y_pred,
                         size_t batch, size_t classes, xent_inspection *out,
                         xent_error *err) {
  if (!out) return xent__fail(err, XENT_ERR_NULL, "out", 0, 0.0);
  if (classes == 0) return xent__fail(err, XENT_ERR_SHAPE, "classes", 0, 0.0);
  if (label_cols != 1 && label_cols != classes)
    return xent__fail(err, XENT_ERR_SHAPE, "label_cols", 0, (double)label_cols);
  if (batch > UINT32_MAX || batch > (SIZE_MAX / sizeof(float) - 16) / classes)
    return xent__fail(err, XENT_ERR_SHAPE, "batch", 0, (double)batch);
  if (batch > 0 && !y_true) return xent__fail(err, XENT_ERR_NULL, "y_true", 0, 0.0);
  if (batch > 0 && !y_pred) return xent__fail(err, XENT_ERR_NULL, "y_pred", 0, 0.0);

  xent_inspection s;
  memset(&s, 0, sizeof s);
  s.rows = (uint32_t)batch;
  float label_lo = INFINITY, label_hi = -INFINITY, pred_lo = INFINITY, pred_hi = -INFINITY;
  for (size_t b = 0; b < batch; b++) {
    row_stats t, p;
    XENT_KERNEL(row_scan)(y_true + b * label_cols, label_cols, &t);
    XENT_KERNEL(row_scan)(y_pred + b * classes, classes, &p);
    s.label_nonfinite += t.nonfinite;
    s.label_integer_rows += (uint32_t)t.all_integer;
    s.label_binary_rows += (uint32_t)t.all_binary;
    s.label_onehot_rows += (uint32_t)(t.all_binary && t.ones == 1);
    s.label_unit_rows += (uint32_t)t.all_unit;
    s.label_sum1_rows += (uint32_t)sums_to_1(&t);
    label_lo = fminf(label_lo, t.lo);
    label_hi = fmaxf(label_hi, t.hi);
    s.pred_nonfinite += p.nonfinite;
    s.pred_unit_rows += (uint32_t)p.all_unit;
    s.pred_sum1_rows += (uint32_t)sums_to_1(&p);
    pred_lo = fminf(pred_lo, p.lo);
    pred_hi = fmaxf(pred_hi, p.hi);
  }
  /* No finite value seen: the range reads [0, 0]. A zero bound reads +0
   * (adding +0 turns -0 into +0): which zero a min or max keeps differs
   * between the scalar and f32x4 scans, the bounds must not. */
  if (label_lo <= label_hi) {
    s.label_min = label_lo + 0.0f;
    s.label_max = label_hi + 0.0f;
  }
  if (pred_lo <= pred_hi) {
    s.pred_min = pred_lo + 0.0f;
    s.pred_max = pred_hi + 0.0f;
  }
  *out = s;
  return XENT_OK;
}
