/* test_sampled.c: xent_sampled_softmax_loss and xent_nce_loss (src/sampled.c;
 * docs/semantics.md 3.5) given fixed candidates, against a reference written
 * here in long double from TensorFlow's _compute_sampled_logits (accidental
 * hits get -FLT_MAX added, only at the last position of a repeated candidate,
 * as ComputeAccidentalHits does), its dense gradients checked by central
 * differences, the sparse gradients scattered back to dense, and every error
 * status. Built twice by CMake (scalar and f32x4 via SIMDe). */
#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "xent.h"

typedef struct {
  size_t B, D, C, T, S;
  int hits, logq, nce;
  float *W, *bias, *x, *tq, *sq;
  int32_t *labels, *sampled;
  double scale; /* of the inputs, weights and biases; 0 means 1 */
} problem;

/* The per-example losses and, when g* are given, the dense gradients of their
 * sum, in long double, from the formulas of TF's code. */
static long double ref_loss(const problem *p, const long double *W, const long double *bias,
                            const long double *x, long double *losses, long double *gW,
                            long double *gb, long double *gx) {
  size_t T = p->T, S = p->S, K = T + S, D = p->D;
  long double total = 0, *z = malloc(K * sizeof *z), *y = malloc(K * sizeof *y), *dz = malloc(K * sizeof *dz);
  int32_t *cls = malloc(K * sizeof *cls);
  for (size_t b = 0; b < p->B; b++) {
    for (size_t k = 0; k < K; k++) {
      int32_t c = k < T ? p->labels[b * T + k] : p->sampled[k - T];
      cls[k] = c;
      long double d = bias[c];
      for (size_t j = 0; j < D; j++) d += x[b * D + j] * W[c * D + j];
      if (p->logq) d -= logl(k < T ? p->tq[b * T + k] : p->sq[k - T]);
      z[k] = d;
      y[k] = k < T ? 1.0L / T : 0;
    }
    if (p->hits)
      for (size_t t = 0; t < T; t++) {
        long last = -1;
        for (size_t s = 0; s < S; s++)
          if (p->sampled[s] == p->labels[b * T + t]) last = (long)s;
        /* TF: logit + (-FLT_MAX), which removes the column from float32
         * logits; huge test values need a larger shift to do the same. */
        if (last >= 0) z[T + last] = p->scale > 1.0 ? -LDBL_MAX / 4 : -(long double)FLT_MAX;
      }
    long double l = 0;
    if (!p->nce) {
      long double m = z[0], s = 0;
      for (size_t k = 1; k < K; k++) m = fmaxl(m, z[k]);
      for (size_t k = 0; k < K; k++) s += expl(z[k] - m);
      for (size_t k = 0; k < K; k++) {
        l -= y[k] * (z[k] - m - logl(s));
        dz[k] = expl(z[k] - m) / s - y[k];
      }
    } else {
      for (size_t k = 0; k < K; k++) {
        long double sg = 1.0L / (1.0L + expl(-z[k]));
        l += fmaxl(z[k], 0) - z[k] * y[k] + log1pl(expl(-fabsl(z[k])));
        dz[k] = sg - y[k];
      }
    }
    losses[b] = l;
    total += l;
    for (size_t k = 0; gW && k < K; k++) {
      gb[cls[k]] += dz[k];
      for (size_t j = 0; j < D; j++) {
        gW[cls[k] * D + j] += dz[k] * x[b * D + j];
        gx[b * D + j] += dz[k] * W[cls[k] * D + j];
      }
    }
  }
  free(z), free(y), free(dz), free(cls);
  return total;
}

static void fill(check_rng *r, float *v, size_t n, double scale) {
  for (size_t i = 0; i < n; i++) v[i] = (float)check_uniform(r, -scale, scale);
}

static long double *widen(const float *v, size_t n) {
  long double *w = malloc((n ? n : 1) * sizeof *w);
  for (size_t i = 0; i < n; i++) w[i] = v[i];
  return w;
}

static double worst_loss, worst_grad, worst_fd;

/* What a float32 result should be: the reference, saturated at +-FLT_MAX. */
static double clampf(long double v) {
  return v > FLT_MAX ? FLT_MAX : v < -FLT_MAX ? -FLT_MAX : (double)v;
}

static void run_case(problem *p, uint64_t seed) {
  check_rng r = {seed};
  size_t B = p->B, D = p->D, C = p->C, T = p->T, S = p->S;
  p->W = malloc(C * D * 4), p->bias = malloc(C * 4), p->x = malloc((B * D + 1) * 4);
  p->tq = malloc((B * T + 1) * 4), p->sq = malloc(S * 4);
  p->labels = malloc((B * T + 1) * 4), p->sampled = malloc(S * 4);
  double sc = p->scale > 0 ? p->scale : 1.0;
  int huge = sc > 1.0;
  fill(&r, p->W, C * D, sc), fill(&r, p->bias, C, 0.5 * sc), fill(&r, p->x, B * D, sc);
  for (size_t i = 0; i < B * T; i++) p->labels[i] = (int32_t)(check_next(&r) % C);
  for (size_t i = 0; i < S; i++) p->sampled[i] = (int32_t)(check_next(&r) % C);
  /* Force accidental hits, and a repeated candidate, when there is room. */
  if (B > 0 && S > 2) p->sampled[1] = p->labels[0], p->sampled[S - 1] = p->labels[0];
  for (size_t i = 0; i < B * T; i++) p->tq[i] = (float)check_uniform(&r, 0.01, 1.5);
  for (size_t i = 0; i < S; i++) p->sq[i] = (float)check_uniform(&r, 0.01, 1.5);
  xent_sampled_args a = {p->W, p->bias, p->labels, p->x, p->sampled, p->tq, p->sq,
                         B, D, C, T, S, p->hits, p->logq};
  size_t cap = B * T + S;
  float *losses = malloc((B + 1) * 4), *gx = malloc((B * D + 1) * 4), *gw = malloc(cap * D * 4), *gb = malloc(cap * 4);
  int32_t *ids = malloc(cap * 4);
  xent_sampled_grad g = {gx, ids, gw, gb, 0};
  size_t wb = xent_sampled_workspace_size(B, T, S);
  void *work = malloc(wb);
  xent_status st = p->nce ? xent_nce_loss(&a, losses, &g, work, wb, NULL)
                          : xent_sampled_softmax_loss(&a, losses, &g, work, wb, NULL);
  CHECK(st == XENT_OK, "status %d", st);
  long double *W = widen(p->W, C * D), *bi = widen(p->bias, C), *x = widen(p->x, B * D);
  long double *rl = calloc(B + 1, sizeof *rl), *rW = calloc(C * D, sizeof *rW), *rb = calloc(C, sizeof *rb), *rx = calloc(B * D + 1, sizeof *rx);
  ref_loss(p, W, bi, x, rl, rW, rb, rx);
  /* With huge values a float32 logit carries an absolute error of about
   * 1e-7 D scale^2, which the loss inherits; gradients scale with one factor. */
  double loss_abs = 2e-6 * (huge ? 1e-1 * (double)D * sc * sc : 1.0), grad_abs = 1e-5 * sc;
  for (size_t b = 0; b < B; b++) {
    CHECK(isfinite(losses[b]), "loss %zu is %g (scale %g)", b, losses[b], sc);
    double e = fabs((double)losses[b] - clampf(rl[b])) / (fabs(clampf(rl[b])) + 1e-3);
    if (!huge && e > worst_loss) worst_loss = e;
    CHECK(check_close(losses[b], clampf(rl[b]), 2e-5, loss_abs), "loss %zu: %.9g vs %.12Lg (B%zu D%zu T%zu S%zu hits%d nce%d scale %g)", b, losses[b], rl[b], B, D, T, S, p->hits, p->nce, sc);
  }
  /* Sparse gradients scattered back; untouched classes must be 0 in the reference. */
  long double *dW = calloc(C * D, sizeof *dW), *db = calloc(C, sizeof *db);
  char *touched = calloc(C, 1);
  CHECK(g.num_ids <= cap, "num_ids %zu > capacity %zu", g.num_ids, cap);
  for (size_t i = 0; i < g.num_ids; i++) {
    CHECK(!touched[ids[i]], "class %d listed twice", ids[i]);
    touched[ids[i]] = 1;
    db[ids[i]] = gb[i];
    for (size_t j = 0; j < D; j++) dW[ids[i] * D + j] = gw[i * D + j];
  }
  /* Weight-gradient rows are float32 sums over the batch: where a partial sum
   * overflows they saturate, so near FLT_MAX only their finiteness is checked. */
  int exact_w = sc < 1e30;
  for (size_t c = 0; c < C; c++) {
    double e = fabs((double)(db[c] - rb[c]));
    if (!huge && e > worst_grad) worst_grad = e;
    CHECK(check_close((double)db[c], (double)rb[c], 1e-4, 1e-5), "dbias[%zu] %.9Lg vs %.9Lg", c, db[c], rb[c]);
    for (size_t j = 0; j < D; j++) {
      double ew = fabs((double)(dW[c * D + j] - rW[c * D + j]));
      if (!huge && ew > worst_grad) worst_grad = ew;
      CHECK(isfinite((double)dW[c * D + j]), "dW[%zu,%zu] is %Lg (scale %g)", c, j, dW[c * D + j], sc);
      if (exact_w)
        CHECK(check_close((double)dW[c * D + j], clampf(rW[c * D + j]), 1e-4, grad_abs), "dW[%zu,%zu] %.9Lg vs %.9Lg (scale %g)", c, j, dW[c * D + j], rW[c * D + j], sc);
    }
  }
  for (size_t i = 0; i < B * D; i++) {
    double ex = fabs((double)(gx[i] - rx[i]));
    if (!huge && ex > worst_grad) worst_grad = ex;
  }
  for (size_t i = 0; i < B * D; i++) {
    CHECK(isfinite(gx[i]), "dinputs[%zu] is %g (scale %g)", i, gx[i], sc);
    CHECK(check_close(gx[i], clampf(rx[i]), 1e-4, grad_abs), "dinputs[%zu] %.9g vs %.9Lg (scale %g)", i, gx[i], rx[i], sc);
  }
  /* Central differences of the reference's summed loss at a few coordinates. */
  long double *l2 = calloc(B + 1, sizeof *l2), h = 1e-6L;
  for (int trial = 0; trial < 6 && B > 0 && !huge; trial++) {
    long double *v, *gref;
    size_t n, i;
    float gotf;
    if (trial % 3 == 0) v = x, n = B * D, gref = rx, i = check_next(&r) % n, gotf = gx[i];
    else if (trial % 3 == 1) {
      size_t id = check_next(&r) % (g.num_ids ? g.num_ids : 1), j = check_next(&r) % D;
      v = W, n = C * D, gref = rW, i = (size_t)ids[id] * D + j, gotf = gw[id * D + j];
    } else {
      size_t id = check_next(&r) % (g.num_ids ? g.num_ids : 1);
      v = bi, n = C, gref = rb, i = (size_t)ids[id], gotf = gb[id];
    }
    (void)n, (void)gref;
    long double keep = v[i];
    v[i] = keep + h;
    long double up = ref_loss(p, W, bi, x, l2, NULL, NULL, NULL);
    v[i] = keep - h;
    long double dn = ref_loss(p, W, bi, x, l2, NULL, NULL, NULL);
    v[i] = keep;
    double fd = (double)((up - dn) / (2 * h));
    double e = fabs(gotf - fd);
    if (e > worst_fd) worst_fd = e;
    CHECK(check_close(gotf, fd, 1e-3, 1e-5), "finite difference %d: gradient %.9g vs %.9g", trial, gotf, fd);
  }
  free(l2), free(dW), free(db), free(touched), free(W), free(bi), free(x), free(rl), free(rW), free(rb), free(rx);
  free(losses), free(gx), free(gw), free(gb), free(ids), free(work);
  free(p->W), free(p->bias), free(p->x), free(p->tq), free(p->sq), free(p->labels), free(p->sampled);
}

static void test_against_reference(void) {
  static const size_t dims[] = {1, 2, 3, 4, 5, 7, 8, 9, 16, 33};
  uint64_t seed = 1;
  for (int nce = 0; nce < 2; nce++)
    for (int hits = 0; hits < 2; hits++)
      for (int logq = 0; logq < 2; logq++)
        for (size_t di = 0; di < sizeof dims / sizeof *dims; di++)
          for (size_t T = 1; T <= 3; T++) {
            problem p = {5, dims[di], 23, T, 1 + (seed % 9), hits, logq, nce, 0, 0, 0, 0, 0, 0, 0, 0};
            run_case(&p, seed++);
          }
  problem empty = {0, 4, 5, 1, 3, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  run_case(&empty, 99);
  printf("worst relative loss error %.3g, worst absolute gradient error (inputs, weights, biases) %.3g, worst |grad - finite difference| %.3g\n",
         worst_loss, worst_grad, worst_fd);
}

/* Inputs, weights and biases far beyond where float32 dot products overflow
 * (|x w| > FLT_MAX from about 1e19 on): finite losses and gradients, equal to
 * the saturated reference. */
static void test_huge_values(void) {
  static const double scales[] = {1e19, 1e25, 1e30, 3.4e38};
  uint64_t seed = 1000;
  for (size_t si = 0; si < sizeof scales / sizeof *scales; si++)
    for (int nce = 0; nce < 2; nce++)
      for (int hits = 0; hits < 2; hits++)
        for (size_t T = 1; T <= 2; T++) {
          problem p = {4, 1 + seed % 9, 11, T, 1 + (seed % 7), hits, 1, nce, 0, 0, 0, 0, 0, 0, 0, scales[si]};
          run_case(&p, seed++);
        }
}

static void test_errors(void) {
  float W[12] = {0}, bias[3] = {0}, x[8] = {0}, tq[2] = {1, 1}, sq[2] = {1, 1};
  int32_t labels[2] = {0, 1}, sampled[2] = {1, 2};
  xent_sampled_args a = {W, bias, labels, x, sampled, tq, sq, 2, 4, 3, 1, 2, 1, 1};
  char work[1024];
  xent_error e = {0};
  float losses[2];
  CHECK(xent_sampled_softmax_loss(&a, losses, NULL, work, sizeof work, &e) == XENT_OK, "valid call");
  labels[1] = 3;
  CHECK(xent_sampled_softmax_loss(&a, losses, NULL, work, sizeof work, &e) == XENT_ERR_LABEL &&
            strcmp(e.arg, "labels") == 0 && e.index == 1 && e.value == 3.0,
        "label == num_classes is XENT_ERR_LABEL at its index");
  labels[1] = 1, sampled[0] = -1;
  CHECK(xent_nce_loss(&a, losses, NULL, work, sizeof work, &e) == XENT_ERR_LABEL && strcmp(e.arg, "sampled_candidates") == 0,
        "a negative candidate is XENT_ERR_LABEL on sampled_candidates");
  sampled[0] = 1, sq[1] = 0;
  CHECK(xent_nce_loss(&a, losses, NULL, work, sizeof work, &e) == XENT_ERR_OPTION && strcmp(e.arg, "sampled_expected_count") == 0 && e.index == 1,
        "an expected count of 0 is XENT_ERR_OPTION");
  a.subtract_log_q = 0;
  CHECK(xent_nce_loss(&a, losses, NULL, work, sizeof work, &e) == XENT_OK, "without subtract_log_q the counts are not read");
  sq[1] = 1, a.subtract_log_q = 1;
  CHECK(xent_nce_loss(&a, losses, NULL, work, 8, &e) == XENT_ERR_SHAPE && strcmp(e.arg, "work_bytes") == 0, "a short workspace is XENT_ERR_SHAPE");
  a.dim = 0;
  CHECK(xent_nce_loss(&a, losses, NULL, work, sizeof work, &e) == XENT_ERR_SHAPE && strcmp(e.arg, "dim") == 0, "dim 0 is XENT_ERR_SHAPE");
  a.dim = 4, a.weights = NULL;
  CHECK(xent_nce_loss(&a, losses, NULL, work, sizeof work, &e) == XENT_ERR_NULL && strcmp(e.arg, "weights") == 0, "no weights is XENT_ERR_NULL");
  CHECK(xent_nce_loss(NULL, losses, NULL, work, sizeof work, &e) == XENT_ERR_NULL, "no args is XENT_ERR_NULL");
}

int main(void) {
  test_against_reference();
  test_huge_values();
  test_errors();
  return check_summary("test_sampled");
}
