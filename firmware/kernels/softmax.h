/* SOFTMAX over the last axis, int8 in and out (output scale 1/256, zero point
 * −128): the reference kernel, TFLM reference_ops::Softmax in gemmlowp fixed
 * point. Differences to the row maximum are rescaled by β·in_s into a
 * 5-integer-bit format (multiplier, left shift and diff_min computed at
 * compile time as PreprocessSoftmaxScaling does), exponentiated, summed with
 * 12 integer bits, and multiplied by the reciprocal of the sum. Each exp is
 * computed twice (sum, then output) instead of being kept in a buffer, so the
 * kernel needs no scratch. The generator limits depth so the final shift
 * stays below 32. */
#ifndef TP_SOFTMAX_H
#define TP_SOFTMAX_H

#include "fixed_point.h"

typedef struct tp_softmax_params {
  int32_t outer, depth;
  int32_t multiplier, left_shift, diff_min;
} tp_softmax_params;

TP_KERNEL int32_t tpk_softmax_exp(const tp_softmax_params *p, int32_t diff) {
  const int32_t rescaled = tpk_srdhm((int32_t)((uint32_t)diff << (uint32_t)p->left_shift), p->multiplier);
  return tpk_fp_exp_on_negative_values(rescaled, 5);
}

TP_KERNEL void tp_softmax(const tp_softmax_params *p, const int8_t *in, int8_t *out) {
  int32_t r, c;
  for (r = 0; r < p->outer; r++) {
    const int8_t *x = in + r * p->depth;
    int8_t *y = out + r * p->depth;
    int32_t max = -128, sum = 0, headroom, bits_over_unit, shifted_minus_one, reciprocal, exponent;
    for (c = 0; c < p->depth; c++) max = tpk_max(max, x[c]);
    for (c = 0; c < p->depth; c++) {
      const int32_t diff = (int32_t)x[c] - max;
      if (diff >= p->diff_min) sum = tpk_add_wrap(sum, tpk_fp_rescale(tpk_softmax_exp(p, diff), 0, 12));
    }
    /* TFLite GetReciprocal(sum, 12 integer bits). */
    headroom = tpk_clz32((uint32_t)sum);
    bits_over_unit = 12 - headroom;
    shifted_minus_one = (int32_t)(((uint32_t)sum << (uint32_t)headroom) - 0x80000000u);
    reciprocal = tpk_fp_one_over_one_plus_x(shifted_minus_one);
    exponent = bits_over_unit + 31 - 8;
    for (c = 0; c < p->depth; c++) {
      const int32_t diff = (int32_t)x[c] - max;
      int32_t v = -128;
      if (diff >= p->diff_min) {
        v = tpk_rounding_divide_by_pot(tpk_fp_mul(reciprocal, tpk_softmax_exp(p, diff)), exponent) - 128;
      }
      y[c] = (int8_t)tpk_clamp(v, -128, 127);
    }
  }
}

#endif
