/* RELU6 (standalone), int8: the reference kernel, TFLM activations.cc. No
 * requantisation: TFLM clamps to [in_zp, quantised 6] computed from the
 * input's parameters (the output shares them). Safe in place (out == in). */
#ifndef TP_RELU6_H
#define TP_RELU6_H

#include "tp_kernel.h"

typedef struct tp_relu6_params {
  int32_t size, zero, six;
} tp_relu6_params;

TP_KERNEL void tp_relu6(const tp_relu6_params *p, const int8_t *in, int8_t *out) {
  int32_t i;
  for (i = 0; i < p->size; i++) out[i] = (int8_t)tpk_clamp(in[i], p->zero, p->six);
}

#endif
