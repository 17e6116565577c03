/* MAX_POOL_2D, int8: the reference kernel. TFLM reference_integer_ops::MaxPool:
 * the maximum over the window clipped to the input, clamped to the fused
 * activation's range; no requantisation (input and output share their
 * quantisation parameters). */
#ifndef TP_MAX_POOL_2D_H
#define TP_MAX_POOL_2D_H

#include "pool_2d_params.h"

TP_KERNEL void tp_max_pool_2d(const tp_pool_2d_params *p, const int8_t *in, int8_t *out) {
  int32_t oy, ox, c, y, x;
  for (oy = 0; oy < p->out_h; oy++) {
    const int32_t y0 = tpk_max(0, oy * p->stride_h - p->pad_top);
    const int32_t y1 = tpk_min(p->in_h, oy * p->stride_h - p->pad_top + p->filter_h);
    for (ox = 0; ox < p->out_w; ox++) {
      const int32_t x0 = tpk_max(0, ox * p->stride_w - p->pad_left);
      const int32_t x1 = tpk_min(p->in_w, ox * p->stride_w - p->pad_left + p->filter_w);
      for (c = 0; c < p->channels; c++) {
        int32_t m = -128;
        for (y = y0; y < y1; y++) {
          for (x = x0; x < x1; x++) m = tpk_max(m, in[(y * p->in_w + x) * p->channels + c]);
        }
        out[(oy * p->out_w + ox) * p->channels + c] = (int8_t)tpk_clamp(m, p->act_min, p->act_max);
      }
    }
  }
}

#endif
