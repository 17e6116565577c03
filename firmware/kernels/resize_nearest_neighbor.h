/* RESIZE_NEAREST_NEIGHBOR, int8: a copy without requantisation (TFLM
 * reference_ops::ResizeNearestNeighbor). The source row and column of every
 * output row and column are computed at compile time with TFLite's
 * GetNearestNeighbor (float32 arithmetic, align_corners / half_pixel_centers),
 * by the same function the TypeScript interpreter uses. */
#ifndef TP_RESIZE_NEAREST_NEIGHBOR_H
#define TP_RESIZE_NEAREST_NEIGHBOR_H

#include "tp_kernel.h"

typedef struct tp_resize_nearest_neighbor_params {
  int32_t in_w, channels, out_h, out_w;
  const int16_t *row_src; /* [out_h] */
  const int16_t *col_src; /* [out_w] */
} tp_resize_nearest_neighbor_params;

TP_KERNEL void tp_resize_nearest_neighbor(const tp_resize_nearest_neighbor_params *p, const int8_t *in, int8_t *out) {
  int32_t y, x;
  for (y = 0; y < p->out_h; y++) {
    const int8_t *row = in + (int32_t)p->row_src[y] * p->in_w * p->channels;
    for (x = 0; x < p->out_w; x++) {
      memcpy(out, row + (int32_t)p->col_src[x] * p->channels, (size_t)p->channels);
      out += p->channels;
    }
  }
}

#endif
