/* QUANTIZE, the reference kernels (TFLM quantize.cc). float32 → int8 is
 * AffineQuantize: x / scale in float32, rounded half away from zero, + zp,
 * clamped to int8 (NaN gives the zero point, as the TypeScript twin decides).
 * int8 → int8 requantises with in_s / out_s. Safe in place for int8 → int8. */
#ifndef TP_QUANTIZE_H
#define TP_QUANTIZE_H

#include "requantize.h"

typedef struct tp_quantize_params {
  int32_t size;
  float scale;     /* float32 input only */
  int32_t in_zp;   /* int8 input only */
  int32_t out_zp;
  int32_t multiplier, shift; /* int8 input only */
} tp_quantize_params;

/* round(v) half away from zero, saturated to [lo, hi], for any float32 v. */
TP_KERNEL int32_t tpk_round_saturate(float v, int32_t lo, int32_t hi) {
  float t, frac;
  int32_t r;
  if (!(v > -2147483648.0f)) return v != v ? 0 : lo; /* NaN (caller maps it) or far below */
  if (!(v < 2147483648.0f)) return hi;
  r = (int32_t)v; /* truncation toward zero, exact in this range */
  t = (float)r;
  frac = v - t; /* exact: both within one binade of each other */
  if (frac >= 0.5f) r += 1;
  if (frac <= -0.5f) r -= 1;
  return tpk_clamp(r, lo, hi);
}

TP_KERNEL void tp_quantize_f32(const tp_quantize_params *p, const float *in, int8_t *out) {
  int32_t i;
  for (i = 0; i < p->size; i++) {
    const float q = in[i] / p->scale;
    int32_t v;
    if (q != q) {
      v = p->out_zp;
    } else {
      v = tpk_round_saturate(q, -1048576, 1048576) + p->out_zp;
    }
    out[i] = (int8_t)tpk_clamp(v, -128, 127);
  }
}

TP_KERNEL void tp_quantize_s8(const tp_quantize_params *p, const int8_t *in, int8_t *out) {
  int32_t i;
  for (i = 0; i < p->size; i++) {
    out[i] = (int8_t)tpk_clamp(tpk_requantize((int32_t)in[i] - p->in_zp, p->multiplier, p->shift) + p->out_zp, -128, 127);
  }
}

#endif
