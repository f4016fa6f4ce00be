/* fuzz_input.h: how both fuzz harnesses (fuzz_xent.c, fuzz_sampled.c) read
 * the fuzzer's bytes: a cursor that yields 0 once the input is used up, and
 * float values drawn from a table of values that break naive formulas, a grid
 * of small values, or raw float32 bits. */
#ifndef XENT_FUZZ_INPUT_H
#define XENT_FUZZ_INPUT_H

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

typedef struct reader { const uint8_t *p; size_t n; } reader;

static uint8_t u8(reader *r) {
  if (!r->n) return 0;
  r->n--;
  return *r->p++;
}
static uint32_t u32(reader *r) {
  uint32_t v = 0;
  for (int i = 0; i < 4; i++) v = v << 8 | u8(r);
  return v;
}
static float from_bits(uint32_t b) {
  float f;
  memcpy(&f, &b, sizeof f);
  return f;
}

/* Values that break naive formulas, then small grid values, then raw bits. */
static const float SPECIAL[] = {
    0.0f, 1.0f, 0.5f, -0.0f, 1e-7f, 0.99999988f, 1e-8f, 0.25f, 0.75f, -1.0f, 2.0f, -2.0f,
    10.0f, -10.0f, 88.7f, -88.7f, 90.0f, -90.0f, 104.0f, -104.0f, 1e30f, -1e30f, 3e38f,
    -3e38f, FLT_MAX, -FLT_MAX, FLT_MIN, -FLT_MIN, 1e-45f, 1e20f, -1e20f, 1e-30f, 0.9f, 0.1f,
    NAN, INFINITY, -INFINITY};
#define N_SPECIAL (sizeof SPECIAL / sizeof SPECIAL[0])

static float value(reader *r) {
  uint8_t b = u8(r);
  if (b < N_SPECIAL) return SPECIAL[b];
  if (b < 224) return (float)((int)b - 130) / 8.0f; /* -11.6 .. 11.6 in steps of 1/8 */
  return from_bits(u32(r));
}

#endif
