/* fuzz_xent.c: the libFuzzer harness of every public loss and inspection
 * entry point of src/xent.h (listed in entries.h; the sampler and sampled
 * losses are fuzz_sampled.c's; built once per entry point, with
 * XENT_FUZZ_ENTRY its index, by CMakeLists.txt under -DXENT_FUZZ=ON). From
 * the fuzzer's bytes it decodes a shape, options, weights, labels and
 * predictions (special values such as 0, 1, 1e-7, +-FLT_MAX, NaN and Inf
 * often, raw float bits otherwise), calls the scalar build and the f32x4
 * build (SIMDe; its symbols renamed xs_*) on the same arguments, and aborts
 * when a guarantee of docs/semantics.md ("Guarantees") breaks:
 *   - both builds return the same status and error details;
 *   - on error, no output byte is written;
 *   - no input (data, weights, options) is modified;
 *   - on success, per-element outputs (per-example or per-element losses,
 *     gradients, the inspection) are bit-identical between the builds, any
 *     NaN equal to any NaN;
 *   - on success with finite inputs, weights and options, every output is
 *     finite.
 * Outputs are exactly sized heap blocks, so ASan reports any write past
 * them. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "entries.h"
#include "xent.h"

/* The f32x4 build's entry points. */
#define DECLARE_SIMD(kind, fn) extern __typeof__(fn) xs_##fn;
XENT_FUZZ_ENTRIES(DECLARE_SIMD)
extern __typeof__(xent_simd) xs_xent_simd;
extern __typeof__(xent_status_string) xs_xent_status_string;
extern __typeof__(xent_options_size) xs_xent_options_size;
extern __typeof__(xent_error_size) xs_xent_error_size;

typedef void (*any_fn)(void);
typedef struct entry { int kind; const char *name; any_fn scalar, simd; } entry;
#define ROW(kind, fn) {kind, #fn, (any_fn)fn, (any_fn)xs_##fn},
static const entry ENTRIES[] = {XENT_FUZZ_ENTRIES(ROW)};

typedef xent_status (*dense_fn)(const float *, const float *, size_t, size_t,
                                const xent_options *, float *, float *, float *, xent_error *);
typedef xent_status (*sparse_fn)(const int32_t *, const float *, size_t, size_t,
                                 const xent_options *, float *, float *, float *, xent_error *);
typedef xent_status (*nn_fn)(const float *, const float *, size_t, size_t, float *, float *,
                             xent_error *);
typedef xent_status (*nn_weighted_fn)(const float *, const float *, size_t, size_t, float,
                                      float *, float *, xent_error *);
typedef xent_status (*nn_weighted_per_class_fn)(const float *, const float *, size_t, size_t,
                                                const float *, float *, float *, xent_error *);
typedef xent_status (*nn_sparse_fn)(const int32_t *, const float *, size_t, size_t, float *,
                                    float *, xent_error *);
typedef xent_status (*inspect_fn)(const float *, size_t, const float *, size_t, size_t,
                                  xent_inspection *, xent_error *);

#define FAIL(...)                                                      \
  do {                                                                 \
    fprintf(stderr, "fuzz_xent %s: ", E->name);                        \
    fprintf(stderr, __VA_ARGS__);                                      \
    fprintf(stderr, " (batch %zu, classes %zu)\n", A.batch, A.classes); \
    dump();                                                            \
    abort();                                                           \
  } while (0)

static void dump(void);

/* ---- Decoding ---------------------------------------------------------------- */

#include "fuzz_input.h"

static float pick(reader *r, const float *v, size_t n) { return v[u8(r) % n]; }

/* One call's arguments. */
typedef struct args {
  size_t batch, classes, label_cols, total, n_losses;
  int null_true, null_pred, null_opt, want_losses, want_grad, want_loss, want_err;
  xent_options opt;
  float pos_weight;
  float *y_true, *y_pred, *sw, *cw, *alphas, *posw;
  uint8_t *mask;
  int32_t *labels;
} args;

static args A;
static const entry *E;

static void decode_shape(reader *r) {
  uint8_t mode = u8(r);
  A.batch = u8(r) % 33;
  A.classes = 1 + u8(r) % 24;
  if (mode & 0x80) { /* long rows: across the 4-, 8- and 16-element blocks and tails */
    A.classes = 1 + (u8(r) << 8 | u8(r)) % 300;
    A.batch = u8(r) % 5;
  } else if (mode & 0x40 && A.classes == 1) { /* one long column (the exp blocks of 256) */
    A.batch = (u8(r) << 8 | u8(r)) % 700;
  }
  A.null_true = A.null_pred = 0;
  switch (mode & 0x1f) {
    case 31: A.classes = 0; break;
    case 30: A.batch = SIZE_MAX / 4 / A.classes + 1; break; /* more bytes than memory */
    case 29: A.null_true = 1; break;
    case 28: A.null_pred = 1; break;
    default: break;
  }
  A.label_cols = A.classes;
  if (E->kind == INSPECT && (mode & 0x20)) A.label_cols = 1;
  if (E->kind == INSPECT && (mode & 0x1f) == 27) A.label_cols = 2 + A.classes;
}

static void decode_options(reader *r) {
  static const float smoothing[] = {0.0f, 0.0f, 0.1f, 0.5f, 1.0f, 1e-7f, -0.1f, 1.5f, NAN};
  static const float alpha[] = {0.25f, 0.0f, 1.0f, 0.5f, 0.9f, -0.1f, 1.1f, NAN};
  static const float gamma[] = {2.0f, 0.0f, 1.0f, 0.5f, 3.0f, 4.0f, 2.5f, 7.0f, 0.1f,
                                1e30f, FLT_MAX, INFINITY, -1.0f, NAN};
  uint8_t f = u8(r);
  A.null_opt = (f & 7) == 7;
  A.want_losses = !(f & 8);
  A.want_grad = !(f & 16);
  A.want_loss = !(f & 32);
  A.want_err = !(f & 64);
  xent_options *o = &A.opt;
  uint8_t g = u8(r);
  o->from_logits = (g & 3) == 3 ? -5 : g & 1;
  o->reduction = (g >> 2) % 6 == 5 ? ((g & 0x80) ? -1 : 4) : (g >> 2) % 4;
  o->apply_class_balancing = (g >> 5) & 1;
  o->label_smoothing = pick(r, smoothing, sizeof smoothing / sizeof *smoothing);
  o->alpha = pick(r, alpha, sizeof alpha / sizeof *alpha);
  o->gamma = pick(r, gamma, sizeof gamma / sizeof *gamma);
  uint8_t h = u8(r);
  int32_t ignore[] = {-1, 0, 1, (int32_t)A.classes - 1, (int32_t)A.classes, INT32_MIN,
                      INT32_MAX, 2};
  o->has_ignore_class = (h & 3) == 0;
  o->ignore_class = ignore[(h >> 2) & 7];
  o->sample_weight = NULL;
  o->class_weight = NULL;
  A.sw = A.cw = NULL;
  /* Shapes that must fail get a one-value buffer that is never read. */
  size_t nsw = A.batch <= 4096 ? A.batch : 0, ncw = A.classes < 2 ? 2 : A.classes;
  if (h & 0x20) {
    A.sw = malloc(sizeof(float) * (nsw + 1));
    for (size_t i = 0; i < nsw; i++) A.sw[i] = value(r);
    o->sample_weight = A.sw;
  }
  if (h & 0x40) {
    A.cw = malloc(sizeof(float) * ncw);
    for (size_t i = 0; i < ncw; i++) A.cw[i] = value(r);
    o->class_weight = A.cw;
  }
  A.pos_weight = value(r);
  /* The options of the later losses: mask, per-class alpha, the weight
   * repeat, q, epsilon, temperature; and a per-class pos_weight. */
  static const float qs[] = {0.5f, 1.0f, 0.1f, 1e-7f, 0.0f, -0.5f, 1.5f, NAN};
  static const float eps[] = {2.0f, 0.0f, 1.0f, -1.0f, 1e30f, -1e30f, FLT_MAX, INFINITY, NAN};
  static const float temps[] = {3.0f, 1.0f, 0.5f, 100.0f, 1e-30f, 1e30f, 0.0f, -1.0f, INFINITY, NAN};
  static const int32_t repeats[] = {0, 1, 2, 3, -1, 1000};
  uint8_t m = u8(r);
  o->q = pick(r, qs, sizeof qs / sizeof *qs);
  o->epsilon = pick(r, eps, sizeof eps / sizeof *eps);
  o->temperature = pick(r, temps, sizeof temps / sizeof *temps);
  o->sample_weight_repeat = repeats[(m >> 3) % 6];
  o->mask = NULL;
  o->alpha_per_class = NULL;
  A.mask = NULL;
  A.alphas = NULL;
  A.posw = malloc(sizeof(float) * ncw);
  for (size_t i = 0; i < ncw; i++) A.posw[i] = (m & 4) ? value(r) : A.pos_weight;
  if (m & 1) {
    A.mask = malloc(nsw + 1);
    for (size_t i = 0; i < nsw; i++) A.mask[i] = u8(r) & 1;
    o->mask = A.mask;
  }
  if (m & 2) {
    A.alphas = malloc(sizeof(float) * ncw);
    for (size_t i = 0; i < ncw; i++) A.alphas[i] = (u8(r) & 3) == 3 ? value(r) : 0.25f;
    o->alpha_per_class = A.alphas;
  }
}

/* The data, decoded only for shapes that fit in memory (the rest must fail
 * before any access). */
static void decode_data(reader *r) {
  int ok = A.classes > 0 && A.batch <= 4096 && A.label_cols <= A.classes + 2;
  A.total = ok ? A.batch * A.classes : 0;
  size_t ntrue = ok ? A.batch * A.label_cols : 0;
  A.y_true = malloc(sizeof(float) * (ntrue + 1));
  A.y_pred = malloc(sizeof(float) * (A.total + 1));
  A.labels = malloc(sizeof(int32_t) * (A.batch <= 4096 ? A.batch + 1 : 1));
  for (size_t i = 0; i < A.total; i++) A.y_pred[i] = value(r);
  for (size_t i = 0; i < ntrue; i++) A.y_true[i] = value(r);
  for (size_t i = 0; ok && i < A.batch; i++) {
    uint8_t b = u8(r);
    int32_t bad[] = {-1, (int32_t)A.classes, INT32_MIN, INT32_MAX, A.opt.ignore_class};
    A.labels[i] = b < 236 ? (int32_t)(b % A.classes) : bad[b % 5];
  }
}

/* The decoded call, printed when a check fails, to turn a crash file into a test. */
static void dump_floats(const char *name, const float *v, size_t n) {
  if (!v) return;
  fprintf(stderr, "  %s:", name);
  for (size_t i = 0; i < n && i < 64; i++) fprintf(stderr, " %a", (double)v[i]);
  fprintf(stderr, n > 64 ? " ...\n" : "\n");
}

static void dump(void) {
  const xent_options *o = &A.opt;
  fprintf(stderr, "  options%s: from_logits %d, label_smoothing %a, reduction %d, ignore %d/%d, alpha %a, gamma %a, balancing %d; pos_weight %a\n",
          A.null_opt ? " (passed as NULL)" : "", o->from_logits, (double)o->label_smoothing, o->reduction,
          o->has_ignore_class, o->ignore_class, (double)o->alpha, (double)o->gamma, o->apply_class_balancing,
          (double)A.pos_weight);
  if (!A.total) return;
  dump_floats("y_pred", A.y_pred, A.total);
  dump_floats("y_true", A.y_true, A.batch * A.label_cols);
  fprintf(stderr, "  labels:");
  for (size_t i = 0; i < A.batch && i < 64; i++) fprintf(stderr, " %d", A.labels[i]);
  fprintf(stderr, "\n");
  dump_floats("sample_weight", A.opt.sample_weight, A.batch);
  dump_floats("class_weight", A.opt.class_weight, A.classes < 2 ? 2 : A.classes);
}

static int all_finite(const float *v, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!isfinite(v[i])) return 0;
  return 1;
}

/* Whether every input the call reads is finite (then its outputs must be). */
static int finite_inputs(void) {
  int dense = E->kind == DENSE || E->kind == NN_ELEMENTS || E->kind == NN_WEIGHTED ||
              E->kind == NN_WEIGHTED_PER_CLASS || E->kind == NN_ROWS;
  if (dense && !all_finite(A.y_true, A.total)) return 0;
  if (!all_finite(A.y_pred, A.total)) return 0;
  if (E->kind == NN_WEIGHTED && !isfinite(A.pos_weight)) return 0;
  if (E->kind == NN_WEIGHTED_PER_CLASS && !all_finite(A.posw, A.classes)) return 0;
  if ((E->kind == DENSE || E->kind == SPARSE) && !A.null_opt) {
    if (A.sw && !all_finite(A.sw, A.batch)) return 0;
    if (A.cw && !all_finite(A.cw, A.classes < 2 ? 2 : A.classes)) return 0;
    if (A.alphas && !all_finite(A.alphas, A.classes)) return 0;
    if (!isfinite(A.opt.epsilon) || !isfinite(A.opt.temperature)) return 0;
  }
  return 1;
}

/* ---- One build's call ------------------------------------------------------------ */

#define SENTINEL 0xA5
typedef struct outputs {
  float *losses, *grad, *loss;
  xent_error *err;
  xent_inspection *insp;
  xent_status status;
} outputs;

static void *filled(size_t bytes) {
  void *p = malloc(bytes ? bytes : 1);
  memset(p, SENTINEL, bytes ? bytes : 1);
  return p;
}

static int untouched(const void *p, size_t bytes) {
  const uint8_t *b = p;
  for (size_t i = 0; i < bytes; i++)
    if (b[i] != SENTINEL) return 0;
  return 1;
}

static void call(int simd, outputs *o) {
  o->losses = A.want_losses ? filled(sizeof(float) * A.n_losses) : NULL;
  o->grad = A.want_grad ? filled(sizeof(float) * A.total) : NULL;
  o->loss = A.want_loss ? filled(sizeof(float)) : NULL;
  o->err = A.want_err ? filled(sizeof(xent_error)) : NULL;
  o->insp = A.want_losses ? filled(sizeof(xent_inspection)) : NULL;
  any_fn f = simd ? E->simd : E->scalar;
  const float *yt = A.null_true ? NULL : A.y_true, *yp = A.null_pred ? NULL : A.y_pred;
  const int32_t *lt = A.null_true ? NULL : A.labels;
  const xent_options *opt = A.null_opt ? NULL : &A.opt;
  size_t b = A.batch, c = A.classes;
  switch (E->kind) {
    case DENSE: o->status = ((dense_fn)f)(yt, yp, b, c, opt, o->losses, o->grad, o->loss, o->err); break;
    case SPARSE: o->status = ((sparse_fn)f)(lt, yp, b, c, opt, o->losses, o->grad, o->loss, o->err); break;
    case NN_ELEMENTS:
    case NN_ROWS: o->status = ((nn_fn)f)(yt, yp, b, c, o->losses, o->grad, o->err); break;
    case NN_WEIGHTED: o->status = ((nn_weighted_fn)f)(yt, yp, b, c, A.pos_weight, o->losses, o->grad, o->err); break;
    case NN_WEIGHTED_PER_CLASS: o->status = ((nn_weighted_per_class_fn)f)(yt, yp, b, c, A.posw, o->losses, o->grad, o->err); break;
    case NN_SPARSE: o->status = ((nn_sparse_fn)f)(lt, yp, b, c, o->losses, o->grad, o->err); break;
    case INSPECT: o->status = ((inspect_fn)f)(yt, A.label_cols, yp, b, c, o->insp, o->err); break;
  }
}

static void release(outputs *o) {
  free(o->losses), free(o->grad), free(o->loss), free(o->err), free(o->insp);
}

/* Bit-identical, any NaN equal to any NaN. */
static int same(float a, float b) {
  uint32_t x, y;
  memcpy(&x, &a, 4), memcpy(&y, &b, 4);
  return x == y || (a != a && b != b);
}

static void compare(const char *what, const float *s, const float *v, size_t n, int finite) {
  if (!s) return;
  for (size_t i = 0; i < n; i++) {
    if (!same(s[i], v[i]))
      FAIL("%s[%zu]: scalar %a, f32x4 %a differ", what, i, (double)s[i], (double)v[i]);
    if (finite && !isfinite(s[i])) FAIL("%s[%zu] = %g from finite inputs", what, i, (double)s[i]);
  }
}

/* ---- The checks ----------------------------------------------------------------------- */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  E = &ENTRIES[XENT_FUZZ_ENTRY];
  memset(&A, 0, sizeof A);
  reader r = {data, size};
  decode_shape(&r);
  decode_options(&r);
  decode_data(&r);
  int elementwise = E->kind == NN_ELEMENTS || E->kind == NN_WEIGHTED || E->kind == NN_WEIGHTED_PER_CLASS;
  A.n_losses = elementwise ? A.total : A.total ? A.batch : 0;

  if (xent_simd() != 0 || xs_xent_simd() != 1) FAIL("xent_simd: scalar %d, f32x4 %d", xent_simd(), xs_xent_simd());
  if (xent_options_size() != xs_xent_options_size() || xent_error_size() != xs_xent_error_size())
    FAIL("struct sizes differ between the builds");
  for (int st = -1; st <= XENT_STATUS_COUNT; st++) {
    const char *a = xent_status_string((xent_status)st), *b = xs_xent_status_string((xent_status)st);
    if (!a || !b || strcmp(a, b)) FAIL("xent_status_string(%d) differs between the builds", st);
  }

  /* Snapshots of every input, to prove that the calls leave them alone. */
  size_t ntrue = A.total ? A.batch * A.label_cols : 0, ncw = A.classes < 2 ? 2 : A.classes;
  float *yt0 = malloc(sizeof(float) * (ntrue + 1)), *yp0 = malloc(sizeof(float) * (A.total + 1));
  int32_t *lb0 = malloc(sizeof(int32_t) * (A.total ? A.batch + 1 : 1));
  memcpy(yt0, A.y_true, sizeof(float) * ntrue);
  memcpy(yp0, A.y_pred, sizeof(float) * A.total);
  if (A.total) memcpy(lb0, A.labels, sizeof(int32_t) * A.batch);
  xent_options opt0 = A.opt;
  size_t nsw = A.total ? A.batch : 0;
  float *sw0 = A.sw ? malloc(sizeof(float) * (nsw + 1)) : NULL;
  float *cw0 = A.cw ? malloc(sizeof(float) * ncw) : NULL;
  if (sw0) memcpy(sw0, A.sw, sizeof(float) * nsw);
  if (cw0) memcpy(cw0, A.cw, sizeof(float) * ncw);
  float *al0 = A.alphas ? malloc(sizeof(float) * ncw) : NULL, *pw0 = malloc(sizeof(float) * ncw);
  uint8_t *mk0 = A.mask ? malloc(nsw + 1) : NULL;
  if (al0) memcpy(al0, A.alphas, sizeof(float) * ncw);
  memcpy(pw0, A.posw, sizeof(float) * ncw);
  if (mk0) memcpy(mk0, A.mask, nsw);

  outputs s, v;
  call(0, &s);
  call(1, &v);

  if (memcmp(yt0, A.y_true, sizeof(float) * ntrue) || memcmp(yp0, A.y_pred, sizeof(float) * A.total) ||
      (A.total && memcmp(lb0, A.labels, sizeof(int32_t) * A.batch)) || memcmp(&opt0, &A.opt, sizeof opt0) ||
      (sw0 && memcmp(sw0, A.sw, sizeof(float) * nsw)) || (cw0 && memcmp(cw0, A.cw, sizeof(float) * ncw)) ||
      (al0 && memcmp(al0, A.alphas, sizeof(float) * ncw)) || memcmp(pw0, A.posw, sizeof(float) * ncw) ||
      (mk0 && memcmp(mk0, A.mask, nsw)))
    FAIL("an input was modified");
  if (s.status != v.status) FAIL("status: scalar %d, f32x4 %d", s.status, v.status);
  if (s.status < XENT_OK || s.status >= XENT_STATUS_COUNT) FAIL("status %d is not in the list", s.status);
  if (A.total == 0 && A.batch > 0 && s.status == XENT_OK && (A.classes == 0 || A.batch > 4096))
    FAIL("an impossible shape was accepted");

  if (s.status != XENT_OK) {
    outputs *both[2] = {&s, &v};
    for (int i = 0; i < 2; i++) {
      outputs *o = both[i];
      if ((o->losses && !untouched(o->losses, sizeof(float) * A.n_losses)) ||
          (o->grad && !untouched(o->grad, sizeof(float) * A.total)) ||
          (o->loss && !untouched(o->loss, sizeof(float))) ||
          (o->insp && !untouched(o->insp, sizeof(xent_inspection))))
        FAIL("status %d, but an output was written", s.status);
    }
    if (s.err) {
      if (!s.err->arg || !v.err->arg) FAIL("status %d without err->arg", s.status);
      if (strcmp(s.err->arg, v.err->arg) || s.err->index != v.err->index)
        FAIL("error details differ: %s[%zu] vs %s[%zu]", s.err->arg, s.err->index, v.err->arg, v.err->index);
    }
  } else if (E->kind == INSPECT) {
    if (s.insp && memcmp(s.insp, v.insp, sizeof(xent_inspection))) {
      uint32_t x[14], y[14]; /* fourteen 4-byte fields (xent.h) */
      memcpy(x, s.insp, sizeof x), memcpy(y, v.insp, sizeof y);
      for (int i = 0; i < 14; i++)
        if (x[i] != y[i]) FAIL("inspection field %d: scalar 0x%08x, f32x4 0x%08x", i, x[i], y[i]);
    }
  } else {
    int finite = finite_inputs();
    compare("losses", s.losses, v.losses, A.n_losses, finite);
    compare("grad", s.grad, v.grad, A.total, finite);
    if (s.loss && finite && !(isfinite(*s.loss) && isfinite(*v.loss)))
      FAIL("reduced loss %g / %g from finite inputs", (double)*s.loss, (double)*v.loss);
  }

  release(&s), release(&v);
  free(yt0), free(yp0), free(lb0), free(sw0), free(cw0), free(al0), free(pw0), free(mk0);
  free(A.y_true), free(A.y_pred), free(A.labels), free(A.sw), free(A.cw), free(A.alphas), free(A.posw), free(A.mask);
  return 0;
}
