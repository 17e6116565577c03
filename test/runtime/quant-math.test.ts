import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  multiplyByQuantizedMultiplier,
  saturatingRoundingDoublingHighMul,
  quantizeMultiplier,
  dequantizeValue,
  roundingDivideByPOT,
  quantizeValue,
  roundHalfAwayFromZero,
  activationRangeInt8,
} from '../../src/ops/index.js';

// An independent 64-bit reference written from the definitions (gemmlowp
// fixedpoint.h, TFLite common.cc), in BigInt so nothing can lose precision.
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

function srdhmRef(a: number, b: number): number {
  if (a === INT32_MIN && b === INT32_MIN) return INT32_MAX;
  const ab = BigInt(a) * BigInt(b);
  const nudge = ab >= 0n ? 1n << 30n : 1n - (1n << 30n);
  return Number((ab + nudge) / (1n << 31n)); // BigInt division truncates, like C
}

/** x / 2^e rounded to nearest, ties away from zero. */
function rdbpRef(x: number, e: number): number {
  if (e === 0) return x;
  const half = 1n << BigInt(e - 1);
  const bx = BigInt(x);
  const q = bx >= 0n ? (bx + half) >> BigInt(e) : -((-bx + half) >> BigInt(e));
  return Number(q);
}

function wrap32(v: bigint): number {
  return Number(BigInt.asIntN(32, v));
}

function mbqmRef(x: number, m: number, shift: number): number {
  const left = Math.max(shift, 0);
  const right = Math.max(-shift, 0);
  return rdbpRef(srdhmRef(wrap32(BigInt(x) << BigInt(left)), m), right);
}

const int32 = fc.oneof(
  fc.integer({ min: INT32_MIN, max: INT32_MAX }),
  fc.constantFrom(INT32_MIN, INT32_MAX, 0, 1, -1, 1 << 30, -(1 << 30), 65535, 65536, -65536, -65537),
  fc.integer({ min: -70000, max: 70000 }),
);

describe('saturatingRoundingDoublingHighMul', () => {
  it('matches a 64-bit BigInt reference over all of int32 x int32', () => {
    fc.assert(
      fc.property(int32, int32, (a, b) => saturatingRoundingDoublingHighMul(a, b) === srdhmRef(a, b)),
      { numRuns: 20000 },
    );
  });

  it('rounds exact halves upward (the nudge is 2^30 for a·b ≥ 0 but 1 − 2^30 below 0)', () => {
    // 2·a·b / 2^32 = ±0.5 exactly when a·b = ±2^30: (2^30 + 2^30)/2^31 = 1, (−2^30 + 1 − 2^30)/2^31 → 0.
    expect(saturatingRoundingDoublingHighMul(1 << 15, 1 << 15)).toBe(1);
    expect(saturatingRoundingDoublingHighMul(-(1 << 15), 1 << 15)).toBe(0);
    // −1.5: (−3·2^30 + 1 − 2^30)/2^31 = −1.99… → −1.
    expect(saturatingRoundingDoublingHighMul(-3 * (1 << 14), 1 << 16)).toBe(-1);
    expect(saturatingRoundingDoublingHighMul(INT32_MIN, INT32_MIN)).toBe(INT32_MAX);
    expect(saturatingRoundingDoublingHighMul(INT32_MAX, INT32_MAX)).toBe(INT32_MAX - 1);
  });
});

describe('roundingDivideByPOT', () => {
  it('matches round-half-away division for every exponent 0..31', () => {
    fc.assert(
      fc.property(int32, fc.integer({ min: 0, max: 31 }), (x, e) => roundingDivideByPOT(x, e) === rdbpRef(x, e)),
      { numRuns: 20000 },
    );
  });

  it('known values', () => {
    expect(roundingDivideByPOT(3, 1)).toBe(2); // 1.5 → 2
    expect(roundingDivideByPOT(-3, 1)).toBe(-2); // −1.5 → −2
    expect(roundingDivideByPOT(5, 2)).toBe(1); // 1.25 → 1
    expect(roundingDivideByPOT(-6, 2)).toBe(-2); // −1.5 → −2
    expect(roundingDivideByPOT(INT32_MIN, 31)).toBe(-1);
  });
});

describe('multiplyByQuantizedMultiplier', () => {
  it('matches the BigInt reference for normalised multipliers and shifts −31..7', () => {
    const multiplier = fc.oneof(fc.integer({ min: 1 << 30, max: INT32_MAX }), fc.constant(0), fc.integer({ min: 1, max: INT32_MAX }));
    fc.assert(
      fc.property(
        int32,
        multiplier,
        fc.integer({ min: -31, max: 7 }),
        (x, m, s) => multiplyByQuantizedMultiplier(x, m, s) === mbqmRef(x, m, s),
      ),
      { numRuns: 30000 },
    );
  });

  it('approximates x·M·2^(shift−31) for realistic conv accumulators', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 24), max: 2 ** 24 }), fc.double({ min: 1e-6, max: 0.99, noNaN: true }), (x, real) => {
        const { multiplier, shift } = quantizeMultiplier(real);
        return Math.abs(multiplyByQuantizedMultiplier(x, multiplier, shift) - x * real) <= 1 + Math.abs(x) * real * 2 ** -29;
      }),
    );
  });
});

describe('quantizeMultiplier', () => {
  it('known values from the definition m = M·2^(shift−31), M in [2^30, 2^31)', () => {
    expect(quantizeMultiplier(0.5)).toEqual({ multiplier: 2 ** 30, shift: 0 });
    expect(quantizeMultiplier(1)).toEqual({ multiplier: 2 ** 30, shift: 1 });
    expect(quantizeMultiplier(0.25)).toEqual({ multiplier: 2 ** 30, shift: -1 });
    expect(quantizeMultiplier(0.75)).toEqual({ multiplier: 3 * 2 ** 29, shift: 0 });
    expect(quantizeMultiplier(3)).toEqual({ multiplier: 3 * 2 ** 29, shift: 2 });
    expect(quantizeMultiplier(0)).toEqual({ multiplier: 0, shift: 0 });
    // 0.1 = 0.8·2^−3; round(0.8·2^31) = 1717986918.4 → 1717986918.
    expect(quantizeMultiplier(0.1)).toEqual({ multiplier: 1717986918, shift: -3 });
  });

  it('edge cases: significand rounding up to 2^31, and flush below 2^−32', () => {
    // 1 − 2^−40 has frexp significand just under 1; ·2^31 rounds to 2^31 → halve, shift+1.
    expect(quantizeMultiplier(1 - 2 ** -40)).toEqual({ multiplier: 2 ** 30, shift: 1 });
    expect(quantizeMultiplier(2 ** -33)).toEqual({ multiplier: 0, shift: 0 }); // shift −32 < −31
    expect(quantizeMultiplier(2 ** -32)).toEqual({ multiplier: 2 ** 30, shift: -31 });
    expect(quantizeMultiplier(-0.5)).toEqual({ multiplier: -(2 ** 30), shift: 0 });
  });

  it('is within half an ulp of the 31-bit significand for any positive m', () => {
    fc.assert(
      fc.property(fc.double({ min: 2 ** -30, max: 2 ** 20, noNaN: true }), (m) => {
        const { multiplier, shift } = quantizeMultiplier(m);
        const ok = multiplier >= 2 ** 30 && multiplier < 2 ** 31;
        return ok && Math.abs(multiplier * 2 ** (shift - 31) - m) <= 2 ** (shift - 32);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('activation ranges and (de)quantisation', () => {
  it('clamps RELU/RELU6/RELU_N1_TO_1 at the quantised bounds', () => {
    expect(activationRangeInt8('NONE', 0.1, 3)).toEqual({ min: -128, max: 127 });
    expect(activationRangeInt8('RELU', 0.1, -5)).toEqual({ min: -5, max: 127 });
    expect(activationRangeInt8('RELU', 0.1, -200)).toEqual({ min: -128, max: 127 });
    // 6 / 0.05 = 120 → −128 + 120 = −8.
    expect(activationRangeInt8('RELU6', 0.05, -128)).toEqual({ min: -128, max: -8 });
    // 6 / 0.01 = 600 → past 127.
    expect(activationRangeInt8('RELU6', 0.01, 0)).toEqual({ min: 0, max: 127 });
    // ±1 / (1/64) = ±64 around zp 10.
    expect(activationRangeInt8('RELU_N1_TO_1', 1 / 64, 10)).toEqual({ min: -54, max: 74 });
  });

  it('rounds half away from zero and clamps to int8', () => {
    expect(roundHalfAwayFromZero(2.5)).toBe(3);
    expect(roundHalfAwayFromZero(-2.5)).toBe(-3);
    expect(roundHalfAwayFromZero(-0.4)).toBe(-0);
    expect(quantizeValue(0.25, 0.1, 0)).toBe(3); // 2.5 → 3 (0.25/0.1 in float32 is exactly 2.5)
    expect(quantizeValue(-0.25, 0.1, 0)).toBe(-3);
    expect(quantizeValue(100, 0.1, 0)).toBe(127);
    expect(quantizeValue(-100, 0.1, 5)).toBe(-128);
    expect(dequantizeValue(-128, 0.5, -128)).toBe(0);
    expect(dequantizeValue(127, 0.5, -1)).toBe(64);
  });
});
