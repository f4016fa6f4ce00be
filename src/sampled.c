/* sampled.c: tf.nn.sampled_softmax_loss and tf.nn.nce_loss given the sampled
 * candidates and their expected counts, with the gradients of the summed
 * per-example losses: dense for the inputs, sparse (touched classes only) for
 * the weights and biases. docs/semantics.md section 3.5. Called through xent.h
 * by the JS API (js/sampled.js) and tests/c/test_sampled.c; the candidates
 * usually come from sampler.c.
 *
 * Per example: the num_true + num_sampled logits are dot products of the
 * input row with class rows (float32: f32x4 with four class rows per pass over
 * the input, or its scalar twin with the same four lanes and the same final
 * sum, so both builds agree bit for bit), then the loss and the logit
 * gradients dz in double (libm exp, log, log1p), then
 *   d inputs_b = sum_k dz_k weights[c_k],  d weights[c_k] += dz_k inputs_b,
 *   d biases[c_k] += dz_k
 * as float32 axpy steps (elementwise, so bit-identical across builds too).
 * A hash map from class id to gradient slot, in the caller's workspace, makes
 * each touched class appear once.
 *
 * Finite inputs of any size give finite outputs (docs/semantics.md 9.2): a
 * logit whose float32 sum left the float32 range is recomputed in double
 * (products of two floats and their sum fit easily), an input-gradient row
 * that overflowed float32 likewise, and the weight and bias gradient rows,
 * summed over the batch, saturate at +-FLT_MAX. An axpy step adds a finite
 * term (|dz| <= 1) to a finite or infinite sum, so it never makes a NaN. */
#include <math.h>
#include <string.h>

#include "xent_internal.h"

/* ---- Dot products and axpy --------------------------------------------------------
 * dot(x, w): lane i sums x_j w_j for j = i mod 4 in order (tail lanes padded
 * with zeros), then (l0 + l1) + (l2 + l3). */

XENT_MAYBE_UNUSED static float dot_scalar(const float *x, const float *w, size_t n) {
  float a[4] = {0.0f, 0.0f, 0.0f, 0.0f};
  size_t n4 = n & ~(size_t)3, t = n - n4;
  for (size_t j = 0; j < n4; j += 4)
    for (size_t i = 0; i < 4; i++) a[i] = a[i] + x[j + i] * w[j + i];
  if (t) {
    float xt[4] = {0.0f, 0.0f, 0.0f, 0.0f}, wt[4] = {0.0f, 0.0f, 0.0f, 0.0f};
    for (size_t i = 0; i < t; i++) {
      xt[i] = x[n4 + i];
      wt[i] = w[n4 + i];
    }
    for (size_t i = 0; i < 4; i++) a[i] = a[i] + xt[i] * wt[i];
  }
  return (a[0] + a[1]) + (a[2] + a[3]);
}

/* out[k] = dot(x, W[ids[k]]) + b[ids[k]] for k < m. */
XENT_MAYBE_UNUSED static void dots_scalar(const float *x, const float *W, const float *bias,
                                          size_t dim, const int32_t *ids, size_t m,
                                          float *out) {
  for (size_t k = 0; k < m; k++) out[k] = dot_scalar(x, W + (size_t)ids[k] * dim, dim) + bias[ids[k]];
}

/* y += a x */
XENT_MAYBE_UNUSED static void axpy_scalar(float a, const float *x, float *y, size_t n) {
  for (size_t j = 0; j < n; j++) y[j] = y[j] + a * x[j];
}

#if XENT_HAVE_SIMD128

static inline float hsum_f32x4(v128_t a) {
  return (wasm_f32x4_extract_lane(a, 0) + wasm_f32x4_extract_lane(a, 1)) +
         (wasm_f32x4_extract_lane(a, 2) + wasm_f32x4_extract_lane(a, 3));
}

static inline v128_t load_padded(const float *p, size_t t) {
  float v[4] = {0.0f, 0.0f, 0.0f, 0.0f};
  for (size_t i = 0; i < t; i++) v[i] = p[i];
  return wasm_v128_load(v);
}

/* Four dot products per pass over x: four independent accumulators, each
 * summing exactly as dot_scalar does. */
static void dots_f32x4(const float *x, const float *W, const float *bias, size_t dim,
                       const int32_t *ids, size_t m, float *out) {
  size_t n4 = dim & ~(size_t)3, t = dim - n4;
  v128_t xt = t ? load_padded(x + n4, t) : wasm_f32x4_splat(0.0f);
  size_t k = 0;
  for (; k + 4 <= m; k += 4) {
    const float *w0 = W + (size_t)ids[k] * dim, *w1 = W + (size_t)ids[k + 1] * dim;
    const float *w2 = W + (size_t)ids[k + 2] * dim, *w3 = W + (size_t)ids[k + 3] * dim;
    v128_t a0 = wasm_f32x4_splat(0.0f), a1 = a0, a2 = a0, a3 = a0;
    for (size_t j = 0; j < n4; j += 4) {
      v128_t xv = wasm_v128_load(x + j);
      a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(xv, wasm_v128_load(w0 + j)));
      a1 = wasm_f32x4_add(a1, wasm_f32x4_mul(xv, wasm_v128_load(w1 + j)));
      a2 = wasm_f32x4_add(a2, wasm_f32x4_mul(xv, wasm_v128_load(w2 + j)));
      a3 = wasm_f32x4_add(a3, wasm_f32x4_mul(xv, wasm_v128_load(w3 + j)));
    }
    if (t) {
      a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(xt, load_padded(w0 + n4, t)));
      a1 = wasm_f32x4_add(a1, wasm_f32x4_mul(xt, load_padded(w1 + n4, t)));
      a2 = wasm_f32x4_add(a2, wasm_f32x4_mul(xt, load_padded(w2 + n4, t)));
      a3 = wasm_f32x4_add(a3, wasm_f32x4_mul(xt, load_padded(w3 + n4, t)));
    }
    out[k] = hsum_f32x4(a0) + bias[ids[k]];
    out[k + 1] = hsum_f32x4(a1) + bias[ids[k + 1]];
    out[k + 2] = hsum_f32x4(a2) + bias[ids[k + 2]];
    out[k + 3] = hsum_f32x4(a3) + bias[ids[k + 3]];
  }
  for (; k < m; k++) {
    const float *w = W + (size_t)ids[k] * dim;
    v128_t a = wasm_f32x4_splat(0.0f);
    for (size_t j = 0; j < n4; j += 4)
      a = wasm_f32x4_add(a, wasm_f32x4_mul(wasm_v128_load(x + j), wasm_v128_load(w + j)));
    if (t) a = wasm_f32x4_add(a, wasm_f32x4_mul(xt, load_padded(w + n4, t)));
    out[k] = hsum_f32x4(a) + bias[ids[k]];
  }
}

static void axpy_f32x4(float a, const float *x, float *y, size_t n) {
  v128_t av = wasm_f32x4_splat(a);
  size_t n4 = n & ~(size_t)3;
  for (size_t j = 0; j < n4; j += 4)
    wasm_v128_store(y + j, wasm_f32x4_add(wasm_v128_load(y + j),
                                          wasm_f32x4_mul(av, wasm_v128_load(x + j))));
  for (size_t j = n4; j < n; j++) y[j] = y[j] + a * x[j];
}

#endif /* XENT_HAVE_SIMD128 */

/* dot(x, w) + bias in double, in index order: the logit of a class whose
 * float32 dot product overflowed. The same code in both builds. */
XENT_COLD static double dot_wide(const float *x, const float *w, float bias, size_t n) {
  double s = 0.0;
  for (size_t j = 0; j < n; j++) s += (double)x[j] * (double)w[j];
  return s + (double)bias;
}

/* The float32 logits zf of the classes ids[0..m) widened into z, each one
 * that is not finite recomputed in double. */
static void widen_logits(const float *zf, const float *x, const float *W, const float *bias,
                         size_t dim, const int32_t *ids, size_t m, double *z) {
  for (size_t k = 0; k < m; k++)
    z[k] = isfinite(zf[k]) ? (double)zf[k]
                           : dot_wide(x, W + (size_t)ids[k] * dim, bias[ids[k]], dim);
}

/* The inputs-gradient row g = sum_k dz_k weights[c_k] summed in double and
 * narrowed with saturation: for a row whose float32 sum overflowed. */
XENT_COLD static void input_grad_wide(const xent_sampled_args *a, const int32_t *lab,
                                      const float *dz, float *g) {
  const size_t T = a->num_true, K = T + a->num_sampled, dim = a->dim;
  for (size_t j = 0; j < dim; j++) {
    double v = 0.0;
    for (size_t k = 0; k < K; k++) {
      int32_t c = k < T ? lab[k] : a->sampled_candidates[k - T];
      v += (double)dz[k] * (double)a->weights[(size_t)c * dim + j];
    }
    g[j] = xent__narrow(v);
  }
}

/* Replaces +-Inf in v[0..n) by +-FLT_MAX; returns whether there was one. */
static int saturate(float *v, size_t n) {
  int hit = 0;
  for (size_t j = 0; j < n; j++)
    if (isinf(v[j])) {
      v[j] = v[j] > 0.0f ? FLT_MAX : -FLT_MAX;
      hit = 1;
    }
  return hit;
}

/* ---- The loss of one example from its logits ---------------------------------------
 * z[0..T) the true columns, z[T..T+S) the sampled ones; keep[s] = 0 drops a
 * sampled column. Writes dz (0 for dropped columns) and returns the loss. */

static double softmax_row(const double *z, const uint8_t *keep, size_t T, size_t S, float *dz) {
  double m = z[0];
  for (size_t k = 1; k < T; k++) m = z[k] > m ? z[k] : m;
  for (size_t s = 0; s < S; s++)
    if (keep[s] && z[T + s] > m) m = z[T + s];
  double sum = 0.0, ztrue = 0.0;
  for (size_t k = 0; k < T; k++) {
    sum += exp(z[k] - m);
    ztrue += z[k] - m;
  }
  for (size_t s = 0; s < S; s++)
    if (keep[s]) sum += exp(z[T + s] - m);
  double inv_t = 1.0 / (double)T;
  for (size_t k = 0; k < T; k++) dz[k] = (float)(exp(z[k] - m) / sum - inv_t);
  for (size_t s = 0; s < S; s++) dz[T + s] = keep[s] ? (float)(exp(z[T + s] - m) / sum) : 0.0f;
  return log(sum) - ztrue * inv_t;
}

/* max(z, 0) - z y + log1p(exp(-|z|)) and its slope sigmoid(z) - y. */
static double logistic(double z, double y, float *dz) {
  double e = exp(-fabs(z));
  double sig = z >= 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
  *dz = (float)(sig - y);
  return (z > 0.0 ? z : 0.0) - z * y + log1p(e);
}

static double nce_row(const double *z, const uint8_t *keep, size_t T, size_t S, float *dz) {
  double loss = 0.0, y = 1.0 / (double)T;
  for (size_t k = 0; k < T; k++) loss += logistic(z[k], y, &dz[k]);
  for (size_t s = 0; s < S; s++) {
    if (keep[s]) loss += logistic(z[T + s], 0.0, &dz[T + s]);
    else dz[T + s] = 0.0f;
  }
  return loss;
}

/* ---- Workspace ------------------------------------------------------------------------ */

typedef struct layout {
  size_t cap, ids_max, bytes;
  size_t o_keys, o_vals, o_slot_true, o_slot_samp, o_lastpos, o_keep, o_logq, o_z, o_zf, o_dz;
} layout;

static size_t round8(size_t n) { return (n + 7) & ~(size_t)7; }

/* 0 when a size overflows. */
static int plan_layout(layout *L, size_t batch, size_t T, size_t S) {
  if (batch && T > SIZE_MAX / 16 / batch) return 0;
  if (S > SIZE_MAX / 64 || T > SIZE_MAX / 64) return 0;
  size_t bt = batch * T, K = T + S;
  L->ids_max = bt + S;
  if (L->ids_max > (size_t)INT32_MAX) return 0;
  size_t cap = 16;
  while (cap < 2 * L->ids_max) cap *= 2;
  L->cap = cap;
  size_t at = 0;
  L->o_logq = at; at += round8(S * sizeof(double));
  L->o_z = at; at += round8(K * sizeof(double));
  L->o_keys = at; at += round8(cap * sizeof(int32_t));
  L->o_vals = at; at += round8(cap * sizeof(int32_t));
  L->o_slot_true = at; at += round8(bt * sizeof(int32_t));
  L->o_slot_samp = at; at += round8(S * sizeof(int32_t));
  L->o_lastpos = at; at += round8(S * sizeof(int32_t));
  L->o_zf = at; at += round8(K * sizeof(float));
  L->o_dz = at; at += round8(K * sizeof(float));
  L->o_keep = at; at += round8(S);
  L->bytes = at;
  return 1;
}

size_t xent_sampled_workspace_size(size_t batch, size_t num_true, size_t num_sampled) {
  layout L;
  return plan_layout(&L, batch, num_true, num_sampled) ? L.bytes : SIZE_MAX;
}

/* The slot of class c, created (in order) when new. */
static int32_t slot_of(int32_t *keys, int32_t *vals, size_t mask, int32_t c, int32_t *count) {
  size_t i = (size_t)(((uint32_t)c * 2654435761u) ^ ((uint32_t)c >> 15)) & mask;
  while (keys[i] >= 0) {
    if (keys[i] == c) return vals[i];
    i = (i + 1) & mask;
  }
  keys[i] = c;
  vals[i] = (*count)++;
  return vals[i];
}

/* ---- The shared pass -------------------------------------------------------------------- */

static xent_status check_args(const xent_sampled_args *a, xent_sampled_grad *grad, void *work,
                              size_t work_bytes, layout *L, xent_error *err) {
  if (!a) return xent__fail(err, XENT_ERR_NULL, "args", 0, 0.0);
  if (a->dim < 1) return xent__fail(err, XENT_ERR_SHAPE, "dim", 0, (double)a->dim);
  if (a->num_classes < 1 || a->num_classes > (size_t)INT32_MAX ||
      a->num_classes > SIZE_MAX / sizeof(float) / a->dim)
    return xent__fail(err, XENT_ERR_SHAPE, "num_classes", 0, (double)a->num_classes);
  if (a->num_true < 1) return xent__fail(err, XENT_ERR_SHAPE, "num_true", 0, (double)a->num_true);
  if (a->num_sampled < 1) return xent__fail(err, XENT_ERR_SHAPE, "num_sampled", 0, (double)a->num_sampled);
  if (a->batch > SIZE_MAX / sizeof(float) / a->dim || !plan_layout(L, a->batch, a->num_true, a->num_sampled))
    return xent__fail(err, XENT_ERR_SHAPE, "batch", 0, (double)a->batch);
  if (!a->weights) return xent__fail(err, XENT_ERR_NULL, "weights", 0, 0.0);
  if (!a->biases) return xent__fail(err, XENT_ERR_NULL, "biases", 0, 0.0);
  if (!a->sampled_candidates) return xent__fail(err, XENT_ERR_NULL, "sampled_candidates", 0, 0.0);
  if (a->batch && !a->labels) return xent__fail(err, XENT_ERR_NULL, "labels", 0, 0.0);
  if (a->batch && !a->inputs) return xent__fail(err, XENT_ERR_NULL, "inputs", 0, 0.0);
  if (a->subtract_log_q && !a->sampled_expected_count)
    return xent__fail(err, XENT_ERR_NULL, "sampled_expected_count", 0, 0.0);
  if (a->subtract_log_q && a->batch && !a->true_expected_count)
    return xent__fail(err, XENT_ERR_NULL, "true_expected_count", 0, 0.0);
  if (grad && !grad->class_ids && (grad->weights || grad->biases))
    return xent__fail(err, XENT_ERR_NULL, "class_ids", 0, 0.0);
  if (!work || work_bytes < L->bytes) return xent__fail(err, XENT_ERR_SHAPE, "work_bytes", 0, (double)work_bytes);
  size_t bt = a->batch * a->num_true;
  for (size_t i = 0; i < bt; i++)
    if (a->labels[i] < 0 || (size_t)a->labels[i] >= a->num_classes)
      return xent__fail(err, XENT_ERR_LABEL, "labels", i, (double)a->labels[i]);
  for (size_t i = 0; i < a->num_sampled; i++)
    if (a->sampled_candidates[i] < 0 || (size_t)a->sampled_candidates[i] >= a->num_classes)
      return xent__fail(err, XENT_ERR_LABEL, "sampled_candidates", i, (double)a->sampled_candidates[i]);
  if (a->subtract_log_q) {
    for (size_t i = 0; i < a->num_sampled; i++) {
      float q = a->sampled_expected_count[i];
      if (!(q > 0.0f && q <= FLT_MAX))
        return xent__fail(err, XENT_ERR_OPTION, "sampled_expected_count", i, (double)q);
    }
    for (size_t i = 0; i < bt; i++) {
      float q = a->true_expected_count[i];
      if (!(q > 0.0f && q <= FLT_MAX))
        return xent__fail(err, XENT_ERR_OPTION, "true_expected_count", i, (double)q);
    }
  }
  return XENT_OK;
}

static xent_status sampled_loss(int nce, const xent_sampled_args *a, float *losses,
                                xent_sampled_grad *grad, void *work, size_t work_bytes,
                                xent_error *err) {
  layout L;
  xent_status st = check_args(a, grad, work, work_bytes, &L, err);
  if (st) return st;
  const size_t T = a->num_true, S = a->num_sampled, K = T + S, dim = a->dim;
  char *w = (char *)work;
  double *logq = (double *)(w + L.o_logq), *z = (double *)(w + L.o_z);
  int32_t *keys = (int32_t *)(w + L.o_keys), *vals = (int32_t *)(w + L.o_vals);
  int32_t *slot_true = (int32_t *)(w + L.o_slot_true), *slot_samp = (int32_t *)(w + L.o_slot_samp);
  int32_t *lastpos = (int32_t *)(w + L.o_lastpos);
  float *zf = (float *)(w + L.o_zf), *dz = (float *)(w + L.o_dz);
  uint8_t *keep = (uint8_t *)(w + L.o_keep);

  /* Slots: the sampled candidates first, then the true classes. */
  for (size_t i = 0; i < L.cap; i++) keys[i] = -1;
  int32_t count = 0;
  for (size_t s = 0; s < S; s++) {
    slot_samp[s] = slot_of(keys, vals, L.cap - 1, a->sampled_candidates[s], &count);
    lastpos[slot_samp[s]] = (int32_t)s; /* the last position wins, as in TF */
  }
  const int32_t sampled_slots = count;
  for (size_t i = 0; i < a->batch * T; i++)
    slot_true[i] = slot_of(keys, vals, L.cap - 1, a->labels[i], &count);

  float *gw = grad ? grad->weights : NULL, *gb = grad ? grad->biases : NULL;
  float *gx = grad ? grad->inputs : NULL;
  if (grad) {
    grad->num_ids = (size_t)count;
    if (grad->class_ids) {
      for (size_t i = 0; i < L.cap; i++)
        if (keys[i] >= 0) grad->class_ids[vals[i]] = keys[i];
    }
    if (gw) memset(gw, 0, (size_t)count * dim * sizeof(float));
    if (gb) memset(gb, 0, (size_t)count * sizeof(float));
  }
  for (size_t s = 0; s < S; s++) {
    logq[s] = a->subtract_log_q ? log((double)a->sampled_expected_count[s]) : 0.0;
    keep[s] = 1;
  }

  for (size_t b = 0; b < a->batch; b++) {
    const float *x = a->inputs + b * dim;
    const int32_t *lab = a->labels + b * T;
    XENT_KERNEL(dots)(x, a->weights, a->biases, dim, lab, T, zf);
    XENT_KERNEL(dots)(x, a->weights, a->biases, dim, a->sampled_candidates, S, zf + T);
    widen_logits(zf, x, a->weights, a->biases, dim, lab, T, z);
    widen_logits(zf + T, x, a->weights, a->biases, dim, a->sampled_candidates, S, z + T);
    if (a->subtract_log_q)
      for (size_t t = 0; t < T; t++) z[t] -= log((double)a->true_expected_count[b * T + t]);
    for (size_t s = 0; s < S; s++) z[T + s] -= logq[s];
    if (a->remove_accidental_hits)
      for (size_t t = 0; t < T; t++) {
        int32_t sl = slot_true[b * T + t];
        if (sl < sampled_slots) keep[lastpos[sl]] = 0;
      }
    double l = nce ? nce_row(z, keep, T, S, dz) : softmax_row(z, keep, T, S, dz);
    if (losses) losses[b] = xent__narrow(l);
    if (a->remove_accidental_hits)
      for (size_t t = 0; t < T; t++) {
        int32_t sl = slot_true[b * T + t];
        if (sl < sampled_slots) keep[lastpos[sl]] = 1;
      }
    if (gx) {
      float *g = gx + b * dim;
      memset(g, 0, dim * sizeof(float));
      for (size_t k = 0; k < K; k++) {
        if (dz[k] == 0.0f) continue;
        int32_t c = k < T ? lab[k] : a->sampled_candidates[k - T];
        XENT_KERNEL(axpy)(dz[k], a->weights + (size_t)c * dim, g, dim);
      }
      if (saturate(g, dim)) input_grad_wide(a, lab, dz, g);
    }
    if (gw || gb)
      for (size_t k = 0; k < K; k++) {
        if (dz[k] == 0.0f) continue;
        int32_t sl = k < T ? slot_true[b * T + k] : slot_samp[k - T];
        if (gw) XENT_KERNEL(axpy)(dz[k], x, gw + (size_t)sl * dim, dim);
        if (gb) gb[sl] = gb[sl] + dz[k];
      }
  }
  if (gw) saturate(gw, (size_t)count * dim);
  if (gb) saturate(gb, (size_t)count);
  return XENT_OK;
}

xent_status xent_sampled_softmax_loss(const xent_sampled_args *args, float *losses,
                                      xent_sampled_grad *grad, void *work, size_t work_bytes,
                                      xent_error *err) {
  return sampled_loss(0, args, losses, grad, work, work_bytes, err);
}

xent_status xent_nce_loss(const xent_sampled_args *args, float *losses, xent_sampled_grad *grad,
                          void *work, size_t work_bytes, xent_error *err) {
  return sampled_loss(1, args, losses, grad, work, work_bytes, err);
}
