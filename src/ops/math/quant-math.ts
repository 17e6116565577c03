import type { Activation } from '../../ir/index.js';

/**
 * The integer arithmetic TFLM's reference kernels run (tensorflow/lite/kernels/internal/common.h and reference/integer_ops/ in tensorflow/tflite-micro),
 * reproduced bit-exactly in JS numbers.
 *
 * Sources (read for the facts, not copied): tensorflow/lite/kernels/internal/
 * quantization_util.cc (QuantizeMultiplier), common.{h,cc}
 * (MultiplyByQuantizedMultiplier, double-rounding variant: TFLITE_SINGLE_ROUNDING
 * is not enabled in TFLM nor in the Arduino library), and gemmlowp's
 * fixedpoint.h (SaturatingRoundingDoublingHighMul, RoundingDivideByPOT).
 *
 * These run in the conv inner loops, so they avoid BigInt and allocation: a
 * 32x32-bit product is split so every intermediate stays below 2^53.
 */

const TWO_15 = 32768;
const TWO_16 = 65536;
const TWO_30 = 1073741824;
const TWO_31 = 2147483648;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** Round half away from zero, like C's round()/TfLiteRound. */
export function roundHalfAwayFromZero(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/**
 * TFLM's QuantizeMultiplier: m ≈ multiplier · 2^(shift − 31) with multiplier
 * in [2^30, 2^31) (negative m gives a negative multiplier). Edge cases follow
 * the C: m = 0 gives (0, 0); a rounded significand of 2^31 is halved with the
 * shift bumped; a shift below −31 flushes to (0, 0).
 */
export function quantizeMultiplier(m: number): { multiplier: number; shift: number } {
  if (m === 0 || !Number.isFinite(m)) return { multiplier: 0, shift: 0 };
  const { fraction, exponent: e0 } = frexp(m);
  let exponent = e0;
  let qFixed = roundHalfAwayFromZero(fraction * TWO_31);
  if (qFixed === TWO_31) {
    qFixed /= 2;
    exponent += 1;
  }
  if (exponent < -31) return { multiplier: 0, shift: 0 };
  return { multiplier: qFixed, shift: exponent };
}

/** std::frexp: x = fraction · 2^exponent with |fraction| in [0.5, 1). */
export function frexp(x: number): { fraction: number; exponent: number } {
  if (x === 0 || !Number.isFinite(x)) return { fraction: x, exponent: 0 };
  let exponent = Math.max(-1073, Math.floor(Math.log2(Math.abs(x))) + 1);
  // Two steps so 2^-exponent never overflows for subnormal x.
  const half = Math.trunc(exponent / 2);
  let fraction = x * 2 ** -half * 2 ** -(exponent - half);
  // log2 can be off by one near powers of two (and for subnormals); fix up exactly.
  while (Math.abs(fraction) < 0.5) {
    fraction *= 2;
    exponent -= 1;
  }
  while (Math.abs(fraction) >= 1) {
    fraction /= 2;
    exponent += 1;
  }
  return { fraction, exponent };
}

/**
 * gemmlowp SaturatingRoundingDoublingHighMul for int32: the high 32 bits of
 * 2·a·b, rounded half away from zero, saturating the one overflow case
 * (INT32_MIN · INT32_MIN). C computes (a·b + nudge) / 2^31 in int64 with
 * truncating division; a·b reaches 2^62, so split b into 16-bit halves.
 */
export function saturatingRoundingDoublingHighMul(a: number, b: number): number {
  if (a === INT32_MIN && b === INT32_MIN) return INT32_MAX;
  const bHi = b >> 16; // signed high half
  const bLo = b & 0xffff; // unsigned low half: b = bHi·2^16 + bLo
  const p1 = a * bHi; // |p1| < 2^46, exact
  const negative = p1 * TWO_16 + a * bLo < 0; // sign of a·b; the double estimate never crosses 0 wrongly
  const nudge = negative ? 1 - TWO_30 : TWO_30;
  // a·b + nudge = q1·2^31 + t, with t = r1·2^16 + a·bLo + nudge exact (< 2^49).
  const q1 = Math.floor(p1 / TWO_15);
  const r1 = p1 - q1 * TWO_15;
  const t = r1 * TWO_16 + a * bLo + nudge;
  const f = Math.floor(t / TWO_31);
  const floorQuotient = q1 + f;
  const rem = t - f * TWO_31;
  // C's int64 division truncates toward zero.
  return floorQuotient < 0 && rem !== 0 ? floorQuotient + 1 : floorQuotient;
}

/** gemmlowp RoundingDivideByPOT: x / 2^exponent rounded half away from zero, exponent in [0, 31]. */
export function roundingDivideByPOT(x: number, exponent: number): number {
  if (exponent === 0) return x;
  const mask = exponent >= 31 ? INT32_MAX : (1 << exponent) - 1;
  const remainder = x & mask;
  const threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/**
 * TFLM MultiplyByQuantizedMultiplier(int32 x, M, shift), double rounding.
 * The left shift is an int32 multiply in C, so it wraps like Math.imul.
 */
export function multiplyByQuantizedMultiplier(x: number, multiplier: number, shift: number): number {
  const leftShift = shift > 0 ? shift : 0;
  const rightShift = shift > 0 ? 0 : -shift;
  const shifted = leftShift > 0 ? Math.imul(x, 1 << leftShift) : x | 0;
  return roundingDivideByPOT(saturatingRoundingDoublingHighMul(shifted, multiplier), rightShift);
}

/**
 * TFLite's CalculateActivationRangeQuantized for int8: the fused activation's
 * bounds quantised with the output params (f/scale in float32, rounded half
 * away from zero), intersected with [-128, 127].
 */
export function activationRangeInt8(act: Activation, scale: number, zeroPoint: number): { min: number; max: number } {
  const q = (f: number) => zeroPoint + roundHalfAwayFromZero(Math.fround(Math.fround(f) / Math.fround(scale)));
  switch (act) {
    case 'NONE':
      return { min: -128, max: 127 };
    case 'RELU':
      return { min: Math.max(-128, q(0)), max: 127 };
    case 'RELU6':
      return { min: Math.max(-128, q(0)), max: Math.min(127, q(6)) };
    case 'RELU_N1_TO_1':
      return { min: Math.max(-128, q(-1)), max: Math.min(127, q(1)) };
  }
}

/** Float activation bounds (CalculateActivationRange). */
export function activationRangeFloat(act: Activation): { min: number; max: number } {
  switch (act) {
    case 'NONE':
      return { min: -Infinity, max: Infinity };
    case 'RELU':
      return { min: 0, max: Infinity };
    case 'RELU6':
      return { min: 0, max: 6 };
    case 'RELU_N1_TO_1':
      return { min: -1, max: 1 };
  }
}

/**
 * TFLite AffineQuantize of one value: round(x / scale) in float32, plus the
 * zero point, clamped to [qmin, qmax].
 */
export function quantizeValue(x: number, scale: number, zeroPoint: number, qmin = -128, qmax = 127): number {
  const q = roundHalfAwayFromZero(Math.fround(Math.fround(x) / Math.fround(scale))) + zeroPoint;
  // NaN has no integer value; TFLM's cast is undefined there, we pick the zero point.
  if (Number.isNaN(q)) return Math.min(qmax, Math.max(qmin, zeroPoint));
  return q < qmin ? qmin : q > qmax ? qmax : q;
}

/** TFLite Dequantize of one value: float32(double(scale) · (q − zp)). */
export function dequantizeValue(q: number, scale: number, zeroPoint: number): number {
  return Math.fround(Math.fround(scale) * (q - zeroPoint));
}

/** Clamps an integer to the int8 range. */
export function clampInt8(x: number): number {
  return x < -128 ? -128 : x > 127 ? 127 : x;
}
