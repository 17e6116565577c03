/* PAD with constant paddings, int8: the reference
 * kernel (TFLM pad.cc). Every element outside the input gets `fill` (the
 * output zero point, i.e. real 0); the input is copied unchanged. Shapes are
 * padded to rank 4 with leading ones. */
#ifndef TP_PAD_H
#define TP_PAD_H

#include "tp_kernel.h"

typedef struct tp_pad_params {
  int32_t in_shape[4];
  int32_t out_shape[4];
  int32_t before[4];
  int32_t fill;
} tp_pad_params;

TP_KERNEL void tp_pad(const tp_pad_params *p, const int8_t *in, int8_t *out) {
  int32_t o0, o1, o2, o3;
  for (o0 = 0; o0 < p->out_shape[0]; o0++) {
    const int32_t i0 = o0 - p->before[0];
    for (o1 = 0; o1 < p->out_shape[1]; o1++) {
      const int32_t i1 = o1 - p->before[1];
      for (o2 = 0; o2 < p->out_shape[2]; o2++) {
        const int32_t i2 = o2 - p->before[2];
        const int inside = i0 >= 0 && i0 < p->in_shape[0] && i1 >= 0 && i1 < p->in_shape[1] && i2 >= 0 &&
                           i2 < p->in_shape[2];
        const int32_t base = inside ? ((i0 * p->in_shape[1] + i1) * p->in_shape[2] + i2) * p->in_shape[3] : 0;
        for (o3 = 0; o3 < p->out_shape[3]; o3++) {
          const int32_t i3 = o3 - p->before[3];
          *out++ = inside && i3 >= 0 && i3 < p->in_shape[3] ? in[base + i3] : (int8_t)p->fill;
        }
      }
    }
  }
}

#endif
