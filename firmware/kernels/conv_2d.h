/* CONV_2D, int8, per-channel weights: the reference kernel (the spec).
 * TFLM reference_integer_ops::ConvPerChannel: for every output element,
 * acc = bias[c] + Σ w·(x − in_zp) over the filter taps that fall inside the
 * input (padding contributes nothing), requantised with the channel's
 * multiplier and shift, + out_zp, clamped to the fused activation's range.
 * Filters are OHWI; a filter depth smaller than the input depth is a grouped
 * convolution (output channel c reads input channels of group c / (out_c / groups)). */
#ifndef TP_CONV_2D_H
#define TP_CONV_2D_H

#include "requantize.h"

typedef struct tp_conv_2d_params {
  int32_t in_h, in_w, in_c;
  int32_t out_h, out_w, out_c;
  int32_t k_h, k_w, filter_c;
  int32_t stride_h, stride_w, dilation_h, dilation_w;
  int32_t pad_top, pad_left;
  int32_t in_zp, out_zp, act_min, act_max;
  const int8_t *filter;      /* [out_c][k_h][k_w][filter_c] */
  const int32_t *bias;       /* [out_c], or NULL */
  const int32_t *multiplier; /* [out_c] */
  const int32_t *shift;      /* [out_c] */
} tp_conv_2d_params;

TP_KERNEL void tp_conv_2d(const tp_conv_2d_params *p, const int8_t *in, int8_t *out) {
  const int32_t per_group = p->out_c / (p->in_c / p->filter_c);
  int32_t oy, ox, oc, ky, kx, ic;
  for (oy = 0; oy < p->out_h; oy++) {
    for (ox = 0; ox < p->out_w; ox++) {
      for (oc = 0; oc < p->out_c; oc++) {
        const int32_t group_base = (oc / per_group) * p->filter_c;
        int32_t acc = 0;
        for (ky = 0; ky < p->k_h; ky++) {
          const int32_t iy = oy * p->stride_h - p->pad_top + ky * p->dilation_h;
          if (iy < 0 || iy >= p->in_h) continue;
          for (kx = 0; kx < p->k_w; kx++) {
            const int32_t ix = ox * p->stride_w - p->pad_left + kx * p->dilation_w;
            const int8_t *x, *w;
            if (ix < 0 || ix >= p->in_w) continue;
            x = in + (iy * p->in_w + ix) * p->in_c + group_base;
            w = p->filter + ((oc * p->k_h + ky) * p->k_w + kx) * p->filter_c;
            for (ic = 0; ic < p->filter_c; ic++) acc += (int32_t)w[ic] * ((int32_t)x[ic] - p->in_zp);
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
