import { cloneGraph, GraphBuilder } from '../../src/ir/builder.js';
import type { Graph, Op, QuantParams } from '../../src/ir/graph.js';
import { randomInt32, randomInt8 } from '../tflite/fixtures.js';

/**
 * Small int8 graphs for the validator's tests and fuzz: a valid base, and the
 * hostile edits issue 13 lists (each returns a new graph; the base is not touched).
 */
const pt = (scale: number, zeroPoint: number): QuantParams => ({ scale: [scale], zeroPoint: [zeroPoint], axis: 0 });
const perChannel = (n: number, base: number): QuantParams => ({
  scale: Array.from({ length: n }, (_, i) => base * (1 + i / 8)),
  zeroPoint: new Array<number>(n).fill(0),
  axis: 0,
});

/**
 * input [1,8,8,2] → CONV_2D 3×3 (4 ch) → MAX_POOL 2×2 → ADD (with itself) → RESHAPE [1,64]
 * → FULLY_CONNECTED (3 units) → output. Every op is one the real runtime accepts.
 */
export function smallInt8Graph(): Graph {
  const b = new GraphBuilder('small_int8');
  const x = b.addTensor('input', [1, 8, 8, 2], 'int8', undefined, pt(0.02, -128));
  const conv = b.addTensor('conv', [1, 8, 8, 4], 'int8', undefined, pt(0.05, -10));
  const w = b.addConst('conv/w', [4, 3, 3, 2], randomInt8(72, 1), 'int8', perChannel(4, 0.01));
  const bias = b.addConst('conv/b', [4], randomInt32(4, 2), 'int32', {
    scale: perChannel(4, 0.01).scale.map((s) => s * 0.02),
    zeroPoint: [0, 0, 0, 0],
    axis: 0,
  });
  b.addOp('CONV_2D', 'conv', [x, w, bias], [conv], {
    padding: 'SAME',
    strideH: 1,
    strideW: 1,
    dilationH: 1,
    dilationW: 1,
    activation: 'RELU',
  });
  const pool = b.addTensor('pool', [1, 4, 4, 4], 'int8', undefined, pt(0.05, -10));
  b.addOp('MAX_POOL_2D', 'pool', [conv], [pool], { padding: 'VALID', strideH: 2, strideW: 2, filterH: 2, filterW: 2, activation: 'NONE' });
  const sum = b.addTensor('add', [1, 4, 4, 4], 'int8', undefined, pt(0.1, -10));
  b.addOp('ADD', 'add', [pool, pool], [sum], { activation: 'NONE' });
  const flat = b.addTensor('flat', [1, 64], 'int8', undefined, pt(0.1, -10));
  b.addOp('RESHAPE', 'flat', [sum, b.addConst('flat/shape', [2], Int32Array.from([1, 64]), 'int32')], [flat], {});
  const fc = b.addTensor('fc', [1, 3], 'int8', undefined, pt(0.2, 3));
  const fcW = b.addConst('fc/w', [3, 64], randomInt8(192, 3), 'int8', pt(0.01, 0));
  const fcB = b.addConst('fc/b', [3], randomInt32(3, 4), 'int32', pt(0.1 * 0.01, 0));
  b.addOp('FULLY_CONNECTED', 'fc', [flat, fcW, fcB], [fc], { activation: 'NONE', keepNumDims: false });
  b.inputs = [x];
  b.outputs = [fc];
  return b.build();
}

export function edit(g: Graph, change: (g: Graph) => void): Graph {
  const copy = cloneGraph(g);
  change(copy);
  return copy;
}

const op = (g: Graph, name: string): Op => g.ops.find((o) => o.name === name)!;
const tensor = (g: Graph, name: string) => g.tensors.find((t) => t.name === name)!;

/** Issue 13 §6's list, on smallInt8Graph: name → the graph and what the error must mention. */
export const HOSTILE_GRAPHS: Record<string, { graph: () => Graph; code: string; mentions: RegExp[] }> = {
  'an op whose input is its own output': {
    graph: () => edit(smallInt8Graph(), (g) => void (op(g, 'pool').inputs[0] = op(g, 'pool').outputs[0]!)),
    code: 'INVALID_GRAPH',
    mentions: [/op 1 MAX_POOL_2D 'pool'/, /its own output 'pool'/],
  },
  'a two-op cycle': {
    graph: () => edit(smallInt8Graph(), (g) => void (op(g, 'pool').inputs[0] = op(g, 'add').outputs[0]!)),
    code: 'INVALID_GRAPH',
    mentions: [/op 1 MAX_POOL_2D 'pool'/, /'add'/, /cycle/],
  },
  'ops out of execution order': {
    graph: () => edit(smallInt8Graph(), (g) => void ([g.ops[1], g.ops[2]] = [g.ops[2]!, g.ops[1]!])),
    code: 'INVALID_GRAPH',
    mentions: [/op 1 ADD 'add'/, /not in execution order/],
  },
  'a tensor produced twice': {
    graph: () => edit(smallInt8Graph(), (g) => void (op(g, 'add').outputs[0] = op(g, 'pool').outputs[0]!)),
    code: 'INVALID_GRAPH',
    // Read back from a file, an op is named after its output tensor, so here the ADD is named 'pool' too.
    mentions: [/op 2 ADD/, /'pool'/, /one producer/],
  },
  'no inputs': { graph: () => edit(smallInt8Graph(), (g) => void (g.inputs = [])), code: 'INVALID_GRAPH', mentions: [/no inputs/] },
  'no outputs': { graph: () => edit(smallInt8Graph(), (g) => void (g.outputs = [])), code: 'INVALID_GRAPH', mentions: [/no outputs/] },
  'a channel-count mismatch': {
    graph: () => edit(smallInt8Graph(), (g) => void (tensor(g, 'input').shape = [1, 8, 8, 3])),
    code: 'SHAPE_MISMATCH',
    mentions: [/op 0 CONV_2D 'conv'/, /conv\/w/, /3/],
  },
  'a bad RESHAPE': {
    graph: () => edit(smallInt8Graph(), (g) => void (tensor(g, 'flat').shape = [1, 60])),
    code: 'SHAPE_MISMATCH',
    mentions: [/op 3 RESHAPE 'flat'/, /'flat'/],
  },
  'a non-broadcastable ADD': {
    graph: () =>
      edit(smallInt8Graph(), (g) => {
        const t = tensor(g, 'pool');
        g.tensors.push({ ...t, id: g.tensors.length, name: 'other', shape: [1, 3, 4, 4] });
        g.ops.splice(2, 0, {
          kind: 'MAX_POOL_2D',
          name: 'pool2',
          inputs: [op(g, 'conv').outputs[0]!],
          outputs: [g.tensors.length - 1],
          options: { padding: 'VALID', strideH: 3, strideW: 2, filterH: 2, filterW: 2, activation: 'NONE' },
        });
        op(g, 'add').inputs[1] = g.tensors.length - 1;
      }),
    code: 'SHAPE_MISMATCH',
    mentions: [/ADD 'add'/, /do not broadcast/],
  },
  'a scale of 0': {
    graph: () => edit(smallInt8Graph(), (g) => void (tensor(g, 'pool').quant!.scale[0] = 0)),
    code: 'QUANTIZATION',
    mentions: [/'pool'/, /scale 0/],
  },
  'a NaN scale': {
    graph: () => edit(smallInt8Graph(), (g) => void (tensor(g, 'conv/w').quant!.scale[2] = NaN)),
    code: 'QUANTIZATION',
    mentions: [/'conv\/w'/, /op 0 CONV_2D 'conv'/, /scale NaN \(channel 2 of 4\)/],
  },
  'a FULLY_CONNECTED bias with one scale per unit for per-tensor weights': {
    // The runtime reads a bias with several scales as scale 0, then needs input·weight / output scale ≤ 0.02 (here 0.05).
    graph: () =>
      edit(smallInt8Graph(), (g) => {
        tensor(g, 'fc/b').quant = { scale: [0.001, 0.001, 0.001], zeroPoint: [0, 0, 0], axis: 0 };
        tensor(g, 'fc').quant!.scale[0] = 0.02;
      }),
    code: 'QUANTIZATION',
    mentions: [/FULLY_CONNECTED 'fc'/, /'fc\/b'/, /0\.02/],
  },
  'an ADD output scale whose 2^20 multiple overflows float32': {
    // TFLite's add.cc computes (1 << 20) * output scale in float32: Infinity, a zero multiplier, an abort (found by the graph fuzz).
    graph: () => edit(smallInt8Graph(), (g) => void (tensor(g, 'add').quant!.scale[0] = 1e33)),
    code: 'QUANTIZATION',
    mentions: [/ADD 'add'/, /output scale 9\.99\d*e\+32 is too large/],
  },
  'a CONV_2D without a bias': {
    graph: () => edit(smallInt8Graph(), (g) => void (op(g, 'conv').inputs[2] = -1)),
    code: 'INVALID_GRAPH',
    mentions: [/CONV_2D 'conv'/, /no bias/],
  },
};
