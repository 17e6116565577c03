/* TFLM's MultiplyByQuantizedMultiplier (kernels/internal/common.h), the
 * double-rounding variant that TFLM and the Arduino library build
 * (TFLITE_SINGLE_ROUNDING is off): x · multiplier · 2^(shift − 31), rounded
 * twice as gemmlowp's SaturatingRoundingDoublingHighMul and
 * RoundingDivideByPOT do (gemmlowp fixedpoint.h). Every int8 kernel that
 * rescales uses this one function. Multipliers and shifts are computed at
 * compile time by the generator with the same QuantizeMultiplier the
 * TypeScript interpreter uses. */
#ifndef TP_REQUANTIZE_H
#define TP_REQUANTIZE_H

#include "tp_kernel.h"

/* gemmlowp SaturatingRoundingDoublingHighMul: the product plus a nudge of
 * 2^30 (1 − 2^30 when negative) divided by 2^31 truncating toward zero. For a
 * negative product p, trunc((p + 1 − 2^30) / 2^31) = ceil(...) =
 * floor((p + 2^30) / 2^31), the same expression as for p >= 0; so one
 * arithmetic shift gives both, without a 64-bit division. */
TP_KERNEL int32_t tpk_srdhm(int32_t a, int32_t b) {
  if (a == INT32_MIN && b == INT32_MIN) return INT32_MAX;
  return (int32_t)tpk_asr64((int64_t)a * (int64_t)b + ((int64_t)1 << 30), 31u);
}

/* gemmlowp RoundingDivideByPOT: x / 2^exponent, halves rounded away from zero. */
TP_KERNEL int32_t tpk_rounding_divide_by_pot(int32_t x, int32_t exponent) {
  const int32_t mask = exponent >= 31 ? INT32_MAX : (int32_t)((1u << (uint32_t)exponent) - 1u);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return tpk_asr32(x, (uint32_t)exponent) + (remainder > threshold ? 1 : 0);
}

/* The left shift is an int32 multiply in TFLM, so it wraps. */
TP_KERNEL int32_t tpk_requantize(int32_t x, int32_t multiplier, int32_t shift) {
  const int32_t left = shift > 0 ? shift : 0;
  const int32_t right = shift > 0 ? 0 : -shift;
  const int32_t shifted = (int32_t)((uint32_t)x << (uint32_t)left);
  return tpk_rounding_divide_by_pot(tpk_srdhm(shifted, multiplier), right);
}

/* Requantise an accumulator to int8: + out_zp, clamped to the activation range. */
TP_KERNEL int8_t tpk_requantize_s8(int32_t acc, int32_t multiplier, int32_t shift, int32_t out_zp, int32_t act_min,
                                   int32_t act_max) {
  return (int8_t)tpk_clamp(tpk_requantize(acc, multiplier, shift) + out_zp, act_min, act_max);
}

#endif
