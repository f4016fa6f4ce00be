/* fuzz_sampled.c: the libFuzzer harness of the candidate sampler and the two
 * sampled losses of src/xent.h (xent_log_uniform_candidate_sampler,
 * xent_sampled_softmax_loss, xent_nce_loss and their workspace-size
 * functions; docs/semantics.md sections 3.5 and 9). Built by CMakeLists.txt
 * under -DXENT_FUZZ=ON for the entries.h lines of kind SAMPLER and SAMPLED,
 * XENT_FUZZ_ENTRY their index; fuzz_xent.c does the same for every other
 * entry point. From the fuzzer's bytes it decodes small shapes (and
 * impossible ones), options, class ids, expected counts and data (special
 * values often, raw float bits otherwise), calls the scalar build and the
 * f32x4 build (SIMDe; symbols renamed xs_*) on the same arguments, outputs
 * and workspaces in exactly sized heap blocks filled with a sentinel, and
 * aborts when:
 *   - the builds differ in a workspace size, a status or the error details;
 *   - on error, an output byte (grad->num_ids included) was written;
 *   - an input was modified;
 *   - on success, an output element differs between the builds (any NaN
 *     equal to any NaN);
 *   - sampler: a candidate outside [0, range_max), a repeated candidate with
 *     `unique`, num_tries below num_sampled (or not equal to it without
 *     `unique`), an expected count that is not finite and > 0, or a second
 *     call with the same seed that draws other candidates;
 *   - sampled losses: a non-finite output from finite inputs (any size: a
 *     float32 dot product that overflows is recomputed in double), or a
 *     class id outside the ones used. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "entries.h"
#include "xent.h"

#define DECLARE_SIMD(kind, fn) extern __typeof__(fn) xs_##fn;
XENT_FUZZ_ENTRIES(DECLARE_SIMD)
extern __typeof__(xent_log_uniform_candidate_sampler_workspace_size)
    xs_xent_log_uniform_candidate_sampler_workspace_size;
extern __typeof__(xent_sampled_workspace_size) xs_xent_sampled_workspace_size;

typedef void (*any_fn)(void);
typedef struct entry { int kind; const char *name; any_fn scalar, simd; } entry;
#define ROW(kind, fn) {kind, #fn, (any_fn)fn, (any_fn)xs_##fn},
static const entry ENTRIES[] = {XENT_FUZZ_ENTRIES(ROW)};
static const entry *E;

typedef __typeof__(xent_log_uniform_candidate_sampler) sampler_fn;
typedef __typeof__(xent_sampled_softmax_loss) sampled_fn;

#define FAIL(...)                                   \
  do {                                              \
    fprintf(stderr, "fuzz_sampled %s: ", E->name);  \
    fprintf(stderr, __VA_ARGS__);                   \
    fprintf(stderr, "\n");                          \
    abort();                                        \
  } while (0)

/* ---- Decoding (the byte format of fuzz_xent.c) --------------------------------- */

#include "fuzz_input.h"

/* An expected count: mostly valid (> 0, finite), sometimes not. */
static float count_value(reader *r) {
  static const float q[] = {1.0f, 0.5f, 0.01f, 1e-7f, 1e-30f, FLT_MIN, 1e-45f, 2.0f, 24.0f,
                            3e38f, FLT_MAX, 0.0f, -0.0f, -1.0f, NAN, INFINITY};
  uint8_t b = u8(r);
  return b < 200 ? q[b % 11] : q[b % 16];
}
/* A class id in [0, n) most of the time, else one outside. */
static int32_t class_id(reader *r, size_t n) {
  uint8_t b = u8(r);
  if (b < 240) return (int32_t)(((uint32_t)b << 8 | u8(r)) % n);
  int32_t bad[] = {-1, (int32_t)n, INT32_MIN, INT32_MAX};
  return bad[b % 4];
}

#define SENTINEL 0xA5
static void *filled(size_t bytes) {
  void *p = malloc(bytes ? bytes : 1);
  memset(p, SENTINEL, bytes ? bytes : 1);
  return p;
}
static int untouched(const void *p, size_t bytes) {
  const uint8_t *b = p;
  for (size_t i = 0; p && i < bytes; i++)
    if (b[i] != SENTINEL) return 0;
  return 1;
}
static void *copy(const void *p, size_t bytes) {
  void *c = malloc(bytes ? bytes : 1);
  if (p && bytes) memcpy(c, p, bytes);
  return c;
}
static int same(float a, float b) {
  uint32_t x, y;
  memcpy(&x, &a, 4), memcpy(&y, &b, 4);
  return x == y || (a != a && b != b);
}
static void compare(const char *what, const float *s, const float *v, size_t n, int finite) {
  if (!s) return;
  for (size_t i = 0; i < n; i++) {
    if (!same(s[i], v[i])) FAIL("%s[%zu]: scalar %a, f32x4 %a differ", what, i, (double)s[i], (double)v[i]);
    if (finite && !isfinite(s[i])) FAIL("%s[%zu] = %g from finite inputs", what, i, (double)s[i]);
  }
}
static void same_error(xent_status st, const xent_error *s, const xent_error *v) {
  if (!s) return;
  if (!s->arg || !v->arg) FAIL("status %d without err->arg", st);
  if (strcmp(s->arg, v->arg) || s->index != v->index || !same((float)s->value, (float)v->value))
    FAIL("error details differ: %s[%zu] vs %s[%zu]", s->arg, s->index, v->arg, v->index);
}

/* ---- The sampler ------------------------------------------------------------------ */

typedef struct s_out {
  int32_t *cand;
  float *tec, *sec;
  uint32_t *tries;
  void *work;
  xent_error *err;
  xent_status st;
} s_out;

static void fuzz_sampler(reader *r) {
  uint8_t m = u8(r), f = u8(r);
  size_t batch = u8(r) % 9, num_true = 1 + u8(r) % 3, num_sampled = 1 + u8(r) % 24;
  size_t range_max = 1 + (((size_t)u8(r) << 8 | u8(r)) % (m & 0x40 ? 2000 : 40));
  int32_t unique = (m & 0x80) ? 0 : (m & 0x20) ? -7 : 1;
  int null_true = 0, null_cand = 0, short_work = 0;
  switch (m & 0x1f) {
    case 31: num_true = 0; break;
    case 30: num_sampled = 0; break;
    case 29: range_max = 0; break;
    case 28: range_max = (size_t)INT32_MAX + 1; break;
    case 27: range_max = INT32_MAX; break; /* the widest range */
    case 26: num_sampled = range_max + 1; break;
    case 25: null_true = 1; break;
    case 24: null_cand = 1; break;
    case 23: short_work = 1; break;
    case 22: num_true = SIZE_MAX / 2; if (!batch) batch = 3; break;
    case 21: num_sampled = (size_t)INT32_MAX + 1; break;
    default: break;
  }
  uint32_t seed_lo = u32(r), seed_hi = u32(r);
  int shape_ok = num_true >= 1 && num_true <= 3 && num_sampled >= 1 && num_sampled <= 4096;
  size_t bt = shape_ok ? batch * num_true : 0, ns = shape_ok ? num_sampled : 0;
  int32_t *tc = malloc(sizeof(int32_t) * (bt + 1));
  for (size_t i = 0; i < bt; i++) tc[i] = class_id(r, range_max && range_max <= INT32_MAX ? range_max : 1);
  int32_t *tc0 = copy(tc, sizeof(int32_t) * bt);

  size_t ws = xent_log_uniform_candidate_sampler_workspace_size(num_sampled);
  if (ws != xs_xent_log_uniform_candidate_sampler_workspace_size(num_sampled))
    FAIL("workspace sizes differ for num_sampled %zu", num_sampled);
  if (shape_ok && ws < 2 * num_sampled * sizeof(int32_t)) FAIL("workspace %zu too small", ws);
  size_t wbytes = !shape_ok || (f & 0x10) ? 0 : short_work ? ws - 4 : ws;

  s_out o[3];
  for (int k = 0; k < 3; k++) {
    s_out *p = &o[k];
    p->cand = null_cand ? NULL : filled(sizeof(int32_t) * ns);
    p->tec = (f & 1) ? NULL : filled(sizeof(float) * bt);
    p->sec = (f & 2) ? NULL : filled(sizeof(float) * ns);
    p->tries = (f & 4) ? NULL : filled(sizeof(uint32_t));
    p->err = (f & 8) ? NULL : filled(sizeof(xent_error));
    p->work = wbytes ? filled(wbytes) : NULL;
    sampler_fn *fn = (sampler_fn *)(k == 1 ? E->simd : E->scalar);
    p->st = fn(null_true ? NULL : tc, batch, num_true, num_sampled, unique, range_max, seed_lo,
               seed_hi, p->cand, p->tec, p->sec, p->tries, p->work, wbytes, p->err);
  }
  if (memcmp(tc0, tc, sizeof(int32_t) * bt)) FAIL("true_classes was modified");
  if (o[0].st != o[1].st || o[0].st != o[2].st) FAIL("status: scalar %d, f32x4 %d, again %d", o[0].st, o[1].st, o[2].st);
  xent_status st = o[0].st;
  if (getenv("XENT_FUZZ_TRACE")) fprintf(stderr, "sampler: status %d, num_sampled %zu, range_max %zu, unique %d\n", st, num_sampled, range_max, unique);
  if (st < XENT_OK || st >= XENT_STATUS_COUNT) FAIL("status %d is not in the list", st);
  if (st == XENT_OK && !shape_ok) FAIL("an impossible shape was accepted");
  if (st != XENT_OK) {
    for (int k = 0; k < 2; k++)
      if (!untouched(o[k].cand, sizeof(int32_t) * ns) || !untouched(o[k].tec, sizeof(float) * bt) ||
          !untouched(o[k].sec, sizeof(float) * ns) || !untouched(o[k].tries, sizeof(uint32_t)))
        FAIL("status %d, but an output was written", st);
    same_error(st, o[0].err, o[1].err);
  } else {
    if (memcmp(o[0].cand, o[1].cand, sizeof(int32_t) * ns)) FAIL("candidates differ between the builds");
    if (memcmp(o[0].cand, o[2].cand, sizeof(int32_t) * ns)) FAIL("the same seed drew other candidates");
    for (size_t i = 0; i < ns; i++) {
      if (o[0].cand[i] < 0 || (size_t)o[0].cand[i] >= range_max)
        FAIL("candidate %d outside [0, %zu)", o[0].cand[i], range_max);
      for (size_t j = 0; unique && j < i; j++)
        if (o[0].cand[j] == o[0].cand[i]) FAIL("candidate %d drawn twice with unique", o[0].cand[i]);
    }
    if (o[0].tries) {
      if (*o[0].tries != *o[1].tries) FAIL("num_tries: scalar %u, f32x4 %u", *o[0].tries, *o[1].tries);
      if (unique ? *o[0].tries < num_sampled : *o[0].tries != num_sampled)
        FAIL("num_tries %u for num_sampled %zu", *o[0].tries, num_sampled);
    }
    compare("true_expected_count", o[0].tec, o[1].tec, bt, 1);
    compare("sampled_expected_count", o[0].sec, o[1].sec, ns, 1);
    for (size_t i = 0; o[0].tec && i < bt; i++)
      if (!(o[0].tec[i] > 0.0f)) FAIL("true_expected_count[%zu] = %g", i, (double)o[0].tec[i]);
    for (size_t i = 0; o[0].sec && i < ns; i++)
      if (!(o[0].sec[i] > 0.0f)) FAIL("sampled_expected_count[%zu] = %g", i, (double)o[0].sec[i]);
  }
  for (int k = 0; k < 3; k++) free(o[k].cand), free(o[k].tec), free(o[k].sec), free(o[k].tries), free(o[k].err), free(o[k].work);
  free(tc), free(tc0);
}

/* ---- The sampled losses ------------------------------------------------------------ */

typedef struct l_out {
  float *losses;
  xent_sampled_grad g;
  int null_grad;
  void *work;
  xent_error *err;
  xent_status st;
} l_out;

static int all_finite(const float *v, size_t n) {
  for (size_t i = 0; v && i < n; i++)
    if (!isfinite(v[i])) return 0;
  return 1;
}

static void fuzz_sampled(reader *r) {
  uint8_t m = u8(r), f = u8(r), g = u8(r);
  xent_sampled_args a;
  memset(&a, 0, sizeof a);
  a.batch = u8(r) % 6;
  a.dim = 1 + u8(r) % ((m & 0x40) ? 40 : 9);
  a.num_classes = 1 + u8(r) % 30;
  a.num_true = 1 + u8(r) % 3;
  a.num_sampled = 1 + u8(r) % 12;
  a.remove_accidental_hits = (f & 1) ? ((f & 2) ? 3 : 1) : 0;
  a.subtract_log_q = (f & 4) ? 0 : (f & 8) ? -1 : 1;
  int nulls = 0, short_work = 0;
  switch (m & 0x1f) {
    case 31: a.dim = 0; break;
    case 30: a.num_classes = 0; break;
    case 29: a.num_true = 0; break;
    case 28: a.num_sampled = 0; break;
    case 27: a.batch = SIZE_MAX / 8; break;
    case 26: a.num_classes = (size_t)INT32_MAX + 1; break;
    case 25: short_work = 1; break;
    case 24: nulls = 1 + u8(r) % 7; break;
    case 23: a.num_classes = 1; break; /* every class is every candidate */
    default: break;
  }
  int ok = a.dim >= 1 && a.num_classes >= 1 && a.num_classes <= 30 && a.num_true >= 1 &&
           a.num_sampled >= 1 && a.batch <= 5;
  size_t B = ok ? a.batch : 0, D = ok ? a.dim : 0, C = ok ? a.num_classes : 0;
  size_t T = ok ? a.num_true : 0, S = ok ? a.num_sampled : 0, cap = B * T + S;
  float *w = malloc(sizeof(float) * (C * D + 1)), *bi = malloc(sizeof(float) * (C + 1));
  float *x = malloc(sizeof(float) * (B * D + 1));
  int32_t *lab = malloc(sizeof(int32_t) * (B * T + 1)), *cand = malloc(sizeof(int32_t) * (S + 1));
  float *tec = malloc(sizeof(float) * (B * T + 1)), *sec = malloc(sizeof(float) * (S + 1));
  for (size_t i = 0; i < B * D; i++) x[i] = value(r);
  for (size_t i = 0; i < C * D; i++) w[i] = value(r);
  for (size_t i = 0; i < C; i++) bi[i] = value(r);
  for (size_t i = 0; i < B * T; i++) lab[i] = class_id(r, C);
  for (size_t i = 0; i < S; i++) cand[i] = class_id(r, C);
  for (size_t i = 0; i < B * T; i++) tec[i] = count_value(r);
  for (size_t i = 0; i < S; i++) sec[i] = count_value(r);
  a.weights = nulls == 1 ? NULL : w;
  a.biases = nulls == 2 ? NULL : bi;
  a.inputs = nulls == 3 ? NULL : x;
  a.labels = nulls == 4 ? NULL : lab;
  a.sampled_candidates = nulls == 5 ? NULL : cand;
  a.true_expected_count = nulls == 6 ? NULL : tec;
  a.sampled_expected_count = nulls == 7 ? NULL : sec;
  xent_sampled_args a0 = a;
  float *w0 = copy(w, sizeof(float) * C * D), *bi0 = copy(bi, sizeof(float) * C), *x0 = copy(x, sizeof(float) * B * D);
  int32_t *lab0 = copy(lab, sizeof(int32_t) * B * T), *cand0 = copy(cand, sizeof(int32_t) * S);
  float *tec0 = copy(tec, sizeof(float) * B * T), *sec0 = copy(sec, sizeof(float) * S);

  size_t ws = xent_sampled_workspace_size(a.batch, a.num_true, a.num_sampled);
  if (ws != xs_xent_sampled_workspace_size(a.batch, a.num_true, a.num_sampled))
    FAIL("workspace sizes differ for %zu, %zu, %zu", a.batch, a.num_true, a.num_sampled);
  size_t wbytes = !ok || (g & 0x40) ? 0 : short_work ? ws - 1 - u8(r) % 8 : ws;

  l_out o[2];
  for (int k = 0; k < 2; k++) {
    l_out *p = &o[k];
    p->losses = (g & 1) ? NULL : filled(sizeof(float) * B);
    memset(&p->g, SENTINEL, sizeof p->g);
    p->null_grad = (g & 2) != 0;
    p->g.inputs = (g & 4) ? NULL : filled(sizeof(float) * B * D);
    p->g.class_ids = (g & 8) ? NULL : filled(sizeof(int32_t) * cap);
    p->g.weights = (g & 16) ? NULL : filled(sizeof(float) * cap * D);
    p->g.biases = (g & 32) ? NULL : filled(sizeof(float) * cap);
    p->err = (g & 0x80) ? NULL : filled(sizeof(xent_error));
    p->work = wbytes ? filled(wbytes) : NULL;
    sampled_fn *fn = (sampled_fn *)(k ? E->simd : E->scalar);
    p->st = fn(nulls == 0 && (f & 0xf0) == 0xf0 ? NULL : &a, p->losses, p->null_grad ? NULL : &p->g,
               p->work, wbytes, p->err);
  }
  if (memcmp(&a0, &a, sizeof a) || memcmp(w0, w, sizeof(float) * C * D) || memcmp(bi0, bi, sizeof(float) * C) ||
      memcmp(x0, x, sizeof(float) * B * D) || memcmp(lab0, lab, sizeof(int32_t) * B * T) ||
      memcmp(cand0, cand, sizeof(int32_t) * S) || memcmp(tec0, tec, sizeof(float) * B * T) ||
      memcmp(sec0, sec, sizeof(float) * S))
    FAIL("an input was modified");
  xent_status st = o[0].st;
  if (getenv("XENT_FUZZ_TRACE"))
    fprintf(stderr, "sampled: status %d (%s), batch %zu, dim %zu, classes %zu, true %zu, sampled %zu\n", st,
            o[0].err && st ? o[0].err->arg : "-", a.batch, a.dim, a.num_classes, a.num_true, a.num_sampled);
  if (st != o[1].st) FAIL("status: scalar %d, f32x4 %d", st, o[1].st);
  if (st < XENT_OK || st >= XENT_STATUS_COUNT) FAIL("status %d is not in the list", st);
  if (st == XENT_OK && !ok) FAIL("an impossible shape was accepted");
  if (st != XENT_OK) {
    for (int k = 0; k < 2; k++) {
      l_out *p = &o[k];
      if (!untouched(p->losses, sizeof(float) * B) || !untouched(p->g.inputs, sizeof(float) * B * D) ||
          !untouched(p->g.class_ids, sizeof(int32_t) * cap) || !untouched(p->g.weights, sizeof(float) * cap * D) ||
          !untouched(p->g.biases, sizeof(float) * cap) || !untouched(&p->g.num_ids, sizeof p->g.num_ids))
        FAIL("status %d, but an output was written", st);
    }
    same_error(st, o[0].err, o[1].err);
  } else {
    int finite = all_finite(w, C * D) && all_finite(bi, C) && all_finite(x, B * D);
    for (size_t i = 0; finite && a.subtract_log_q && i < B * T; i++) finite = isfinite(tec[i]);
    for (size_t i = 0; finite && a.subtract_log_q && i < S; i++) finite = isfinite(sec[i]);
    compare("losses", o[0].losses, o[1].losses, B, finite);
    if (!o[0].null_grad) {
      size_t n = o[0].g.num_ids;
      if (n != o[1].g.num_ids) FAIL("num_ids: scalar %zu, f32x4 %zu", n, o[1].g.num_ids);
      if (n < 1 || n > cap) FAIL("num_ids %zu outside [1, %zu]", n, cap);
      compare("grad.inputs", o[0].g.inputs, o[1].g.inputs, B * D, finite);
      compare("grad.weights", o[0].g.weights, o[1].g.weights, n * D, finite);
      compare("grad.biases", o[0].g.biases, o[1].g.biases, n, finite);
      if (o[0].g.class_ids) {
        if (memcmp(o[0].g.class_ids, o[1].g.class_ids, sizeof(int32_t) * n)) FAIL("class_ids differ between the builds");
        for (size_t i = 0; i < n; i++) {
          int32_t c = o[0].g.class_ids[i], used = 0;
          for (size_t j = 0; j < S && !used; j++) used = cand[j] == c;
          for (size_t j = 0; j < B * T && !used; j++) used = lab[j] == c;
          for (size_t j = 0; j < i; j++)
            if (o[0].g.class_ids[j] == c) FAIL("class id %d listed twice", c);
          if (!used) FAIL("class id %d is neither a label nor a candidate", c);
        }
      }
    }
  }
  for (int k = 0; k < 2; k++) {
    l_out *p = &o[k];
    free(p->losses), free(p->g.inputs), free(p->g.class_ids), free(p->g.weights), free(p->g.biases), free(p->err), free(p->work);
  }
  free(w), free(bi), free(x), free(lab), free(cand), free(tec), free(sec);
  free(w0), free(bi0), free(x0), free(lab0), free(cand0), free(tec0), free(sec0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  E = &ENTRIES[XENT_FUZZ_ENTRY];
  reader r = {data, size};
  if (E->kind == SAMPLER) fuzz_sampler(&r);
  else fuzz_sampled(&r);
  return 0;
}
