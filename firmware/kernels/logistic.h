/* LOGISTIC, int8 in and out (output scale 1/256, zero point −128): the
 * reference kernel, TFLM reference_integer_ops::Logistic. x − in_zp is
 * rescaled into a 4-integer-bit fixed point (multiplier and shift computed at
 * compile time) and fed to gemmlowp's logistic; inputs beyond the radius
 * saturate to −128 / 127. */
#ifndef TP_LOGISTIC_H
#define TP_LOGISTIC_H

#include "fixed_point.h"

typedef struct tp_logistic_params {
  int32_t size, in_zp, multiplier, shift, radius;
} tp_logistic_params;

TP_KERNEL void tp_logistic(const tp_logistic_params *p, const int8_t *in, int8_t *out) {
  int32_t i;
  for (i = 0; i < p->size; i++) {
    const int32_t x = (int32_t)in[i] - p->in_zp;
    int32_t v;
    if (x <= -p->radius) {
      v = -128;
    } else if (x >= p->radius) {
      v = 127;
    } else {
      const int32_t q4 = tpk_requantize(x, p->multiplier, p->shift);
      v = tpk_clamp(tpk_rounding_divide_by_pot(tpk_fp_logistic(q4, 4), 31 - 8) - 128, -128, 127);
    }
    out[i] = (int8_t)v;
  }
}

#endif
