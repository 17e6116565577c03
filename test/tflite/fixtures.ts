import { GraphBuilder } from '../../src/ir/builder.js';
import type { DType, Graph, QuantParams } from '../../src/ir/graph.js';
import { mulberry32 } from '../helpers/random.js';

/** Deterministic PRNG so fixtures are the same on every run. */
export const rng = mulberry32;

export function randomFloats(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const r = rng(seed);
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * r());
}

export function randomInt8(n: number, seed: number): Int8Array {
  const r = rng(seed);
  return Int8Array.from({ length: n }, () => Math.floor(r() * 255) - 127);
}

export function randomInt32(n: number, seed: number): Int32Array {
  const r = rng(seed);
  return Int32Array.from({ length: n }, () => Math.floor(r() * 2000) - 1000);
}

const pt = (scale: number, zeroPoint: number): QuantParams => ({ scale: [scale], zeroPoint: [zeroPoint], axis: 0 });
const perChannel = (n: number, base: number, axis = 0): QuantParams => ({
  scale: Array.from({ length: n }, (_, i) => base * (1 + i / 8)),
  zeroPoint: new Array(n).fill(0),
  axis,
});

/**
 * One graph using every IR op kind once (twice for pools), in float32 or int8
 * (int8: QUANTIZE at the input, DEQUANTIZE at the output, per-channel int8
 * weights, int32 biases, per-tensor activations). Shapes are consistent so the
 * real runtime can run it.
 */
export function allOpsGraph(kind: 'float32' | 'int8'): Graph {
  const q = kind === 'int8';
  const act: DType = q ? 'int8' : 'float32';
  const b = new GraphBuilder(`all_ops_${kind}`);
  const aq = (s: number, z: number): QuantParams | undefined => (q ? pt(s, z) : undefined);
  // Per-channel along the output-channel axis: 0 for OHWI filters, 3 for depthwise [1, Kh, Kw, C].
  const weights = (name: string, shape: number[], seed: number, channels: number, axis = 0) => {
    const n = shape.reduce((x, y) => x * y, 1);
    return q
      ? b.addConst(name, shape, randomInt8(n, seed), 'int8', perChannel(channels, 0.01, axis))
      : b.addConst(name, shape, randomFloats(n, seed), 'float32');
  };
  const bias = (name: string, n: number, seed: number, inScale: number) =>
    q
      ? b.addConst(name, [n], randomInt32(n, seed), 'int32', {
          scale: perChannel(n, 0.01).scale.map((s) => s * inScale),
          zeroPoint: new Array(n).fill(0),
          axis: 0,
        })
      : b.addConst(name, [n], randomFloats(n, seed), 'float32');
  const int32 = (name: string, shape: number[], values: number[]) => b.addConst(name, shape, Int32Array.from(values), 'int32');

  const input = b.addTensor('input', [1, 8, 8, 2], 'float32');
  b.inputs = [input];
  let x = input;
  if (q) {
    const xq = b.addTensor('input_q', [1, 8, 8, 2], 'int8', undefined, pt(0.02, 3));
    b.addOp('QUANTIZE', 'quantize', [x], [xq], {});
    x = xq;
  }
  const conv = b.addTensor('conv', [1, 8, 8, 4], act, undefined, aq(0.05, -128));
  b.addOp('CONV_2D', 'conv', [x, weights('conv/w', [4, 3, 3, 2], 1, 4), bias('conv/b', 4, 2, 0.02)], [conv], {
    padding: 'SAME',
    strideH: 1,
    strideW: 1,
    dilationH: 1,
    dilationW: 1,
    activation: 'RELU',
  });
  const dw = b.addTensor('dw', [1, 6, 6, 4], act, undefined, aq(0.05, 0));
  b.addOp('DEPTHWISE_CONV_2D', 'dw', [conv, weights('dw/w', [1, 3, 3, 4], 3, 4, 3), bias('dw/b', 4, 4, 0.05)], [dw], {
    padding: 'VALID',
    strideH: 1,
    strideW: 1,
    dilationH: 1,
    dilationW: 1,
    depthMultiplier: 1,
    activation: 'NONE',
  });
  // alpha is float32 in the file, so the fixture holds it rounded.
  const leaky = b.addTensor('leaky', [1, 6, 6, 4], act, undefined, aq(0.05, 0));
  b.addOp('LEAKY_RELU', 'leaky', [dw], [leaky], { alpha: Math.fround(0.2) });
  const mp = b.addTensor('maxpool', [1, 3, 3, 4], act, undefined, aq(0.05, 0));
  b.addOp('MAX_POOL_2D', 'maxpool', [leaky], [mp], {
    padding: 'VALID',
    strideH: 2,
    strideW: 2,
    filterH: 2,
    filterW: 2,
    activation: 'NONE',
  });
  const ap = b.addTensor('avgpool', [1, 3, 3, 4], act, undefined, aq(0.05, 0));
  b.addOp('AVERAGE_POOL_2D', 'avgpool', [mp], [ap], {
    padding: 'SAME',
    strideH: 1,
    strideW: 1,
    filterH: 3,
    filterW: 3,
    activation: 'NONE',
  });
  const pad = b.addTensor('pad', [1, 5, 5, 4], act, undefined, aq(0.05, 0));
  b.addOp('PAD', 'pad', [ap, int32('pad/paddings', [4, 2], [0, 0, 1, 1, 1, 1, 0, 0])], [pad], {});
  const up = b.addTensor('up', [1, 10, 10, 4], act, undefined, aq(0.05, 0));
  b.addOp('RESIZE_NEAREST_NEIGHBOR', 'up', [pad, int32('up/size', [2], [10, 10])], [up], { alignCorners: false, halfPixelCenters: true });
  // RELU6 keeps its input's params (TFLM's int8 RELU6 clamps without requantising); RELU requantises.
  const r6 = b.addTensor('relu6', [1, 10, 10, 4], act, undefined, aq(0.05, 0));
  b.addOp('RELU6', 'relu6', [up], [r6], {});
  const rl = b.addTensor('relu', [1, 10, 10, 4], act, undefined, aq(0.04, -128));
  b.addOp('RELU', 'relu', [r6], [rl], {});
  const tc = b.addTensor('tconv', [1, 20, 20, 3], act, undefined, aq(0.1, 5));
  b.addOp(
    'TRANSPOSE_CONV',
    'tconv',
    [int32('tconv/shape', [4], [1, 20, 20, 3]), weights('tconv/w', [3, 2, 2, 4], 5, 3), rl, bias('tconv/b', 3, 6, 0.04)],
    [tc],
    {
      padding: 'SAME',
      strideH: 2,
      strideW: 2,
      activation: 'NONE',
    },
  );
  const cat = b.addTensor('concat', [1, 20, 20, 6], act, undefined, aq(0.1, 5));
  b.addOp('CONCATENATION', 'concat', [tc, tc], [cat], { axis: 3, activation: 'NONE' });
  const sum = b.addTensor('add', [1, 20, 20, 6], act, undefined, aq(0.2, 5));
  b.addOp('ADD', 'add', [cat, cat], [sum], { activation: 'RELU6' });
  const mean = b.addTensor('mean', [1, 6], act, undefined, aq(0.2, 5));
  b.addOp('MEAN', 'mean', [sum, int32('mean/axes', [2], [1, 2])], [mean], { keepDims: false });
  const fc = b.addTensor('fc', [1, 5], act, undefined, aq(0.1, -3));
  const fcW = q
    ? b.addConst('fc/w', [5, 6], randomInt8(30, 7), 'int8', pt(0.01, 0))
    : b.addConst('fc/w', [5, 6], randomFloats(30, 7), 'float32');
  const fcB = q ? b.addConst('fc/b', [5], randomInt32(5, 8), 'int32', pt(0.002, 0)) : -1;
  b.addOp('FULLY_CONNECTED', 'fc', [mean, fcW, fcB], [fc], { activation: 'NONE', keepNumDims: false });
  const rs = b.addTensor('reshape', [1, 1, 5], act, undefined, aq(0.1, -3));
  b.addOp('RESHAPE', 'reshape', [fc, int32('reshape/shape', [3], [1, 1, 5])], [rs], {});
  const sm = b.addTensor('softmax', [1, 1, 5], act, undefined, aq(1 / 256, -128));
  b.addOp('SOFTMAX', 'softmax', [rs], [sm], { beta: 1 });
  const lg = b.addTensor('logistic', [1, 1, 5], act, undefined, aq(1 / 256, -128));
  b.addOp('LOGISTIC', 'logistic', [sm], [lg], {});
  let out = lg;
  if (q) {
    out = b.addTensor('output', [1, 1, 5], 'float32');
    b.addOp('DEQUANTIZE', 'dequantize', [lg], [out], {});
  }
  b.outputs = [out];
  return b.build();
}
