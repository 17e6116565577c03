import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TinyPdmError } from '../../src/util/errors.js';
import type { Graph, Op, OpOf } from '../../src/ir/graph.js';
import { GraphBuilder } from '../../src/ir/builder.js';
import { loadModel } from '../../src/compiler/1-load/index.js';
import { pruneChannels } from '../../src/compiler/2-optimize/index.js';
import { toLayersModel } from '../../src/compiler/2-optimize/finetune.js';
import { calibrate, quantizeInt8 } from '../../src/compiler/index.js';
import { runGraph } from '../../src/runtime/index.js';
import { initBackend } from '../../src/learn/backend.js';
import { writeHandModel, type HandWeight } from '../fixtures/hand-written.js';

/**
 * Keras' LeakyReLU (and ReLU with a negative_slope alone) → LEAKY_RELU, and
 * what the later stages do with it: its own calibrated int8 params, structured
 * pruning through it, fine-tuning's TF.js layer. Expected values are worked out
 * here from the weights and the definition max(x, 0) + alpha·min(x, 0).
 * The trained TF.js fixture through emit and verify is in test/pipeline/emit-verify.test.ts.
 */

let tmp: string;
let n = 0;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'tinypdm-leaky-'));
});
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

const layer = (name: string, className: string, config: object, inbound: string[]) => ({
  name,
  class_name: className,
  config: { name, ...config },
  inbound_nodes: inbound.length ? [inbound.map((i) => [i, 0, 0, {}])] : [],
});
const functional = (layers: object[], output: string) => ({
  class_name: 'Model',
  config: {
    name: 'm',
    layers: [layer('x', 'InputLayer', { batch_input_shape: [null, 4, 4, 1] }, []), ...layers],
    input_layers: [['x', 0, 0]],
    output_layers: [[output, 0, 0]],
  },
});
const conv = { filters: 2, kernel_size: [1, 1], padding: 'same', activation: 'linear', use_bias: true };
/** c: channel 0 = x, channel 1 = 0.5 − x. */
const convWeights: HandWeight[] = [
  { name: 'c/kernel', shape: [1, 1, 1, 2], data: [1, -1] },
  { name: 'c/bias', shape: [2], data: [0, 0.5] },
];
const load = async (topology: object, weights: HandWeight[] = convWeights) =>
  (await loadModel(await writeHandModel(path.join(tmp, `m${n++}`), topology, weights))).graph;
const leaky = (v: number, alpha: number) => (v > 0 ? v : Math.fround(v * Math.fround(alpha)));
/** 16 inputs −2, −1.5, …, 5.5. */
const X = Float32Array.from({ length: 16 }, (_, i) => -2 + 0.5 * i);
const sig = (op: Op) => op.kind + ('activation' in op.options && op.options.activation !== 'NONE' ? `+${op.options.activation}` : '');
const alphaOf = (op: Op) => (op as OpOf<'LEAKY_RELU'>).options.alpha;

describe('Keras lowering', () => {
  it.each([
    ['tf.keras 2 / TF.js: alpha', { alpha: 0.1 }, 0.1],
    ['Keras 3: negative_slope', { negative_slope: 0.2 }, 0.2],
    ['no slope given: the Keras default 0.3', {}, 0.3],
  ])('LeakyReLU with %s becomes LEAKY_RELU after the conv, never fused into it', async (_what, config, alpha) => {
    const g = await load(functional([layer('c', 'Conv2D', conv, ['x']), layer('lr', 'LeakyReLU', config, ['c'])], 'lr'));
    expect(g.ops.map(sig)).toEqual(['CONV_2D', 'LEAKY_RELU']);
    expect(g.ops[1]!.name).toBe('lr');
    expect(g.tensors[g.outputs[0]!]!.name).toBe('lr');
    // Stored as the float32 the flatbuffer and TFLite's kernel hold.
    expect(alphaOf(g.ops[1]!)).toBe(Math.fround(alpha));
    const out = Array.from(runGraph(g, [X]).outputs[0] as Float32Array);
    const want = Array.from(X).flatMap((x) => [leaky(x, alpha), leaky(Math.fround(0.5 - x), alpha)]);
    expect(out).toEqual(want);
  });

  it('ReLU(negative_slope=a) alone is a leaky ReLU; with max_value or threshold it is refused, naming the layer', async () => {
    const g = await load(functional([layer('r', 'ReLU', { negative_slope: 0.05 }, ['x'])], 'r'), []);
    expect(g.ops.map(sig)).toEqual(['LEAKY_RELU']);
    expect(alphaOf(g.ops[0]!)).toBe(Math.fround(0.05));
    const capped = load(functional([layer('r6', 'ReLU', { negative_slope: 0.05, max_value: 6 }, ['x'])], 'r6'), []);
    await expect(capped).rejects.toBeInstanceOf(TinyPdmError);
    await expect(capped).rejects.toMatchObject({
      code: 'UNSUPPORTED_LAYER',
      message: expect.stringMatching(/'r6' \(ReLU\).*negative_slope=0\.05.*LEAKY_RELU/),
    });
  });
});

describe('int8 quantisation', () => {
  it("LEAKY_RELU's output gets params from its own calibrated range, not its input's", async () => {
    const g = await load(functional([layer('lr', 'LeakyReLU', { alpha: 0.1 }, ['x'])], 'lr'), []);
    // Calibration spans exactly [−4, 4]: the output spans [0.1f·−4, 4].
    const calib = Float32Array.from({ length: 32 }, (_, i) => (i === 0 ? -4 : i === 1 ? 4 : -3 + (i % 7)));
    const q = quantizeInt8(g, { ranges: calibrate(g, calib, 'calib'), io: 'int8' });
    const op = q.ops.find((o) => o.kind === 'LEAKY_RELU')!;
    const inQ = q.tensors[op.inputs[0]!]!.quant!;
    const outQ = q.tensors[op.outputs[0]!]!.quant!;
    // TFLite's min/max recipe: scale = (max − min)/255, zero point = round(−128 − min/scale).
    const min = Math.fround(-4 * Math.fround(0.1));
    const scale = (4 - min) / 255;
    expect(outQ.scale[0]).toBeCloseTo(scale, 8);
    expect(outQ.zeroPoint[0]).toBe(Math.round(-128 - min / scale));
    expect(inQ.scale[0]).toBeCloseTo(8 / 255, 8);
  });
});

/** input [1,4,4,1] → conv1 (4 filters, no activation) → LEAKY_RELU 0.2 → conv2 (1 filter, the output). */
function convLeakyConv(): Graph {
  const b = new GraphBuilder('conv_leaky');
  const opts = { padding: 'SAME' as const, strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, activation: 'NONE' as const };
  const x = b.addTensor('x', [1, 4, 4, 1], 'float32');
  // Filters 1 and 3 are small, so L1 ranks them lowest.
  const w1 = b.addConst('conv1/w', [4, 1, 1, 1], Float32Array.from([1, 0.01, -0.8, 0.02]), 'float32');
  const b1 = b.addConst('conv1/b', [4], Float32Array.from([0.1, 0.3, -0.2, 0.4]), 'float32');
  const a1 = b.addTensor('conv1', [1, 4, 4, 4], 'float32');
  b.addOp('CONV_2D', 'conv1', [x, w1, b1], [a1], opts);
  const l = b.addTensor('leaky', [1, 4, 4, 4], 'float32');
  b.addOp('LEAKY_RELU', 'leaky', [a1], [l], { alpha: Math.fround(0.2) });
  const w2 = b.addConst('conv2/w', [1, 1, 1, 4], Float32Array.from([0.5, -1, 2, 0.25]), 'float32');
  const y = b.addTensor('y', [1, 4, 4, 1], 'float32');
  b.addOp('CONV_2D', 'conv2', [l, w2, -1], [y], opts);
  b.inputs = [x];
  b.outputs = [y];
  return b.build();
}

describe('structured pruning', () => {
  it("removes conv1's weakest filters through LEAKY_RELU: conv2 loses the matching input channels", () => {
    const g = convLeakyConv();
    const p = pruneChannels(g, { fraction: 0.5, norm: 'l1' });
    const shape = (gr: Graph, name: string) => gr.tensors.find((t) => t.name === name)!.shape;
    expect(['conv1/w', 'conv1', 'leaky', 'conv2/w'].map((name) => shape(p, name))).toEqual([
      [2, 1, 1, 1],
      [1, 4, 4, 2],
      [1, 4, 4, 2],
      [1, 1, 1, 2],
    ]);
    expect(Array.from(p.tensors.find((t) => t.name === 'conv2/w')!.data as Float32Array)).toEqual([0.5, 2]);
    // What is left computes 0.5·leaky(x + 0.1) + 2·leaky(−0.8x − 0.2).
    for (const v of [-2, -0.3, 0, 0.7, 3]) {
      const x = new Float32Array(16).fill(v);
      const want = 0.5 * leaky(Math.fround(v + 0.1), 0.2) + 2 * leaky(Math.fround(-0.8 * v - 0.2), 0.2);
      for (const y of runGraph(p, [x]).outputs[0] as Float32Array) expect(y).toBeCloseTo(want, 5);
    }
  });
});

describe('fine-tuning', () => {
  it('rebuilds LEAKY_RELU as a TF.js leakyReLU with its alpha: the model computes what the interpreter does', async () => {
    await initBackend();
    const g = convLeakyConv();
    const { model } = toLayersModel(g);
    try {
      const x = Float32Array.from({ length: 16 }, (_, i) => -2 + 0.3 * i);
      const ours = runGraph(g, [x]).outputs[0] as Float32Array;
      const theirs = tf.tidy(() => (model.predict(tf.tensor4d(x, [1, 4, 4, 1])) as tf.Tensor).dataSync());
      ours.forEach((v, i) => expect(theirs[i]!).toBeCloseTo(v, 5));
      // Not vacuous: some conv1 outputs are negative, where alpha matters.
      const conv1 = runGraph(g, [x], { captureAll: true }).tensors!.get(g.ops[0]!.outputs[0]!) as Float32Array;
      expect(conv1.some((v) => v < -0.5)).toBe(true);
    } finally {
      model.dispose();
    }
  });
});
