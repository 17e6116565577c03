/* LEAKY_RELU, int8: the reference kernel, TFLM leaky_relu.cc with
 * reference_integer_ops (kernels/internal/reference/leaky_relu.h). Two
 * requantisations chosen per element by the sign of x − in_zp: the identity
 * multiplier (in_s / out_s) for x − in_zp ≥ 0, the alpha one
 * (in_s · alpha / out_s, negative for a negative alpha) below, each
 * + out_zp and clamped to int8. Safe in place (out == in). */
#ifndef TP_LEAKY_RELU_H
#define TP_LEAKY_RELU_H

#include "requantize.h"

typedef struct tp_leaky_relu_params {
  int32_t size, in_zp, out_zp, identity_multiplier, identity_shift, alpha_multiplier, alpha_shift;
} tp_leaky_relu_params;

TP_KERNEL void tp_leaky_relu(const tp_leaky_relu_params *p, const int8_t *in, int8_t *out) {
  int32_t i;
  for (i = 0; i < p->size; i++) {
    const int32_t x = (int32_t)in[i] - p->in_zp;
    out[i] = x >= 0 ? tpk_requantize_s8(x, p->identity_multiplier, p->identity_shift, p->out_zp, -128, 127)
                    : tpk_requantize_s8(x, p->alpha_multiplier, p->alpha_shift, p->out_zp, -128, 127);
  }
}

#endif
