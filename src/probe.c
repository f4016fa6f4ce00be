/* probe.c: the two ceiling probes of the benchmark, exported from
 * the wasm modules by CMakeLists.txt but not part of the C API in xent.h:
 *
 *   float xent_probe_read(const float *x, size_t n);
 *     The sum of x[0..n), read with f32x4 loads (4 lane sums, added lane 0 to
 *     3 at the end); the scalar build keeps the same 4 partial sums, so both
 *     builds return the same value. Measures the cost of only reading inputs.
 *   void xent_probe_exp(const float *x, size_t n, float *out);
 *     out[i] = exp(x[i]) with xent_exp_f32x4 (xent_exp_scalar in the scalar
 *     build): the ceiling for any kernel that takes an exp of every logit.
 *
 * Neither reads past x + n or writes past out + n: the last n % 4 elements go
 * through a zeroed local block. Called by bench/ through the JS loader. */
#include <stddef.h>
#include <string.h>

#include "xent_math.h"

float xent_probe_read(const float *x, size_t n);
void xent_probe_exp(const float *x, size_t n, float *out);

#if XENT_HAVE_SIMD128

float xent_probe_read(const float *x, size_t n) {
  v128_t acc0 = wasm_f32x4_splat(0.0f), acc1 = acc0;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    acc0 = wasm_f32x4_add(acc0, wasm_v128_load(x + i));
    acc1 = wasm_f32x4_add(acc1, wasm_v128_load(x + i + 4));
  }
  float tail[8] = {0};
  if (i < n) memcpy(tail, x + i, (n - i) * sizeof(float));
  acc0 = wasm_f32x4_add(acc0, wasm_v128_load(tail));
  acc1 = wasm_f32x4_add(acc1, wasm_v128_load(tail + 4));
  v128_t acc = wasm_f32x4_add(acc0, acc1);
  return ((wasm_f32x4_extract_lane(acc, 0) + wasm_f32x4_extract_lane(acc, 1)) +
          wasm_f32x4_extract_lane(acc, 2)) + wasm_f32x4_extract_lane(acc, 3);
}

void xent_probe_exp(const float *x, size_t n, float *out) {
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    v128_t y0 = xent_exp_f32x4(wasm_v128_load(x + i));
    v128_t y1 = xent_exp_f32x4(wasm_v128_load(x + i + 4));
    v128_t y2 = xent_exp_f32x4(wasm_v128_load(x + i + 8));
    v128_t y3 = xent_exp_f32x4(wasm_v128_load(x + i + 12));
    wasm_v128_store(out + i, y0);
    wasm_v128_store(out + i + 4, y1);
    wasm_v128_store(out + i + 8, y2);
    wasm_v128_store(out + i + 12, y3);
  }
  for (; i + 4 <= n; i += 4) wasm_v128_store(out + i, xent_exp_f32x4(wasm_v128_load(x + i)));
  if (i < n) {
    float tail[4] = {0};
    memcpy(tail, x + i, (n - i) * sizeof(float));
    wasm_v128_store(tail, xent_exp_f32x4(wasm_v128_load(tail)));
    memcpy(out + i, tail, (n - i) * sizeof(float));
  }
}

#else

/* The same 8 partial sums as the f32x4 build (two accumulators of 4 lanes),
 * combined in the same order. */
float xent_probe_read(const float *x, size_t n) {
  float acc0[4] = {0}, acc1[4] = {0};
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    for (size_t j = 0; j < 4; j++) {
      acc0[j] += x[i + j];
      acc1[j] += x[i + 4 + j];
    }
  }
  float tail[8] = {0};
  if (i < n) memcpy(tail, x + i, (n - i) * sizeof(float));
  float acc[4];
  for (size_t j = 0; j < 4; j++) acc[j] = (acc0[j] + tail[j]) + (acc1[j] + tail[4 + j]);
  return ((acc[0] + acc[1]) + acc[2]) + acc[3];
}

void xent_probe_exp(const float *x, size_t n, float *out) {
  for (size_t i = 0; i < n; i++) out[i] = xent_exp_scalar(x[i]);
}

#endif
