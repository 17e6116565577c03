import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../src/ir/builder.js';
import type { DType, QuantParams } from '../../src/ir/graph.js';
import { runGraph } from '../../src/runtime/index.js';
import { opVersion } from '../../src/compiler/index.js';
import { perTensor, singleOp, toNumbers } from './helpers.js';

/**
 * LEAKY_RELU's int8 kernel on values worked out by hand from TFLM's
 * leaky_relu_common.cc and reference/leaky_relu.h (the numpy and real-TFLite
 * comparisons are in ops.test.ts and vs-tflite.test.ts).
 *
 * The scales are chosen so every real multiplier is exact in float32 and a power
 * of two times 1 or 1.5, so the hand arithmetic is exact. 0.1f / 0.05f is exactly
 * 2 (same significand). gemmlowp's SaturatingRoundingDoublingHighMul computes
 * (a·b + nudge) / 2^31 truncated, with nudge 2^30 for a·b ≥ 0 and 1 − 2^30 below:
 * positive halves round up, negative halves round toward zero (−2.5 → −2).
 */
function run(inQ: QuantParams, outQ: QuantParams, alpha: number, values: number[]): number[] {
  const b = new GraphBuilder('leaky');
  const x = b.addTensor('x', [1, values.length], 'int8', undefined, inQ);
  const g = singleOp(b, 'LEAKY_RELU', [x], [1, values.length], outQ, { alpha: Math.fround(alpha) });
  return toNumbers(runGraph(g, [Int8Array.from(values)]).outputs[0]!);
}

describe('int8 LEAKY_RELU: identity multiplier for x − in_zp ≥ 0, alpha multiplier below', () => {
  it('in 0.1/0 → out 0.05/0, alpha 0.25: ×2 above zero (saturating at 127), ×0.5 below with negative halves toward zero', () => {
    // identity 2 = 2^30·2^(2−31): x·4 then the high mul, exact. alpha 0.1·0.25/0.05 = 0.5 = 2^30·2^−31:
    // −128 → −64, −5 → −2.5 → −2, −4 → −2, −3 → −1.5 → −1, −1 → −0.5 → 0.
    expect(run(perTensor(0.1, 0), perTensor(0.05, 0), 0.25, [-128, -5, -4, -3, -1, 0, 1, 63, 64])).toEqual([
      -64, -2, -2, -1, 0, 0, 2, 126, 127,
    ]);
  });

  it('subtracts the input zero point before choosing the branch and adds the output zero point after', () => {
    // in zp 20, out zp −10: x = 20 → 0 → −10; 21 → 2 → −8; 17 → −3·0.5 → −1 → −11; 10 → −5 → −15;
    // −128 → −148·0.5 = −74 → −84; 127 → 107·2 = 214 → 204 → 127.
    expect(run(perTensor(0.1, 20), perTensor(0.05, -10), 0.25, [20, 21, 17, 10, -128, 127])).toEqual([-10, -8, -11, -15, -84, 127]);
  });

  it('alpha 1.5 stretches the negative side (×1.5, clamping at −128); alpha 0 maps it to the output zero point', () => {
    // 0.1f·1.5f rounds to 0.15000000596f, and that / 0.1f rounds back to exactly 1.5 in float32.
    // −1 → −1.5 → −1, −2 → −3, −3 → −4.5 → −4, −85 → −127.5 → −127, −86 → −129 → −128.
    expect(run(perTensor(0.1, 0), perTensor(0.1, 0), 1.5, [-1, -2, -3, -85, -86, 0, 5, 127])).toEqual([-1, -3, -4, -127, -128, 0, 5, 127]);
    expect(run(perTensor(0.1, 0), perTensor(0.1, 7), 0, [-128, -1, 0, 1])).toEqual([7, 7, 7, 8]);
  });
});

describe('float LEAKY_RELU', () => {
  it('is x above zero and x·alpha (alpha in float32) otherwise, for alpha below, above 1 and negative', () => {
    const x = [-4, -0.5, 0, 0.25, 3];
    for (const alpha of [0.3, 1.5, -0.5]) {
      const b = new GraphBuilder('f');
      const t = b.addTensor('x', [1, 5], 'float32');
      const g = singleOp(b, 'LEAKY_RELU', [t], [1, 5], undefined, { alpha: Math.fround(alpha) }, 'float32');
      const want = x.map((v) => (v > 0 ? v : Math.fround(v * Math.fround(alpha))));
      expect(toNumbers(runGraph(g, [Float32Array.from(x)]).outputs[0]!).map((v) => v + 0)).toEqual(want.map((v) => v + 0));
    }
  });
});

describe('LEAKY_RELU op version (tensorflow/lite/tools/versioning/op_version.cc)', () => {
  it.each([
    ['float32', 1],
    ['int8', 1],
    ['int16', 2],
  ] as [DType, number][])('%s input: version %i', (dtype, version) => {
    const b = new GraphBuilder('v');
    const q = dtype === 'float32' ? undefined : perTensor(0.1, 0);
    const x = b.addTensor('x', [1, 4], dtype, undefined, q);
    const y = b.addTensor('y', [1, 4], dtype, undefined, q);
    b.addOp('LEAKY_RELU', 'leaky', [x], [y], { alpha: Math.fround(0.2) });
    const g = b.build();
    expect(opVersion(g.ops[0]!, g)).toBe(version);
  });
});
