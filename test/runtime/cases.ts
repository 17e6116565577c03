import { GraphBuilder } from '../../src/ir/builder.js';
import type { Activation, Graph, Padding, TensorData } from '../../src/ir/graph.js';
import { runGraph } from '../../src/runtime/index.js';
import {
  dequantizeArray,
  dequantizeGraph,
  perTensor,
  quantFor,
  randInt,
  randomActQuant,
  randomBias,
  randomInt8,
  randomWeights,
  singleOp,
} from './helpers.js';

/**
 * Seeded one-op int8 graphs covering every kernel and its edge cases, shared by
 * the numpy comparison (ops.test.ts) and the real-TFLite comparison (vs-tflite.test.ts).
 */

export type OutParams = 'fit' | 'same' | 'fixed';

export interface OpCase {
  name: string;
  build: (r: () => number) => { graph: Graph; inputs: TensorData[] };
  out: OutParams;
  /** Data movement only: int8 must equal the quantised reference exactly. */
  exact?: boolean;
}

const conv = (padding: Padding, s: number, d: number, activation: Activation) => ({
  padding,
  strideH: s,
  strideW: s,
  dilationH: d,
  dilationW: d,
  activation,
});

function convCase(
  name: string,
  inHW: [number, number],
  cin: number,
  cout: number,
  k: [number, number],
  opts: ReturnType<typeof conv>,
  bias = true,
  outHW?: [number, number],
): OpCase {
  return {
    name,
    out: 'fit',
    build: (r) => {
      const b = new GraphBuilder(name);
      const xq = randomActQuant(r);
      const x = b.addTensor('x', [1, ...inHW, cin], 'int8', undefined, xq);
      const w = randomWeights(r, [cout, ...k, cin], 0);
      const wid = b.addConst('w', [cout, ...k, cin], w.data, 'int8', w.quant);
      const bid = bias
        ? (() => {
            const bb = randomBias(r, xq.scale[0]!, w.quant.scale, cout);
            return b.addConst('b', [cout], bb.data, 'int32', bb.quant);
          })()
        : -1;
      const [oh, ow] = outHW!;
      return {
        graph: singleOp(b, 'CONV_2D', [x, wid, bid], [1, oh, ow, cout], perTensor(1, 0), opts),
        inputs: [randomInt8(r, inHW[0] * inHW[1] * cin)],
      };
    },
  };
}

function depthwiseCase(
  name: string,
  inHW: [number, number],
  cin: number,
  mult: number,
  opts: ReturnType<typeof conv>,
  outHW: [number, number],
): OpCase {
  return {
    name,
    out: 'fit',
    build: (r) => {
      const b = new GraphBuilder(name);
      const xq = randomActQuant(r);
      const cout = cin * mult;
      const x = b.addTensor('x', [1, ...inHW, cin], 'int8', undefined, xq);
      const w = randomWeights(r, [1, 3, 3, cout], 3);
      const wid = b.addConst('w', [1, 3, 3, cout], w.data, 'int8', w.quant);
      const bb = randomBias(r, xq.scale[0]!, w.quant.scale, cout);
      const bid = b.addConst('b', [cout], bb.data, 'int32', bb.quant);
      return {
        graph: singleOp(b, 'DEPTHWISE_CONV_2D', [x, wid, bid], [1, ...outHW, cout], perTensor(1, 0), { ...opts, depthMultiplier: mult }),
        inputs: [randomInt8(r, inHW[0] * inHW[1] * cin)],
      };
    },
  };
}

function poolCase(
  kind: 'MAX_POOL_2D' | 'AVERAGE_POOL_2D',
  name: string,
  inHW: [number, number],
  f: number,
  s: number,
  padding: Padding,
  outHW: [number, number],
  activation: Activation = 'NONE',
): OpCase {
  return {
    name,
    out: 'same',
    exact: kind === 'MAX_POOL_2D',
    build: (r) => {
      const b = new GraphBuilder(name);
      const xq = randomActQuant(r);
      const x = b.addTensor('x', [1, ...inHW, 3], 'int8', undefined, xq);
      const g = singleOp(b, kind, [x], [1, ...outHW, 3], xq, { padding, strideH: s, strideW: s, filterH: f, filterW: f, activation });
      return { graph: g, inputs: [randomInt8(r, inHW[0] * inHW[1] * 3)] };
    },
  };
}

function resizeCase(
  name: string,
  inHW: [number, number],
  outHW: [number, number],
  alignCorners: boolean,
  halfPixelCenters: boolean,
): OpCase {
  return {
    name,
    out: 'same',
    exact: true,
    build: (r) => {
      const b = new GraphBuilder(name);
      const xq = randomActQuant(r);
      const x = b.addTensor('x', [1, ...inHW, 2], 'int8', undefined, xq);
      const size = b.addConst('size', [2], Int32Array.from(outHW), 'int32');
      return {
        graph: singleOp(b, 'RESIZE_NEAREST_NEIGHBOR', [x, size], [1, ...outHW, 2], xq, { alignCorners, halfPixelCenters }),
        inputs: [randomInt8(r, inHW[0] * inHW[1] * 2)],
      };
    },
  };
}

/**
 * LEAKY_RELU params for which full TFLite runs its builtin reference kernel (the
 * arithmetic TFLM runs) instead of XNNPACK's: XNNPACK takes an int8 LEAKY_RELU
 * only when in_s/out_s and in_s·alpha/out_s both lie in [1/256, 128]. Each set
 * is one where forming a multiplier from the scales in double instead of float32
 * (as CalculateOpDataLeakyRelu does) changes QuantizeMultiplier's result and one
 * output: at x − in_zp = 158 (identity branch) and −174 (alpha branch).
 */
export const LEAKY_RELU_REFERENCE_CASES = [
  {
    name: 'leaky relu alpha 0.001 (TFLite reference kernel): identity multiplier formed in float32',
    inQ: [0.060084473341703415, -128],
    outQ: [0.08998432755470276, -100],
    alpha: 0.001,
  },
  {
    name: 'leaky relu in_s/out_s 230 (TFLite reference kernel): alpha multiplier formed in float32',
    inQ: [0.06357639282941818, 60],
    outQ: [0.00027584703639149666, 0],
    alpha: 0.002780341077595949,
  },
] as const;

export const CASES: OpCase[] = [
  convCase('conv SAME 3x3 s1 odd/even 7x6 relu', [7, 6], 3, 4, [3, 3], conv('SAME', 1, 1, 'RELU'), true, [7, 6]),
  convCase('conv SAME 3x3 s2 8x7', [8, 7], 2, 5, [3, 3], conv('SAME', 2, 1, 'NONE'), true, [4, 4]),
  convCase('conv SAME 4x4 s2 9x8 (odd total pad)', [9, 8], 2, 3, [4, 4], conv('SAME', 2, 1, 'NONE'), true, [5, 4]),
  convCase('conv SAME 2x2 s1 6x5 (pad after only)', [6, 5], 3, 2, [2, 2], conv('SAME', 1, 1, 'NONE'), false, [6, 5]),
  convCase('conv VALID 3x3 dilation 2 9x9', [9, 9], 2, 3, [3, 3], conv('VALID', 1, 2, 'NONE'), true, [5, 5]),
  convCase('conv SAME dilation 2 7x8 relu6', [7, 8], 3, 4, [3, 3], conv('SAME', 1, 2, 'RELU6'), true, [7, 8]),
  convCase('conv VALID 1x3 s(2) no bias', [5, 9], 4, 3, [1, 3], conv('VALID', 2, 1, 'RELU_N1_TO_1'), false, [3, 4]),
  depthwiseCase('depthwise mult 2 SAME s2 relu', [7, 6], 3, 2, conv('SAME', 2, 1, 'RELU'), [4, 3]),
  depthwiseCase('depthwise mult 1 VALID dilation 2', [8, 9], 4, 1, conv('VALID', 1, 2, 'NONE'), [4, 5]),
  {
    name: 'fully connected relu, batch 2',
    out: 'fit',
    build: (r) => {
      const b = new GraphBuilder('fc');
      const xq = randomActQuant(r);
      const x = b.addTensor('x', [2, 20], 'int8', undefined, xq);
      const w = randomWeights(r, [7, 20], 0);
      const perTensorW = { ...w.quant, scale: [w.quant.scale[0]!], zeroPoint: [0] };
      const wid = b.addConst('w', [7, 20], w.data, 'int8', perTensorW);
      const bb = randomBias(r, xq.scale[0]!, perTensorW.scale, 7);
      const bid = b.addConst('b', [7], bb.data, 'int32', bb.quant);
      return {
        graph: singleOp(b, 'FULLY_CONNECTED', [x, wid, bid], [2, 7], perTensor(1, 0), { activation: 'RELU', keepNumDims: false }),
        inputs: [randomInt8(r, 40)],
      };
    },
  },
  {
    name: 'fully connected no bias, 4-D input',
    out: 'fit',
    build: (r) => {
      const b = new GraphBuilder('fc2');
      const x = b.addTensor('x', [1, 2, 3, 4], 'int8', undefined, randomActQuant(r));
      const w = randomWeights(r, [5, 24], 0);
      const wid = b.addConst('w', [5, 24], w.data, 'int8', { scale: [w.quant.scale[0]!], zeroPoint: [0], axis: 0 });
      return {
        graph: singleOp(b, 'FULLY_CONNECTED', [x, wid, -1], [1, 5], perTensor(1, 0), { activation: 'NONE', keepNumDims: false }),
        inputs: [randomInt8(r, 24)],
      };
    },
  },
  ...(
    [
      ['transpose conv SAME s2 4x3 → 8x6', 'SAME', [4, 3], [8, 6], 3],
      ['transpose conv VALID s2 k3 4x4 → 9x9', 'VALID', [4, 4], [9, 9], 3],
      ['transpose conv SAME s2 k4 3x3 → 6x6', 'SAME', [3, 3], [6, 6], 4],
    ] as const
  ).map(([name, padding, inHW, outHW, k]): OpCase => ({
    name,
    out: 'fit',
    build: (r) => {
      const b = new GraphBuilder(name);
      const xq = randomActQuant(r);
      const outShape = b.addConst('output_shape', [4], Int32Array.from([1, ...outHW, 3]), 'int32');
      const w = randomWeights(r, [3, k, k, 2], 0);
      const wid = b.addConst('w', [3, k, k, 2], w.data, 'int8', w.quant);
      const x = b.addTensor('x', [1, ...inHW, 2], 'int8', undefined, xq);
      const bb = randomBias(r, xq.scale[0]!, w.quant.scale, 3);
      const bid = b.addConst('b', [3], bb.data, 'int32', bb.quant);
      const g = singleOp(b, 'TRANSPOSE_CONV', [outShape, wid, x, bid], [1, ...outHW, 3], perTensor(1, 0), {
        padding,
        strideH: 2,
        strideW: 2,
        activation: 'NONE',
      });
      return { graph: g, inputs: [randomInt8(r, inHW[0] * inHW[1] * 2)] };
    },
  })),
  poolCase('MAX_POOL_2D', 'max pool 2x2 s2 VALID 8x6', [8, 6], 2, 2, 'VALID', [4, 3]),
  poolCase('MAX_POOL_2D', 'max pool 3x3 s2 SAME 7x7 relu', [7, 7], 3, 2, 'SAME', [4, 4], 'RELU'),
  poolCase('AVERAGE_POOL_2D', 'average pool 3x3 s2 SAME 7x7 (clipped windows)', [7, 7], 3, 2, 'SAME', [4, 4]),
  poolCase('AVERAGE_POOL_2D', 'average pool 2x2 s2 VALID 6x8', [6, 8], 2, 2, 'VALID', [3, 4]),
  {
    name: 'mean over H,W keep dims (requantised)',
    out: 'fit',
    build: (r) => {
      const b = new GraphBuilder('mean');
      const x = b.addTensor('x', [1, 5, 7, 4], 'int8', undefined, randomActQuant(r));
      const axes = b.addConst('axes', [2], Int32Array.from([1, 2]), 'int32');
      return { graph: singleOp(b, 'MEAN', [x, axes], [1, 1, 1, 4], perTensor(1, 0), { keepDims: true }), inputs: [randomInt8(r, 140)] };
    },
  },
  {
    name: 'mean over last axis, no keep dims, negative axis',
    out: 'fit',
    build: (r) => {
      const b = new GraphBuilder('mean2');
      const x = b.addTensor('x', [2, 3, 6], 'int8', undefined, randomActQuant(r));
      const axes = b.addConst('axes', [1], Int32Array.from([-1]), 'int32');
      return { graph: singleOp(b, 'MEAN', [x, axes], [2, 3], perTensor(1, 0), { keepDims: false }), inputs: [randomInt8(r, 36)] };
    },
  },
  resizeCase('resize nearest half-pixel 4x3 → 8x6 (UpSampling2D)', [4, 3], [8, 6], false, true),
  resizeCase('resize nearest align corners 3x3 → 7x5', [3, 3], [7, 5], true, false),
  resizeCase('resize nearest plain 3x5 → 7x9', [3, 5], [7, 9], false, false),
  resizeCase('resize nearest half-pixel downscale 7x6 → 3x4', [7, 6], [3, 4], false, true),
  {
    name: 'pad with the zero point',
    out: 'same',
    exact: true,
    build: (r) => {
      const b = new GraphBuilder('pad');
      const xq = randomActQuant(r);
      const x = b.addTensor('x', [1, 3, 4, 2], 'int8', undefined, xq);
      const p = b.addConst('paddings', [4, 2], Int32Array.from([0, 0, 1, 2, 2, 1, 0, 1]), 'int32');
      return { graph: singleOp(b, 'PAD', [x, p], [1, 6, 7, 3], xq, {}), inputs: [randomInt8(r, 24)] };
    },
  },
  {
    name: 'add, different scales, relu',
    out: 'fit',
    build: (r) => {
      const b = new GraphBuilder('add');
      const a = b.addTensor('a', [1, 4, 4, 3], 'int8', undefined, randomActQuant(r));
      const c = b.addTensor('c', [1, 4, 4, 3], 'int8', undefined, randomActQuant(r));
      return {
        graph: singleOp(b, 'ADD', [a, c], [1, 4, 4, 3], perTensor(1, 0), { activation: 'RELU' }),
        inputs: [randomInt8(r, 48), randomInt8(r, 48)],
      };
    },
  },
  {
    name: 'add with broadcasting [1,4,4,3] + [1,1,1,3]',
    out: 'fit',
    build: (r) => {
      const b = new GraphBuilder('add_b');
      const a = b.addTensor('a', [1, 4, 4, 3], 'int8', undefined, randomActQuant(r));
      const c = b.addTensor('c', [1, 1, 1, 3], 'int8', undefined, randomActQuant(r));
      return {
        graph: singleOp(b, 'ADD', [a, c], [1, 4, 4, 3], perTensor(1, 0), { activation: 'NONE' }),
        inputs: [randomInt8(r, 48), randomInt8(r, 3)],
      };
    },
  },
  {
    name: 'concatenation on channels, shared params',
    out: 'same',
    exact: true,
    build: (r) => {
      const b = new GraphBuilder('concat');
      const q = randomActQuant(r);
      const a = b.addTensor('a', [1, 3, 2, 2], 'int8', undefined, q);
      const c = b.addTensor('c', [1, 3, 2, 3], 'int8', undefined, q);
      return {
        graph: singleOp(b, 'CONCATENATION', [a, c], [1, 3, 2, 5], q, { axis: 3, activation: 'NONE' }),
        inputs: [randomInt8(r, 12), randomInt8(r, 18)],
      };
    },
  },
  {
    name: 'concatenation on H with requantisation',
    out: 'fit',
    build: (r) => {
      const b = new GraphBuilder('concat_rq');
      const a = b.addTensor('a', [1, 2, 3, 2], 'int8', undefined, randomActQuant(r));
      const c = b.addTensor('c', [1, 4, 3, 2], 'int8', undefined, randomActQuant(r));
      return {
        graph: singleOp(b, 'CONCATENATION', [a, c], [1, 6, 3, 2], perTensor(1, 0), { axis: -3, activation: 'NONE' }),
        inputs: [randomInt8(r, 12), randomInt8(r, 24)],
      };
    },
  },
  {
    name: 'reshape',
    out: 'same',
    exact: true,
    build: (r) => {
      const b = new GraphBuilder('reshape');
      const q = randomActQuant(r);
      const x = b.addTensor('x', [1, 2, 3, 4], 'int8', undefined, q);
      const s = b.addConst('shape', [2], Int32Array.from([1, 24]), 'int32');
      return { graph: singleOp(b, 'RESHAPE', [x, s], [1, 24], q, {}), inputs: [randomInt8(r, 24)] };
    },
  },
  ...([1, 0.5] as const).map((beta): OpCase => ({
    name: `softmax beta ${beta}`,
    out: 'fixed',
    build: (r) => {
      const b = new GraphBuilder('softmax');
      const x = b.addTensor('x', [3, 10], 'int8', undefined, perTensor(Math.fround(0.02 + r() * 0.1), randInt(r, -20, 20)));
      return { graph: singleOp(b, 'SOFTMAX', [x], [3, 10], perTensor(1 / 256, -128), { beta }), inputs: [randomInt8(r, 30)] };
    },
  })),
  {
    name: 'logistic',
    out: 'fixed',
    build: () => {
      const b = new GraphBuilder('logistic');
      const x = b.addTensor('x', [1, 256], 'int8', undefined, perTensor(Math.fround(0.06), 3));
      return {
        graph: singleOp(b, 'LOGISTIC', [x], [1, 256], perTensor(1 / 256, -128), {}),
        inputs: [Int8Array.from({ length: 256 }, (_, i) => i - 128)],
      };
    },
  },
  {
    name: 'relu, requantised to its own output params',
    out: 'fit',
    build: (r) => {
      const b = new GraphBuilder('relu');
      const x = b.addTensor('x', [1, 6, 5, 4], 'int8', undefined, randomActQuant(r));
      return { graph: singleOp(b, 'RELU', [x], [1, 6, 5, 4], perTensor(1, 0), {}), inputs: [randomInt8(r, 120)] };
    },
  },
  {
    name: 'relu, output params equal to the input',
    out: 'same',
    exact: true,
    build: (r) => {
      const b = new GraphBuilder('relu_same');
      const x = b.addTensor('x', [1, 100], 'int8', undefined, randomActQuant(r));
      return { graph: singleOp(b, 'RELU', [x], [1, 100], perTensor(1, 0), {}), inputs: [randomInt8(r, 100)] };
    },
  },
  {
    // Scale 0.03..0.06 so that 6 falls inside the int8 range and the upper clamp is exercised.
    name: 'relu6 (clamps in the shared params)',
    out: 'same',
    exact: true,
    build: (r) => {
      const b = new GraphBuilder('relu6');
      const x = b.addTensor('x', [1, 256], 'int8', undefined, perTensor(Math.fround(0.03 + r() * 0.03), randInt(r, -40, 0)));
      return {
        graph: singleOp(b, 'RELU6', [x], [1, 256], perTensor(1, 0), {}),
        inputs: [Int8Array.from({ length: 256 }, (_, i) => i - 128)],
      };
    },
  },
  // LEAKY_RELU requantises both branches to its own output params: 'fit' gives each alpha its calibrated range.
  ...([0.01, 0.2, 1.5, -0.5] as const).map((alpha): OpCase => ({
    name: `leaky relu alpha ${alpha}`,
    out: 'fit',
    build: (r) => {
      const b = new GraphBuilder('leaky');
      const x = b.addTensor('x', [1, 6, 5, 4], 'int8', undefined, randomActQuant(r));
      const g = singleOp(b, 'LEAKY_RELU', [x], [1, 6, 5, 4], perTensor(1, 0), { alpha: Math.fround(alpha) });
      return { graph: g, inputs: [randomInt8(r, 120)] };
    },
  })),
  {
    // Output scale a third of the input's: the identity multiplier shifts left, large inputs saturate at 127.
    name: 'leaky relu alpha 0.3, output scale a third of the input scale',
    out: 'fixed',
    build: (r) => {
      const b = new GraphBuilder('leaky_shift');
      const xq = randomActQuant(r);
      const x = b.addTensor('x', [1, 256], 'int8', undefined, xq);
      const outQ = perTensor(Math.fround(xq.scale[0]! / 3), randInt(r, -60, 60));
      const g = singleOp(b, 'LEAKY_RELU', [x], [1, 256], outQ, { alpha: Math.fround(0.3) });
      return { graph: g, inputs: [Int8Array.from({ length: 256 }, (_, i) => i - 128)] };
    },
  },
  ...LEAKY_RELU_REFERENCE_CASES.map(({ name, inQ, outQ, alpha }): OpCase => ({
    name,
    out: 'fixed',
    build: () => {
      const b = new GraphBuilder('leaky_ref');
      const x = b.addTensor('x', [1, 256], 'int8', undefined, perTensor(Math.fround(inQ[0]), inQ[1]));
      const g = singleOp(b, 'LEAKY_RELU', [x], [1, 256], perTensor(Math.fround(outQ[0]), outQ[1]), { alpha: Math.fround(alpha) });
      return { graph: g, inputs: [Int8Array.from({ length: 256 }, (_, i) => i - 128)] };
    },
  })),
  {
    name: 'quantize int8 → int8 (requantise)',
    out: 'fit',
    build: (r) => {
      const b = new GraphBuilder('requant');
      const x = b.addTensor('x', [1, 64], 'int8', undefined, randomActQuant(r));
      return { graph: singleOp(b, 'QUANTIZE', [x], [1, 64], perTensor(1, 0), {}), inputs: [randomInt8(r, 64)] };
    },
  },
];

/**
 * Builds a case's int8 graph and fixes its output params: 'fit' covers the
 * float result on the dequantised graph, 'same' copies the input's params,
 * 'fixed' keeps what the case set (softmax/logistic 1/256, −128).
 */
export function prepareCase(c: OpCase, r: () => number) {
  const { graph, inputs } = c.build(r);
  const floatGraph = dequantizeGraph(graph);
  const floatInputs = inputs.map((d, k) => {
    const t = graph.tensors[graph.inputs[k]!]!;
    return dequantizeArray(d as Int8Array, t.shape, t.quant!);
  });
  const floatOut = runGraph(floatGraph, floatInputs).outputs[0] as Float32Array;
  const outT = graph.tensors[graph.outputs[0]!]!;
  if (c.out === 'fit') outT.quant = quantFor(floatOut);
  if (c.out === 'same') outT.quant = { ...graph.tensors[graph.inputs[0]!]!.quant! };
  return { graph, inputs, floatGraph, floatInputs, floatOut };
}
