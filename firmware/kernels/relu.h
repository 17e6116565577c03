/* RELU (standalone), int8: the reference kernel, TFLM activations.cc. It
 * requantises: out_zp + MultiplyByQuantizedMultiplier(x − in_zp, in_s / out_s),
 * clamped to [max(−128, out_zp), 127]. Safe in place (out == in). */
#ifndef TP_RELU_H
#define TP_RELU_H

#include "requantize.h"

typedef struct tp_relu_params {
  int32_t size, in_zp, out_zp, multiplier, shift, act_min, act_max;
} tp_relu_params;

TP_KERNEL void tp_relu(const tp_relu_params *p, const int8_t *in, int8_t *out) {
  int32_t i;
  for (i = 0; i < p->size; i++) {
    out[i] = tpk_requantize_s8((int32_t)in[i] - p->in_zp, p->multiplier, p->shift, p->out_zp, p->act_min, p->act_max);
  }
}

#endif
