/* The int32 subset of gemmlowp's fixedpoint.h that TFLM's int8 SOFTMAX and
 * LOGISTIC use. A value is a raw int32 with an implied number of integer bits
 * (gemmlowp FixedPoint<int32_t, kIntegerBits>): real = raw / 2^(31 − bits).
 * Callers track the integer bits, as the C++ templates do; add and subtract
 * wrap like gemmlowp's plain int32 arithmetic. Twin of src/runtime/fixed-point.ts. */
#ifndef TP_FIXED_POINT_H
#define TP_FIXED_POINT_H

#include "requantize.h"

TP_KERNEL int32_t tpk_fp_add(int32_t a, int32_t b) { return tpk_add_wrap(a, b); }

TP_KERNEL int32_t tpk_fp_sub(int32_t a, int32_t b) { return (int32_t)((uint32_t)a - (uint32_t)b); }

/* FixedPoint<a bits> * FixedPoint<b bits> = FixedPoint<a + b bits>. */
TP_KERNEL int32_t tpk_fp_mul(int32_t a, int32_t b) { return tpk_srdhm(a, b); }

/* The fixed-point 1 (saturated to INT32_MAX when there are no integer bits). */
TP_KERNEL int32_t tpk_fp_one(int32_t integer_bits) {
  return integer_bits == 0 ? INT32_MAX : (int32_t)(1u << (uint32_t)(31 - integer_bits));
}

/* gemmlowp SaturatingRoundingMultiplyByPOT<exponent>. */
TP_KERNEL int32_t tpk_fp_mul_pot(int32_t x, int32_t exponent) {
  int32_t threshold;
  if (exponent == 0) return x;
  if (exponent < 0) return tpk_rounding_divide_by_pot(x, -exponent);
  threshold = (int32_t)((1u << (uint32_t)(31 - exponent)) - 1u);
  if (x > threshold) return INT32_MAX;
  if (x < -threshold) return INT32_MIN;
  return (int32_t)((uint32_t)x << (uint32_t)exponent);
}

/* gemmlowp Rescale<dst>(FixedPoint<src>). */
TP_KERNEL int32_t tpk_fp_rescale(int32_t x, int32_t src_bits, int32_t dst_bits) {
  return tpk_fp_mul_pot(x, src_bits - dst_bits);
}

/* gemmlowp RoundingHalfSum: (a + b) / 2 rounded half away from zero, in int64. */
TP_KERNEL int32_t tpk_fp_rounding_half_sum(int32_t a, int32_t b) {
  const int64_t sum = (int64_t)a + (int64_t)b;
  return (int32_t)((sum + (sum >= 0 ? 1 : -1)) / 2);
}

/* exp(a) for a in [−1/4, 0), 0 integer bits in and out (Taylor series around −1/8). */
TP_KERNEL int32_t tpk_fp_exp_quarter(int32_t a) {
  const int32_t constant_term = 1895147668; /* exp(-1/8) */
  const int32_t one_third = 715827883;
  const int32_t x = tpk_fp_add(a, 1 << 28); /* a + 1/8 */
  const int32_t x2 = tpk_fp_mul(x, x);
  const int32_t x3 = tpk_fp_mul(x2, x);
  const int32_t x4 = tpk_fp_mul(x2, x2);
  const int32_t x4_over_4 = tpk_fp_mul_pot(x4, -2);
  const int32_t poly = tpk_fp_mul_pot(tpk_fp_add(tpk_fp_mul(tpk_fp_add(x4_over_4, x3), one_third), x2), -1);
  return tpk_fp_add(constant_term, tpk_fp_mul(constant_term, tpk_fp_add(x, poly)));
}

/* gemmlowp exp_on_negative_values: a <= 0 with `integer_bits`, result with 0 integer bits. */
TP_KERNEL int32_t tpk_fp_exp_on_negative_values(int32_t a, int32_t integer_bits) {
  /* exp(-2^e) for e = -2..4, gemmlowp's barrel-shifter constants. */
  static const int32_t barrel[7] = {1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242};
  const int32_t fractional_bits = 31 - integer_bits;
  const int32_t one_quarter = (int32_t)(1u << (uint32_t)(fractional_bits - 2));
  const int32_t mask = one_quarter - 1;
  const int32_t a_mod_quarter_minus_quarter = tpk_fp_sub(a & mask, one_quarter);
  int32_t result = tpk_fp_exp_quarter(tpk_fp_rescale(a_mod_quarter_minus_quarter, integer_bits, 0));
  const int32_t remainder = tpk_fp_sub(a_mod_quarter_minus_quarter, a);
  int32_t e;
  for (e = -2; e <= 4; e++) {
    if (integer_bits > e && (remainder & (int32_t)(1u << (uint32_t)(fractional_bits + e))) != 0) {
      result = tpk_fp_mul(result, barrel[e + 2]);
    }
  }
  if (integer_bits > 5) {
    const int32_t clamp = -(int32_t)(1u << (uint32_t)(36 - integer_bits)); /* -32 in this format */
    if (a < clamp) result = 0;
  }
  return a == 0 ? tpk_fp_one(0) : result;
}

/* gemmlowp one_over_one_plus_x_for_x_in_0_1: Newton-Raphson in 2-integer-bit format. */
TP_KERNEL int32_t tpk_fp_one_over_one_plus_x(int32_t a) {
  const int32_t half_denominator = tpk_fp_rounding_half_sum(a, tpk_fp_one(0));
  const int32_t c48_over_17 = 1515870810;
  const int32_t cneg32_over_17 = -1010580540;
  int32_t x = tpk_fp_add(c48_over_17, tpk_fp_mul(half_denominator, cneg32_over_17));
  int i;
  for (i = 0; i < 3; i++) {
    const int32_t half_denominator_times_x = tpk_fp_mul(half_denominator, x);
    const int32_t one_minus = tpk_fp_sub(tpk_fp_one(2), half_denominator_times_x);
    x = tpk_fp_add(x, tpk_fp_rescale(tpk_fp_mul(x, one_minus), 4, 2));
  }
  /* ExactMulByPot<-1> makes the 2-bit x a 1-bit value with the same raw. */
  return tpk_fp_rescale(x, 1, 0);
}

/* gemmlowp logistic: a with `integer_bits`, result with 0 integer bits. */
TP_KERNEL int32_t tpk_fp_logistic(int32_t a, int32_t integer_bits) {
  int32_t abs_input, result_if_positive;
  if (a == 0) return 1 << 30; /* 0.5 */
  abs_input = a > 0 ? a : (int32_t)(0u - (uint32_t)a);
  result_if_positive =
      tpk_fp_one_over_one_plus_x(tpk_fp_exp_on_negative_values((int32_t)(0u - (uint32_t)abs_input), integer_bits));
  return a > 0 ? result_if_positive : tpk_fp_sub(tpk_fp_one(0), result_if_positive);
}

/* Leading zeros of x read as uint32 (32 for 0). */
TP_KERNEL int32_t tpk_clz32(uint32_t x) {
#if defined(__GNUC__)
  return x == 0u ? 32 : __builtin_clz(x);
#else
  int32_t n = 0;
  if (x == 0u) return 32;
  while ((x & 0x80000000u) == 0u) {
    x <<= 1;
    n++;
  }
  return n;
#endif
}

#endif
