/* TRANSPOSE_CONV, int8, per-channel weights: the reference kernel. TFLM's
 * reference_integer_ops::TransposeConv scatters every input pixel times the
 * filter into an int32 buffer the size of the output; this computes the same
 * sums gathered per output element instead (integer sums do not depend on
 * their order), so it needs no scratch buffer. Output (oy, ox) receives input
 * (iy, ix) through tap (ky, kx) when oy = iy·stride_h − pad_top + ky (and the
 * same for x). Filter OHWI [out_c][k_h][k_w][in_c]. */
#ifndef TP_TRANSPOSE_CONV_H
#define TP_TRANSPOSE_CONV_H

#include "requantize.h"

typedef struct tp_transpose_conv_params {
  int32_t in_h, in_w, in_c;
  int32_t out_h, out_w, out_c;
  int32_t k_h, k_w, stride_h, stride_w, pad_top, pad_left;
  int32_t in_zp, out_zp, act_min, act_max;
  const int8_t *filter;      /* [out_c][k_h][k_w][in_c] */
  const int32_t *bias;       /* [out_c], or NULL */
  const int32_t *multiplier; /* [out_c] */
  const int32_t *shift;      /* [out_c] */
} tp_transpose_conv_params;

TP_KERNEL void tp_transpose_conv(const tp_transpose_conv_params *p, const int8_t *in, int8_t *out) {
  int32_t oy, ox, oc, ky, kx, ic;
  for (oy = 0; oy < p->out_h; oy++) {
    for (ox = 0; ox < p->out_w; ox++) {
      for (oc = 0; oc < p->out_c; oc++) {
        int32_t acc = 0;
        for (ky = 0; ky < p->k_h; ky++) {
          const int32_t ty = oy + p->pad_top - ky;
          int32_t iy;
          if (ty < 0 || ty % p->stride_h != 0) continue;
          iy = ty / p->stride_h;
          if (iy >= p->in_h) continue;
          for (kx = 0; kx < p->k_w; kx++) {
            const int32_t tx = ox + p->pad_left - kx;
            const int8_t *x, *w;
            int32_t ix;
            if (tx < 0 || tx % p->stride_w != 0) continue;
            ix = tx / p->stride_w;
            if (ix >= p->in_w) continue;
            x = in + (iy * p->in_w + ix) * p->in_c;
            w = p->filter + ((oc * p->k_h + ky) * p->k_w + kx) * p->in_c;
            for (ic = 0; ic < p->in_c; ic++) acc += (int32_t)w[ic] * ((int32_t)x[ic] - p->in_zp);
          }
        }
        if (p->bias) acc = tpk_add_wrap(acc, p->bias[oc]);
        out[(oy * p->out_w + ox) * p->out_c + oc] =
            tpk_requantize_s8(acc, p->multiplier[oc], p->shift[oc], p->out_zp, p->act_min, p->act_max);
      }
    }
  }
}

#endif
