import { describe, expect, it } from 'vitest';
import { TinyPdmError } from '../../src/util/errors.js';
import { GraphBuilder } from '../../src/ir/builder.js';
import type { QuantParams } from '../../src/ir/graph.js';
import { runGraph } from '../../src/runtime/index.js';
import { perTensor, singleOp, toNumbers } from './helpers.js';

/**
 * Standalone RELU / RELU6 int8 kernels on values worked out by hand from
 * TFLM's activations_common.cc (the numpy and real-TFLite comparisons are in
 * ops.test.ts and vs-tflite.test.ts).
 */
function run(kind: 'RELU' | 'RELU6', inQ: QuantParams, outQ: QuantParams, values: number[]): number[] {
  const b = new GraphBuilder(kind.toLowerCase());
  const x = b.addTensor('x', [1, values.length], 'int8', undefined, inQ);
  const g = singleOp(b, kind, [x], [1, values.length], outQ, {});
  return toNumbers(runGraph(g, [Int8Array.from(values)]).outputs[0]!);
}

describe('int8 RELU requantises from the input params to the output params', () => {
  it('in 0.1/0 → out 0.05/−128: out = −128 + 2x, below zero clamps to the output zero point, saturates at 127', () => {
    // 0.1f / 0.05f is exactly 2 in float32, so every product is exact.
    expect(run('RELU', perTensor(0.1, 0), perTensor(0.05, -128), [-5, -1, 0, 1, 10, 63, 64, 127])).toEqual([
      -128, -128, -128, -126, -108, -2, 0, 126,
    ]);
  });

  it('multiplier 0.5 rounds half away from zero (MultiplyByQuantizedMultiplier)', () => {
    // 1·0.5 → 1, 2·0.5 → 1, 3·0.5 → 2, 5·0.5 → 3; negatives clamp to max(−128, zp + round(0/s)) = 0.
    expect(run('RELU', perTensor(0.05, 0), perTensor(0.1, 0), [1, 2, 3, 5, -1, -7, 127])).toEqual([1, 1, 2, 3, 0, 0, 64]);
  });

  it('subtracts the input zero point before scaling', () => {
    // in zp 20: x − 20 = −20, 0, 1, 100 → scaled by 1 onto out zp −5, lower clamp −5.
    expect(run('RELU', perTensor(0.1, 20), perTensor(0.1, -5), [0, 20, 21, 120])).toEqual([-5, -5, -4, 95]);
  });
});

describe('int8 RELU6 clamps to [zp, round(6/s) + zp] of its input without requantising', () => {
  it('scale 0.1, zp −28: bounds −28 and 32', () => {
    const q = perTensor(0.1, -28);
    expect(run('RELU6', q, q, [-128, -29, -28, 0, 31, 32, 33, 127])).toEqual([-28, -28, -28, 0, 31, 32, 32, 32]);
  });

  it('six beyond int8 saturates at 127 (scale 0.02, zp 10: 300 + 10)', () => {
    const q = perTensor(0.02, 10);
    expect(run('RELU6', q, q, [-128, 9, 10, 126, 127])).toEqual([10, 10, 10, 126, 127]);
  });

  it('refuses output params that differ from the input (TFLM would ignore them, full TFLite would not)', () => {
    try {
      run('RELU6', perTensor(0.1, -28), perTensor(0.05, -128), [0]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TinyPdmError);
      expect((e as TinyPdmError).code).toBe('QUANTIZATION');
      expect((e as Error).message).toMatch(/op 'relu6_0' \(RELU6\): input 'x' .* output 'out' .* must share quantisation params/);
    }
  });
});

describe('float RELU / RELU6', () => {
  it('clamp below at 0 and, for RELU6, above at 6', () => {
    const b = new GraphBuilder('f');
    const x = b.addTensor('x', [1, 5], 'float32');
    const y = b.addTensor('y', [1, 5], 'float32');
    const z = b.addTensor('z', [1, 5], 'float32');
    b.addOp('RELU', 'r', [x], [y], {});
    b.addOp('RELU6', 'r6', [x], [z], {});
    b.inputs = [x];
    b.outputs = [y, z];
    const [ry, rz] = runGraph(b.build(), [Float32Array.from([-3, -0.5, 0.25, 5.5, 9])]).outputs;
    expect(toNumbers(ry!)).toEqual([0, 0, 0.25, 5.5, 9]);
    expect(toNumbers(rz!)).toEqual([0, 0, 0.25, 5.5, 6]);
  });
});
