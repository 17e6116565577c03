import { describe, expect, it } from 'vitest';
import { TinyPdmError } from '../../src/util/errors.js';
import { GraphBuilder } from '../../src/ir/builder.js';
import type { Graph } from '../../src/ir/graph.js';
import { runGraph } from '../../src/runtime/index.js';
import { perTensor, randomBias, randomInt8, randomWeights, rng } from './helpers.js';

/** The paper's autoencoder, int8, on a 64x48x1 input (the paper's layer stack), with seeded random weights. */
function paperModel(): Graph {
  const r = rng(7);
  const b = new GraphBuilder('paper_ae');
  const act = () => perTensor(Math.fround(0.02 + r() * 0.02), -128);
  let x = b.addTensor('input', [1, 64, 48, 1], 'int8', undefined, perTensor(1 / 255, -128));
  b.inputs = [x];
  let [h, w, c] = [64, 48, 1];
  const conv = (cout: number) => {
    const inQ = b.tensor(x).quant!;
    const wt = randomWeights(r, [cout, 3, 3, c], 0);
    const wid = b.addConst(`w${b.ops.length}`, [cout, 3, 3, c], wt.data, 'int8', wt.quant);
    const bb = randomBias(r, inQ.scale[0]!, wt.quant.scale, cout);
    const bid = b.addConst(`b${b.ops.length}`, [cout], bb.data, 'int32', bb.quant);
    const out = b.addTensor(`conv${b.ops.length}`, [1, h, w, cout], 'int8', undefined, act());
    b.addOp('CONV_2D', `conv${b.ops.length}`, [x, wid, bid], [out], {
      padding: 'SAME',
      strideH: 1,
      strideW: 1,
      dilationH: 1,
      dilationW: 1,
      activation: 'RELU',
    });
    [x, c] = [out, cout];
  };
  const pool = () => {
    [h, w] = [h / 2, w / 2];
    const out = b.addTensor(`pool${b.ops.length}`, [1, h, w, c], 'int8', undefined, b.tensor(x).quant);
    b.addOp('MAX_POOL_2D', `pool${b.ops.length}`, [x], [out], {
      padding: 'VALID',
      strideH: 2,
      strideW: 2,
      filterH: 2,
      filterW: 2,
      activation: 'NONE',
    });
    x = out;
  };
  const up = () => {
    [h, w] = [h * 2, w * 2];
    const size = b.addConst(`size${b.ops.length}`, [2], Int32Array.from([h, w]), 'int32');
    const out = b.addTensor(`up${b.ops.length}`, [1, h, w, c], 'int8', undefined, b.tensor(x).quant);
    b.addOp('RESIZE_NEAREST_NEIGHBOR', `up${b.ops.length}`, [x, size], [out], { alignCorners: false, halfPixelCenters: true });
    x = out;
  };
  conv(32);
  pool();
  conv(64);
  pool();
  conv(32);
  up();
  conv(16);
  up();
  conv(1);
  b.outputs = [x];
  return b.build();
}

function tinyGraph(): Graph {
  const b = new GraphBuilder('tiny');
  const x = b.addTensor('x', [1, 4], 'float32');
  const y = b.addTensor('y', [1, 4], 'float32');
  const z = b.addTensor('z', [1, 4], 'float32');
  b.addOp('LOGISTIC', 'sig', [x], [y], {});
  b.addOp('ADD', 'add', [y, x], [z], { activation: 'RELU' });
  b.inputs = [x];
  b.outputs = [z];
  return b.build();
}

describe('runGraph', () => {
  it('runs the paper autoencoder in int8, deterministically', () => {
    const g = paperModel();
    const input = randomInt8(rng(3), 64 * 48);
    const a = runGraph(g, [input]).outputs[0]!;
    const b = runGraph(g, [input]).outputs[0]!;
    expect(a).toBeInstanceOf(Int8Array);
    expect(a.length).toBe(64 * 48);
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    expect(new Set(a as Int8Array).size).toBeGreaterThan(1);
  });

  it('captureAll returns every activation tensor, and values chain through ops', () => {
    const g = tinyGraph();
    const input = Float32Array.from([-2, 0, 1, 3]);
    const { outputs, tensors } = runGraph(g, [input], { captureAll: true });
    expect([...tensors!.keys()].sort()).toEqual([0, 1, 2]);
    const sig = tensors!.get(1)!;
    for (let i = 0; i < 4; i++) {
      expect(sig[i]).toBeCloseTo(1 / (1 + Math.exp(-input[i]!)), 6);
      expect(outputs[0]![i]).toBeCloseTo(Math.max(0, Number(sig[i]) + input[i]!), 6);
    }
    expect(runGraph(g, [input]).tensors).toBeUndefined();
  });

  it('names the input on count, dtype and size errors', () => {
    const g = tinyGraph();
    expect(() => runGraph(g, [])).toThrow(/expected 1 input\(s\) \('x'\), got 0/);
    expect(() => runGraph(g, [new Int8Array(4)])).toThrow(/input 'x' must be float32, got int8/);
    expect(() => runGraph(g, [new Float32Array(5)])).toThrow(/input 'x' has shape \[1, 4\] \(4 values\), got 5 values/);
    try {
      runGraph(g, [new Float32Array(5)]);
    } catch (e) {
      expect(e).toBeInstanceOf(TinyPdmError);
      expect((e as TinyPdmError).code).toBe('SHAPE_MISMATCH');
    }
  });

  it('throws UNSUPPORTED_OP for an op without a kernel, listing the supported ones', () => {
    const g = tinyGraph();
    g.ops[0] = { ...g.ops[0]!, kind: 'TANH' as never };
    try {
      runGraph(g, [new Float32Array(4)]);
      expect.unreachable();
    } catch (e) {
      expect((e as TinyPdmError).code).toBe('UNSUPPORTED_OP');
      expect((e as Error).message).toMatch(/op 'sig' is TANH.*supported: CONV_2D, DEPTHWISE_CONV_2D/);
    }
  });

  it('refuses an int8 tensor without quantisation params', () => {
    const b = new GraphBuilder('noq');
    const x = b.addTensor('x', [1, 2, 2, 1], 'int8', undefined, perTensor(0.1, 0));
    const y = b.addTensor('y', [1, 1, 1, 1], 'int8');
    b.addOp('MAX_POOL_2D', 'pool', [x], [y], { padding: 'VALID', strideH: 2, strideW: 2, filterH: 2, filterW: 2, activation: 'NONE' });
    b.inputs = [x];
    b.outputs = [y];
    expect(() => runGraph(b.build(), [new Int8Array(4)])).toThrow(/tensor 'y' is int8 but has no quantisation params/);
  });

  it('rejects a declared output shape that disagrees with the op', () => {
    const b = new GraphBuilder('bad');
    const x = b.addTensor('x', [1, 4, 4, 1], 'float32');
    const y = b.addTensor('y', [1, 3, 3, 1], 'float32');
    b.addOp('MAX_POOL_2D', 'pool', [x], [y], { padding: 'VALID', strideH: 2, strideW: 2, filterH: 2, filterW: 2, activation: 'NONE' });
    b.inputs = [x];
    b.outputs = [y];
    expect(() => runGraph(b.build(), [new Float32Array(16)])).toThrow(/'y' is declared \[1, 3, 3, 1\] but the op needs \[1, 2, 2, 1\]/);
  });
});
