/* DEQUANTIZE int8 → float32: the reference kernel, TFLM dequantize.cc:
 * scale · (q − zp), one float32 multiply. */
#ifndef TP_DEQUANTIZE_H
#define TP_DEQUANTIZE_H

#include "tp_kernel.h"

typedef struct tp_dequantize_params {
  int32_t size, zp;
  float scale;
} tp_dequantize_params;

TP_KERNEL void tp_dequantize(const tp_dequantize_params *p, const int8_t *in, float *out) {
  int32_t i;
  for (i = 0; i < p->size; i++) out[i] = p->scale * (float)((int32_t)in[i] - p->zp);
}

#endif
