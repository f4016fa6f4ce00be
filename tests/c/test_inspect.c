/* test_inspect.c: xent_inspect (src/inspect.c) on generated data of every
 * label encoding (0/1, integer, one-hot, multi-hot, soft, per-class [0, 1]) and
 * every output kind (logits, sigmoid, softmax), clean and with corrupted rows
 * (NaN, Inf, a 2, a -1, a 0.5, a row that sums to 1.4), for row lengths 1 to 9
 * and long rows. Expected counts are computed here, element by element in
 * double, from the definitions in xent.h, independently of src/. */
#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "xent.h"

enum { ENC_BINARY01, ENC_INTEGER, ENC_ONEHOT, ENC_MULTIHOT, ENC_SOFT, ENC_UNIT, ENC_COUNT };
enum { OUT_LOGITS, OUT_SIGMOID, OUT_SOFTMAX, OUT_COUNT };
static const char *ENC_NAMES[] = {"binary01", "integer", "onehot", "multihot", "soft", "unit"};
static const char *OUT_NAMES[] = {"logits", "sigmoid", "softmax"};

/* The definitions of xent.h, written out plainly. */
typedef struct expect {
  unsigned nonfinite, integer, binary, onehot, unit, sum1;
  double lo, hi;
  int any_finite;
} expect;

static void expect_row(expect *e, const float *x, size_t n) {
  int integer = 1, binary = 1, unit = 1;
  unsigned ones = 0;
  double sum = 0.0;
  for (size_t j = 0; j < n; j++) {
    double v = x[j];
    if (!isfinite(v)) {
      e->nonfinite++;
      integer = binary = unit = 0;
      continue;
    }
    if (v != trunc(v)) integer = 0;
    if (v == 1.0) ones++;
    else if (v != 0.0) binary = 0;
    if (v < 0.0 || v > 1.0) unit = 0;
    sum += v;
    if (!e->any_finite || v < e->lo) e->lo = v;
    if (!e->any_finite || v > e->hi) e->hi = v;
    e->any_finite = 1;
  }
  e->integer += integer;
  e->binary += binary;
  e->onehot += binary && ones == 1;
  e->unit += unit;
  e->sum1 += unit && fabs(sum - 1.0) <= 1e-3;
}

static void fill_labels(check_rng *r, int enc, float *y, size_t rows, size_t cols) {
  for (size_t b = 0; b < rows; b++) {
    float *row = y + b * cols;
    double total = 0.0;
    for (size_t j = 0; j < cols; j++) {
      switch (enc) {
        case ENC_BINARY01: row[j] = (float)(check_next(r) & 1); break;
        case ENC_INTEGER: row[j] = (float)(check_next(r) % 37); break;
        case ENC_ONEHOT: row[j] = 0.0f; break;
        case ENC_MULTIHOT: row[j] = (float)(check_next(r) % 3 == 0); break;
        case ENC_SOFT: row[j] = (float)check_uniform(r, 0.05, 1.0); total += row[j]; break;
        default: row[j] = (float)check_uniform(r, 0.0, 1.0); break;
      }
    }
    if (enc == ENC_ONEHOT) row[check_next(r) % cols] = 1.0f;
    if (enc == ENC_SOFT)
      for (size_t j = 0; j < cols; j++) row[j] = (float)(row[j] / total);
  }
}

static void fill_preds(check_rng *r, int out, float *p, size_t rows, size_t cols) {
  for (size_t b = 0; b < rows; b++) {
    float *row = p + b * cols;
    double total = 0.0;
    for (size_t j = 0; j < cols; j++) {
      if (out == OUT_LOGITS) row[j] = (float)check_uniform(r, -8.0, 8.0);
      else row[j] = (float)check_uniform(r, 0.0, 1.0);
      total += row[j];
    }
    if (out == OUT_SOFTMAX)
      for (size_t j = 0; j < cols; j++) row[j] = (float)(row[j] / total);
  }
}

/* Damage a few rows in place: one value becomes NaN, Inf, 2, -1, 0.5 or 0.4
 * added (a row that no longer sums to 1). */
static void corrupt(check_rng *r, float *x, size_t rows, size_t cols) {
  static const float bad[] = {NAN, INFINITY, -INFINITY, 2.0f, -1.0f, 0.5f};
  for (size_t k = 0; k < rows / 5 + 1; k++) {
    size_t b = check_next(r) % rows, j = check_next(r) % cols;
    unsigned kind = (unsigned)(check_next(r) % 7);
    if (kind < 6) x[b * cols + j] = bad[kind];
    else x[b * cols + j] += 0.4f;
  }
}

static void compare(const char *what, const float *y, size_t label_cols, const float *p,
                    size_t rows, size_t classes) {
  xent_inspection got;
  xent_error err;
  memset(&got, 0xAB, sizeof got);
  xent_status s = xent_inspect(y, label_cols, p, rows, classes, &got, &err);
  CHECK(s == XENT_OK, "%s: status %d", what, (int)s);
  expect t = {0}, q = {0};
  for (size_t b = 0; b < rows; b++) {
    expect_row(&t, y + b * label_cols, label_cols);
    expect_row(&q, p + b * classes, classes);
  }
  CHECK(got.rows == rows, "%s: rows %u", what, got.rows);
  CHECK(got.label_nonfinite == t.nonfinite, "%s: label_nonfinite %u, want %u", what, got.label_nonfinite, t.nonfinite);
  CHECK(got.label_integer_rows == t.integer, "%s: label_integer_rows %u, want %u", what, got.label_integer_rows, t.integer);
  CHECK(got.label_binary_rows == t.binary, "%s: label_binary_rows %u, want %u", what, got.label_binary_rows, t.binary);
  CHECK(got.label_onehot_rows == t.onehot, "%s: label_onehot_rows %u, want %u", what, got.label_onehot_rows, t.onehot);
  CHECK(got.label_unit_rows == t.unit, "%s: label_unit_rows %u, want %u", what, got.label_unit_rows, t.unit);
  CHECK(got.label_sum1_rows == t.sum1, "%s: label_sum1_rows %u, want %u", what, got.label_sum1_rows, t.sum1);
  CHECK(got.label_min == (t.any_finite ? t.lo : 0.0) && got.label_max == (t.any_finite ? t.hi : 0.0),
        "%s: label range [%g, %g], want [%g, %g]", what, got.label_min, got.label_max, t.lo, t.hi);
  CHECK(got.pred_nonfinite == q.nonfinite, "%s: pred_nonfinite %u, want %u", what, got.pred_nonfinite, q.nonfinite);
  CHECK(got.pred_unit_rows == q.unit, "%s: pred_unit_rows %u, want %u", what, got.pred_unit_rows, q.unit);
  CHECK(got.pred_sum1_rows == q.sum1, "%s: pred_sum1_rows %u, want %u", what, got.pred_sum1_rows, q.sum1);
  CHECK(got.pred_min == (q.any_finite ? q.lo : 0.0) && got.pred_max == (q.any_finite ? q.hi : 0.0),
        "%s: pred range [%g, %g], want [%g, %g]", what, got.pred_min, got.pred_max, q.lo, q.hi);
}

static void counts_match_the_definitions_for_every_encoding_and_length(void) {
  static const size_t lengths[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 31, 1000};
  check_rng r = {20261123};
  for (size_t li = 0; li < sizeof lengths / sizeof *lengths; li++) {
    size_t classes = lengths[li], rows = 40;
    float *y = malloc(rows * classes * sizeof(float)), *p = malloc(rows * classes * sizeof(float));
    for (int enc = 0; enc < ENC_COUNT; enc++) {
      int one_col = enc == ENC_BINARY01 || enc == ENC_INTEGER;
      size_t label_cols = one_col ? 1 : classes;
      for (int out = 0; out < OUT_COUNT; out++) {
        for (int damaged = 0; damaged < 2; damaged++) {
          char what[96];
          snprintf(what, sizeof what, "%s/%s classes %zu%s", ENC_NAMES[enc], OUT_NAMES[out], classes,
                   damaged ? " corrupted" : "");
          fill_labels(&r, enc, y, rows, label_cols);
          fill_preds(&r, out, p, rows, classes);
          if (damaged) {
            corrupt(&r, y, rows, label_cols);
            corrupt(&r, p, rows, classes);
          }
          compare(what, y, label_cols, p, rows, classes);
        }
      }
    }
    free(y);
    free(p);
  }
}

static void clean_data_is_counted_as_its_own_encoding(void) {
  enum { ROWS = 50, C = 7 };
  static float y[ROWS * C], p[ROWS * C];
  check_rng r = {7};
  xent_inspection s;
  fill_labels(&r, ENC_ONEHOT, y, ROWS, C);
  fill_preds(&r, OUT_SOFTMAX, p, ROWS, C);
  CHECK(xent_inspect(y, C, p, ROWS, C, &s, NULL) == XENT_OK, "one-hot/softmax inspects");
  CHECK(s.label_onehot_rows == ROWS && s.label_binary_rows == ROWS && s.label_sum1_rows == ROWS,
        "every one-hot row is one-hot, 0/1 and sums to 1");
  CHECK(s.pred_sum1_rows == ROWS && s.pred_unit_rows == ROWS && s.pred_nonfinite == 0,
        "every softmax row lies in [0, 1] and sums to 1");
  fill_labels(&r, ENC_INTEGER, y, ROWS, 1);
  fill_preds(&r, OUT_LOGITS, p, ROWS, C);
  CHECK(xent_inspect(y, 1, p, ROWS, C, &s, NULL) == XENT_OK, "integer/logits inspects");
  CHECK(s.label_integer_rows == ROWS && s.label_min >= 0.0f && s.label_max <= 36.0f, "integer labels are integer rows in [0, 36]");
  CHECK(s.pred_unit_rows < ROWS / 10 && s.pred_min < -1.0f && s.pred_max > 1.0f, "logits mostly leave [0, 1]");
  /* Exactly one corrupted label row among one-hot rows. */
  fill_labels(&r, ENC_ONEHOT, y, ROWS, C);
  y[3 * C + 1] = 2.0f;
  CHECK(xent_inspect(y, C, p, ROWS, C, &s, NULL) == XENT_OK && s.label_onehot_rows == ROWS - 1 &&
            s.label_max == 2.0f, "one damaged one-hot row is counted out");
}

static void nonfinite_values_are_counted_and_left_out_of_the_range(void) {
  float y[4] = {NAN, INFINITY, -INFINITY, NAN}, p[4] = {0.25f, NAN, 0.75f, -INFINITY};
  xent_inspection s;
  CHECK(xent_inspect(y, 2, p, 2, 2, &s, NULL) == XENT_OK, "non-finite data is not an error");
  CHECK(s.label_nonfinite == 4 && s.label_integer_rows == 0 && s.label_unit_rows == 0, "all four labels non-finite");
  CHECK(s.label_min == 0.0f && s.label_max == 0.0f, "no finite label: the range reads [0, 0]");
  CHECK(s.pred_nonfinite == 2 && s.pred_min == 0.25f && s.pred_max == 0.75f, "finite predictions give the range");
}

static void bad_arguments_are_named_and_nothing_is_written(void) {
  float y[6] = {0}, p[6] = {0};
  xent_inspection s;
  xent_error err;
  memset(&s, 0x5A, sizeof s);
  xent_inspection before = s;
  CHECK(xent_inspect(y, 2, p, 2, 3, &s, &err) == XENT_ERR_SHAPE && strcmp(err.arg, "label_cols") == 0 &&
            err.value == 2.0, "label_cols other than 1 or classes is a shape error");
  CHECK(xent_inspect(y, 1, p, 2, 0, &s, &err) == XENT_ERR_SHAPE && strcmp(err.arg, "classes") == 0,
        "zero classes is a shape error");
  CHECK(xent_inspect(NULL, 1, p, 2, 3, &s, &err) == XENT_ERR_NULL && strcmp(err.arg, "y_true") == 0, "NULL y_true");
  CHECK(xent_inspect(y, 1, NULL, 2, 3, &s, &err) == XENT_ERR_NULL && strcmp(err.arg, "y_pred") == 0, "NULL y_pred");
  CHECK(xent_inspect(y, 1, p, 2, 3, NULL, &err) == XENT_ERR_NULL && strcmp(err.arg, "out") == 0, "NULL out");
  CHECK(xent_inspect(y, 1, p, SIZE_MAX / 2, 3, &s, &err) == XENT_ERR_SHAPE && strcmp(err.arg, "batch") == 0,
        "a batch too large for the buffers is a shape error");
  CHECK(memcmp(&s, &before, sizeof s) == 0, "failed calls write nothing");
  CHECK(xent_inspect(NULL, 1, NULL, 0, 3, &s, NULL) == XENT_OK && s.rows == 0 && s.label_integer_rows == 0 &&
            s.pred_min == 0.0f, "an empty batch gives zero counts");
}

int main(void) {
  CHECK(sizeof(xent_inspection) == 14 * 4, "xent_inspection is 14 four-byte fields");
  counts_match_the_definitions_for_every_encoding_and_length();
  clean_data_is_counted_as_its_own_encoding();
  nonfinite_values_are_counted_and_left_out_of_the_range();
  bad_arguments_are_named_and_nothing_is_written();
  return check_summary("test_inspect");
}
