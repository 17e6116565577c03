/* FULLY_CONNECTED, int8: the reference kernel. TFLM
 * reference_integer_ops::FullyConnected: the input is read as rows of `depth`
 * values; acc = bias[u] + Σ (w + filter_offset)·(x − in_zp), requantised with
 * the unit's multiplier and shift (the generator repeats a per-tensor pair for
 * every unit), + out_zp, clamped. Weights [units][depth]. */
#ifndef TP_FULLY_CONNECTED_H
#define TP_FULLY_CONNECTED_H

#include "requantize.h"

typedef struct tp_fully_connected_params {
  int32_t rows, depth, units;
  int32_t in_zp, filter_offset, out_zp, act_min, act_max;
  const int8_t *weights;     /* [units][depth] */
  const int32_t *bias;       /* [units], or NULL */
  const int32_t *multiplier; /* [units] */
  const int32_t *shift;      /* [units] */
} tp_fully_connected_params;

TP_KERNEL void tp_fully_connected(const tp_fully_connected_params *p, const int8_t *in, int8_t *out) {
  int32_t r, u, d;
  for (r = 0; r < p->rows; r++) {
    for (u = 0; u < p->units; u++) {
      const int8_t *w = p->weights + u * p->depth;
      const int8_t *x = in + r * p->depth;
      int32_t acc = 0;
      for (d = 0; d < p->depth; d++) acc += ((int32_t)w[d] + p->filter_offset) * ((int32_t)x[d] - p->in_zp);
      if (p->bias) acc = tpk_add_wrap(acc, p->bias[u]);
      out[r * p->units + u] = tpk_requantize_s8(acc, p->multiplier[u], p->shift[u], p->out_zp, p->act_min, p->act_max);
    }
  }
}

#endif
