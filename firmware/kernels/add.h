/* ADD with broadcasting, int8: the reference kernel. TFLM add_common.cc and
 * reference_integer_ops AddFunc: both inputs, minus their zero points, are
 * shifted left by 20 bits and rescaled to twice the larger input scale, summed,
 * rescaled to the output, + out_zp, clamped to the fused activation's range.
 * Shapes are padded to rank 4; an input's stride is 0 along a broadcast axis. */
#ifndef TP_ADD_H
#define TP_ADD_H

#include "requantize.h"

typedef struct tp_add_params {
  int32_t out_shape[4];
  int32_t a_stride[4], b_stride[4];
  int32_t a_zp, b_zp, out_zp, act_min, act_max;
  int32_t a_multiplier, a_shift, b_multiplier, b_shift, out_multiplier, out_shift;
} tp_add_params;

TP_KERNEL void tp_add(const tp_add_params *p, const int8_t *a, const int8_t *b, int8_t *out) {
  int32_t i0, i1, i2, i3;
  for (i0 = 0; i0 < p->out_shape[0]; i0++) {
    for (i1 = 0; i1 < p->out_shape[1]; i1++) {
      for (i2 = 0; i2 < p->out_shape[2]; i2++) {
        const int32_t a_base = i0 * p->a_stride[0] + i1 * p->a_stride[1] + i2 * p->a_stride[2];
        const int32_t b_base = i0 * p->b_stride[0] + i1 * p->b_stride[1] + i2 * p->b_stride[2];
        for (i3 = 0; i3 < p->out_shape[3]; i3++) {
          const int32_t va = (int32_t)((uint32_t)((int32_t)a[a_base + i3 * p->a_stride[3]] - p->a_zp) << 20);
          const int32_t vb = (int32_t)((uint32_t)((int32_t)b[b_base + i3 * p->b_stride[3]] - p->b_zp) << 20);
          const int32_t sum = tpk_add_wrap(tpk_requantize(va, p->a_multiplier, p->a_shift),
                                           tpk_requantize(vb, p->b_multiplier, p->b_shift));
          *out++ = (int8_t)tpk_clamp(tpk_requantize(sum, p->out_multiplier, p->out_shift) + p->out_zp, p->act_min,
                                     p->act_max);
        }
      }
    }
  }
}

#endif
