import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Graph, Op } from '../../src/ir/graph.js';
import { loadModel } from '../../src/compiler/1-load/index.js';
import { runGraph } from '../../src/runtime/index.js';
import { createTfliteRunner } from '../../src/tflite/index.js';
import { isolateOp } from '../../src/verify/isolate-op.js';
import { writeHandModel, type HandWeight } from '../fixtures/hand-written.js';
import { rng } from '../runtime/helpers.js';
import { calibrate, writeTflite, opVersion, quantizeInt8 } from '../../src/compiler/index.js';
import { quantizeValue } from '../../src/ops/index.js';

/**
 * Where a Keras ReLU cannot be fused it becomes a RELU / RELU6 op; where it
 * can, it still fuses. A Conv2DTranspose's activation is always a separate op
 * (TRANSPOSE_CONV with a fused activation is version 4, which TFLM in the
 * Arduino library and tfjs-tflite's runtime refuse). Expected values are
 * worked out by hand from the weights below.
 */

let tmp: string;
let n = 0;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'tinypdm-relu-'));
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
const functional = (layers: object[], output: string, hw = 4) => ({
  class_name: 'Model',
  config: {
    name: 'm',
    layers: [layer('x', 'InputLayer', { batch_input_shape: [null, hw, hw, 1] }, []), ...layers],
    input_layers: [['x', 0, 0]],
    output_layers: [[output, 0, 0]],
  },
});
const conv = (filters: number, activation = 'linear') => ({ filters, kernel_size: [1, 1], padding: 'same', activation, use_bias: true });
const tconv = (filters: number, activation = 'linear') => ({
  filters,
  kernel_size: [1, 1],
  strides: [1, 1],
  padding: 'same',
  activation,
  use_bias: true,
});
const load = async (topology: object, weights: HandWeight[]) =>
  (await loadModel(await writeHandModel(path.join(tmp, `m${n++}`), topology, weights))).graph;

const sig = (op: Op) => op.kind + ('activation' in op.options && op.options.activation !== 'NONE' ? `+${op.options.activation}` : '');
/** 16 inputs −2, −1.5, …, 5.5: both signs, and above 6 once scaled by 3. */
const X = Float32Array.from({ length: 16 }, (_, i) => -2 + 0.5 * i);
const run = (g: Graph, x = X) => Array.from(runGraph(g, [x]).outputs[0] as Float32Array);
const relu = (v: number) => Math.max(0, v);
const relu6 = (v: number) => Math.min(6, Math.max(0, v));

describe('Keras lowering of ReLUs that cannot fuse', () => {
  it('a ReLU whose producer also feeds another layer becomes a RELU op (conv keeps no activation)', async () => {
    // c: channel 0 = x, channel 1 = 0.5 − x; s = relu(c) + c.
    const g = await load(
      functional([layer('c', 'Conv2D', conv(2), ['x']), layer('r', 'ReLU', {}, ['c']), layer('s', 'Add', {}, ['r', 'c'])], 's'),
      [
        { name: 'c/kernel', shape: [1, 1, 1, 2], data: [1, -1] },
        { name: 'c/bias', shape: [2], data: [0, 0.5] },
      ],
    );
    expect(g.ops.map(sig)).toEqual(['CONV_2D', 'RELU', 'ADD']);
    const reluOp = g.ops[1]!;
    expect(reluOp.name).toBe('r');
    expect(g.tensors[reluOp.outputs[0]!]!.name).toBe('r');
    const want = Array.from(X).flatMap((x) => [relu(x) + x, relu(0.5 - x) + (0.5 - x)]);
    run(g).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 6));
  });

  it('a ReLU on the model input becomes a RELU op', async () => {
    const g = await load(functional([layer('act', 'Activation', { activation: 'relu' }, ['x'])], 'act'), []);
    expect(g.ops.map(sig)).toEqual(['RELU']);
    expect(run(g)).toEqual(Array.from(X, relu));
  });

  it('a ReLU(max_value=6) after a conv that already applies relu becomes a RELU6 op', async () => {
    const g = await load(functional([layer('c', 'Conv2D', conv(1, 'relu'), ['x']), layer('r6', 'ReLU', { max_value: 6 }, ['c'])], 'r6'), [
      { name: 'c/kernel', shape: [1, 1, 1, 1], data: [3] },
      { name: 'c/bias', shape: [1], data: [-1] },
    ]);
    expect(g.ops.map(sig)).toEqual(['CONV_2D+RELU', 'RELU6']);
    run(g).forEach((v, i) => expect(v).toBeCloseTo(relu6(3 * X[i]! - 1), 6));
  });

  it('a ReLU right after a single-consumer conv still fuses', async () => {
    const g = await load(functional([layer('c', 'Conv2D', conv(1), ['x']), layer('r', 'ReLU', {}, ['c'])], 'r'), [
      { name: 'c/kernel', shape: [1, 1, 1, 1], data: [3] },
      { name: 'c/bias', shape: [1], data: [-1] },
    ]);
    expect(g.ops.map(sig)).toEqual(['CONV_2D+RELU']);
    run(g).forEach((v, i) => expect(v).toBeCloseTo(relu(3 * X[i]! - 1), 6));
  });
});

describe('Conv2DTranspose activations', () => {
  const weights: HandWeight[] = [
    { name: 't/kernel', shape: [1, 1, 1, 1], data: [3] },
    { name: 't/bias', shape: [1], data: [-1] },
  ];

  it("activation='relu6' is TRANSPOSE_CONV (no fused activation) then RELU6; the layer's name goes to the activated tensor", async () => {
    const g = await load(functional([layer('t', 'Conv2DTranspose', tconv(1, 'relu6'), ['x'])], 't'), weights);
    expect(g.ops.map(sig)).toEqual(['TRANSPOSE_CONV', 'RELU6']);
    expect(g.tensors[g.ops[0]!.outputs[0]!]!.name).toBe('t/linear');
    expect(g.tensors[g.outputs[0]!]!.name).toBe('t');
    expect(opVersion(g.ops[0]!, g)).toBe(3); // float, with bias: never the fused-activation version 4
    run(g).forEach((v, i) => expect(v).toBeCloseTo(relu6(3 * X[i]! - 1), 6));
  });

  it('a ReLU layer after a Conv2DTranspose is not fused into it', async () => {
    const g = await load(functional([layer('t', 'Conv2DTranspose', tconv(1), ['x']), layer('r', 'ReLU', {}, ['t'])], 'r'), weights);
    expect(g.ops.map(sig)).toEqual(['TRANSPOSE_CONV', 'RELU']);
    run(g).forEach((v, i) => expect(v).toBeCloseTo(relu(3 * X[i]! - 1), 6));
  });
});

describe('int8: quantiser params and the real TFLite runtime', () => {
  it('RELU gets its own calibrated params, RELU6 its input params, and TFLite agrees with the reference interpreter', async () => {
    // c → ReLU (also feeds the Add) → Add → Conv2DTranspose(relu6): a RELU and a RELU6 op in one model.
    const hw = 16;
    const g = await load(
      functional(
        [
          layer('c', 'Conv2D', conv(2), ['x']),
          layer('r', 'ReLU', {}, ['c']),
          layer('s', 'Add', {}, ['r', 'c']),
          layer('t', 'Conv2DTranspose', { ...tconv(1, 'relu6') }, ['s']),
        ],
        't',
        hw,
      ),
      [
        { name: 'c/kernel', shape: [1, 1, 1, 2], data: [1, -1] },
        { name: 'c/bias', shape: [2], data: [0, 0.5] },
        { name: 't/kernel', shape: [1, 1, 1, 2], data: [2, 1] },
        { name: 't/bias', shape: [1], data: [0.2] },
      ],
    );
    expect(g.ops.map(sig)).toEqual(['CONV_2D', 'RELU', 'ADD', 'TRANSPOSE_CONV', 'RELU6']);

    // Seeded inputs in [−4, 4], so the RELU6 input reaches past 6 (2·2x + 0.2 at x = 4 is 16.2).
    const samples = 4;
    const per = hw * hw;
    const r = rng(17);
    const calib = Float32Array.from({ length: samples * per }, () => -4 + 8 * r());
    const q = quantizeInt8(g, { ranges: calibrate(g, calib, 'calib'), io: 'int8' });
    const params = (op: Op, side: 'in' | 'out') =>
      q.tensors[side === 'in' ? op.inputs[op.kind === 'TRANSPOSE_CONV' ? 2 : 0]! : op.outputs[0]!]!.quant!;
    const [, reluOp, , tconvOp, relu6Op] = q.ops as [Op, Op, Op, Op, Op];
    // RELU's output range starts at 0, so its zero point is −128 and its scale differs from its input's.
    expect(params(reluOp, 'out').zeroPoint).toEqual([-128]);
    expect(params(reluOp, 'out').scale[0]).not.toBe(params(reluOp, 'in').scale[0]);
    // RELU6 shares its input's params: TFLM clamps without requantising.
    expect(params(relu6Op, 'out')).toEqual(params(relu6Op, 'in'));
    expect(opVersion(tconvOp, q)).toBe(3);
    expect(opVersion(reluOp, q)).toBe(2);
    expect(opVersion(relu6Op, q)).toBe(2);

    // Each op alone in the real runtime on the interpreter's own inputs (as `tinypdm verify` checks;
    // whole-model outputs may differ more, because an earlier 1-LSB difference propagates).
    const inQ = q.tensors[q.inputs[0]!]!.quant!;
    const outQ = q.tensors[q.outputs[0]!]!.quant!;
    const six = Math.round(6 / outQ.scale[0]!) + outQ.zeroPoint[0]!;
    const runners = await Promise.all(
      q.ops.map(async (op) => ({
        op,
        ...isolateOp(q, op),
        runner: await createTfliteRunner(writeTflite(isolateOp(q, op).graph, { description: 'relu test' })),
      })),
    );
    try {
      const stats = new Map(q.ops.map((op, i) => [`${i} ${op.kind} '${op.name}'`, { identical: 0, total: 0, worst: 0 }]));
      let clampedAtSix = 0;
      for (let s = 0; s < samples; s++) {
        const x = Int8Array.from(calib.subarray(s * per, (s + 1) * per), (v) => quantizeValue(v, inQ.scale[0]!, inQ.zeroPoint[0]!));
        const values = runGraph(q, [x], { captureAll: true }).tensors!;
        for (const [i, { op, inputIds, runner }] of runners.entries()) {
          const ours = values.get(op.outputs[0]!) as Int8Array;
          const theirs = runner.run(inputIds.map((id) => values.get(id) as Int8Array))[0]!;
          const st = stats.get(`${i} ${op.kind} '${op.name}'`)!;
          for (let k = 0; k < ours.length; k++) {
            const d = Math.abs(ours[k]! - theirs[k]!);
            st.worst = Math.max(st.worst, d);
            if (d === 0) st.identical++;
            st.total++;
          }
        }
        const out = values.get(q.outputs[0]!) as Int8Array;
        clampedAtSix += out.filter((v) => v === six).length;
      }
      for (const [name, st] of stats) {
        expect(st.worst, name).toBeLessThanOrEqual(1);
        expect(st.identical / st.total, name).toBeGreaterThanOrEqual(0.99);
      }
      // Not vacuous: the RELU6 upper bound is hit.
      expect(clampedAtSix).toBeGreaterThan(0);
    } finally {
      runners.forEach((r) => r.runner.dispose());
    }
  });
});
