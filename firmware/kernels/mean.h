/* MEAN over a set of axes, int8: the reference kernel. TFLM's
 * reference_ops::QuantizedMeanOrSum as reduce_common.cc calls it: the int32
 * sum of every reduced group (in a scratch buffer, one int32 per output), minus
 * in_zp · count, then one MultiplyByQuantizedMultiplier whose multiplier and
 * shift fold in_s / out_s and 1 / count (computed at compile time), + out_zp,
 * clamped to int8. Shapes are padded to rank 4 with leading ones. */
#ifndef TP_MEAN_H
#define TP_MEAN_H

#include "requantize.h"

typedef struct tp_mean_params {
  int32_t shape[4];      /* input */
  int32_t out_stride[4]; /* stride of each input axis in the output; 0 on reduced axes */
  int32_t out_size, count;
  int32_t in_zp, out_zp, multiplier, shift;
} tp_mean_params;

TP_KERNEL void tp_mean(const tp_mean_params *p, const int8_t *in, int8_t *out, int32_t *sums) {
  int32_t i0, i1, i2, i3, o;
  for (o = 0; o < p->out_size; o++) sums[o] = 0;
  for (i0 = 0; i0 < p->shape[0]; i0++) {
    for (i1 = 0; i1 < p->shape[1]; i1++) {
      for (i2 = 0; i2 < p->shape[2]; i2++) {
        const int32_t base = i0 * p->out_stride[0] + i1 * p->out_stride[1] + i2 * p->out_stride[2];
        for (i3 = 0; i3 < p->shape[3]; i3++) sums[base + i3 * p->out_stride[3]] += *in++;
      }
    }
  }
  for (o = 0; o < p->out_size; o++) {
    const int32_t centred = (int32_t)((uint32_t)sums[o] - (uint32_t)(p->in_zp * p->count));
    out[o] = (int8_t)tpk_clamp(tpk_requantize(centred, p->multiplier, p->shift) + p->out_zp, -128, 127);
  }
}

#endif
