import { roundingDivideByPOT, saturatingRoundingDoublingHighMul } from './quant-math.js';

/**
 * The int32 subset of gemmlowp's fixedpoint.h that TFLM's int8 SOFTMAX and
 * LOGISTIC use. A value is a raw int32 with an implied number of integer bits
 * (FixedPoint<int32_t, kIntegerBits>): real = raw / 2^(31 − integerBits).
 * Functions take and return raws; callers track the integer bits, as the C++
 * templates do. Add/sub wrap like gemmlowp's plain int32 arithmetic.
 */

const INT32_MAX = 2147483647;
const INT32_MIN = -2147483648;

export const fpAdd = (a: number, b: number): number => (a + b) | 0;
export const fpSub = (a: number, b: number): number => (a - b) | 0;
/** FixedPoint<a bits> * FixedPoint<b bits> = FixedPoint<a + b bits>. */
export const fpMul = saturatingRoundingDoublingHighMul;

/** The fixed-point 1 (saturated to INT32_MAX when there are no integer bits). */
export function fpOne(integerBits: number): number {
  return integerBits === 0 ? INT32_MAX : (2 ** (31 - integerBits)) | 0;
}

/** gemmlowp SaturatingRoundingMultiplyByPOT<exponent>. */
export function saturatingRoundingMultiplyByPOT(x: number, exponent: number): number {
  if (exponent === 0) return x;
  if (exponent < 0) return roundingDivideByPOT(x, -exponent);
  const threshold = (1 << (31 - exponent)) - 1;
  if (x > threshold) return INT32_MAX;
  if (x < -threshold) return INT32_MIN;
  return x << exponent;
}

/** gemmlowp Rescale<dstBits>(FixedPoint<srcBits>). */
export function fpRescale(x: number, srcIntegerBits: number, dstIntegerBits: number): number {
  return saturatingRoundingMultiplyByPOT(x, srcIntegerBits - dstIntegerBits);
}

/** gemmlowp RoundingHalfSum: (a + b) / 2 rounded half away from zero, in int64. */
export function roundingHalfSum(a: number, b: number): number {
  const sum = a + b;
  return Math.trunc((sum + (sum >= 0 ? 1 : -1)) / 2);
}

/** exp(a) for a in [−1/4, 0), a and result with 0 integer bits (Taylor series around −1/8). */
function expOnIntervalNegativeQuarterTo0(a: number): number {
  const constantTerm = 1895147668; // exp(-1/8)
  const oneThird = 715827883;
  const x = fpAdd(a, 1 << 28); // a + 1/8
  const x2 = fpMul(x, x);
  const x3 = fpMul(x2, x);
  const x4 = fpMul(x2, x2);
  const x4Over4 = saturatingRoundingMultiplyByPOT(x4, -2);
  const poly = saturatingRoundingMultiplyByPOT(fpAdd(fpMul(fpAdd(x4Over4, x3), oneThird), x2), -1);
  return fpAdd(constantTerm, fpMul(constantTerm, fpAdd(x, poly)));
}

/** exp(−2^e) for e = −2..4, as gemmlowp's barrel-shifter constants (0 integer bits). */
const EXP_BARREL: ReadonlyArray<readonly [number, number]> = [
  [-2, 1672461947],
  [-1, 1302514674],
  [0, 790015084],
  [1, 290630308],
  [2, 39332535],
  [3, 720401],
  [4, 242],
];

/** gemmlowp exp_on_negative_values: a ≤ 0 with `integerBits`, result with 0 integer bits. */
export function expOnNegativeValues(a: number, integerBits: number): number {
  const fractionalBits = 31 - integerBits;
  const oneQuarter = 1 << (fractionalBits - 2);
  const mask = oneQuarter - 1;
  const aModQuarterMinusQuarter = fpSub(a & mask, oneQuarter);
  let result = expOnIntervalNegativeQuarterTo0(fpRescale(aModQuarterMinusQuarter, integerBits, 0));
  const remainder = fpSub(aModQuarterMinusQuarter, a);
  for (const [exponent, multiplier] of EXP_BARREL) {
    if (integerBits > exponent && (remainder & (1 << (fractionalBits + exponent))) !== 0) {
      result = fpMul(result, multiplier);
    }
  }
  if (integerBits > 5) {
    const clamp = -(2 ** (36 - integerBits)) | 0; // −32 in this format
    if (a < clamp) result = 0;
  }
  return a === 0 ? fpOne(0) : result;
}

/** gemmlowp one_over_one_plus_x_for_x_in_0_1: 1/(1+a), Newton-Raphson in 2-integer-bit format. */
export function oneOverOnePlusXForXIn01(a: number): number {
  const halfDenominator = roundingHalfSum(a, fpOne(0));
  const c48Over17 = 1515870810;
  const cNeg32Over17 = -1010580540;
  let x = fpAdd(c48Over17, fpMul(halfDenominator, cNeg32Over17));
  for (let i = 0; i < 3; i++) {
    const halfDenominatorTimesX = fpMul(halfDenominator, x);
    const oneMinus = fpSub(fpOne(2), halfDenominatorTimesX);
    x = fpAdd(x, fpRescale(fpMul(x, oneMinus), 4, 2));
  }
  // ExactMulByPot<-1> turns the 2-bit x into a 1-bit value with the same raw.
  return fpRescale(x, 1, 0);
}

/** gemmlowp logistic: a with `integerBits`, result with 0 integer bits. */
export function fpLogistic(a: number, integerBits: number): number {
  if (a === 0) return 1 << 30; // 0.5
  const absInput = a > 0 ? a : -a | 0;
  const resultIfPositive = oneOverOnePlusXForXIn01(expOnNegativeValues(-absInput | 0, integerBits));
  return a > 0 ? resultIfPositive : fpSub(fpOne(0), resultIfPositive);
}

/** Leading zeros of x read as uint32 (32 for 0), like CountLeadingZeros<uint32_t>. */
export const countLeadingZeros32 = Math.clz32;

/**
 * TFLite GetReciprocal: 1/x for x with `xIntegerDigits` integer bits, as a
 * 0-integer-bit fixed point plus the number of bits x exceeded one by.
 */
export function getReciprocal(x: number, xIntegerDigits: number): { reciprocal: number; numBitsOverUnit: number } {
  const headroomPlusOne = countLeadingZeros32(x);
  const numBitsOverUnit = xIntegerDigits - headroomPlusOne;
  const shiftedSumMinusOne = (((x << headroomPlusOne) >>> 0) - 2147483648) | 0;
  return { reciprocal: oneOverOnePlusXForXIn01(shiftedSumMinusOne), numBitsOverUnit };
}
