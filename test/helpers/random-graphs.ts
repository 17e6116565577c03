/**
 * Random small int8 graphs for the C runtime's property test: a chain of ops
 * from one [1, H, W, C] input, every op the IR has, random shapes, strides,
 * paddings, dilations and quantisation. A spec is a list of random integers;
 * the builder maps each onto a valid op for the current shape, so every spec
 * gives a graph the reference interpreter accepts.
 */
import fc from 'fast-check';
import { GraphBuilder } from '../../src/ir/builder.js';
import { tensorSize, type Activation, type Graph, type OpKind, type Padding, type QuantParams } from '../../src/ir/graph.js';
import { computeOutSize } from '../../src/ops/index.js';

export const RANDOM_OPS: readonly OpKind[] = [
  'CONV_2D',
  'DEPTHWISE_CONV_2D',
  'FULLY_CONNECTED',
  'TRANSPOSE_CONV',
  'MAX_POOL_2D',
  'AVERAGE_POOL_2D',
  'MEAN',
  'RESIZE_NEAREST_NEIGHBOR',
  'PAD',
  'ADD',
  'CONCATENATION',
  'RESHAPE',
  'SOFTMAX',
  'LOGISTIC',
  'RELU',
  'RELU6',
  'QUANTIZE',
  'LEAKY_RELU',
];

export interface OpSpec {
  kind: OpKind;
  /** Random draws the op maps onto its parameters. */
  r: number[];
}

export interface GraphSpec {
  h: number;
  w: number;
  c: number;
  inQ: [number, number];
  floatIo: boolean;
  ops: OpSpec[];
  seed: number;
}

const DRAWS = 12;

export const graphSpecArb: fc.Arbitrary<GraphSpec> = fc.record({
  h: fc.integer({ min: 1, max: 9 }),
  w: fc.integer({ min: 1, max: 9 }),
  c: fc.integer({ min: 1, max: 6 }),
  inQ: fc.tuple(fc.integer({ min: 0, max: 999 }), fc.integer({ min: -100, max: 100 })),
  floatIo: fc.boolean(),
  ops: fc.array(
    fc.record({
      kind: fc.constantFrom(...RANDOM_OPS),
      r: fc.array(fc.integer({ min: 0, max: 999 }), { minLength: DRAWS, maxLength: DRAWS }),
    }),
    { minLength: 1, maxLength: 5 },
  ),
  seed: fc.integer({ min: 1, max: 2 ** 30 }),
});

/** A tiny LCG for weights, from the spec's seed (fast-check gives the structure, this the bulk values). */
function values(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

const MAX_DIM = 12;
const MAX_C = 16;

interface Cursor {
  id: number;
  shape: [number, number, number, number];
  q: QuantParams;
}

const pick = <T>(r: number, xs: readonly T[]): T => xs[r % xs.length]!;
const perTensor = (scale: number, zp: number): QuantParams => ({ scale: [Math.fround(scale)], zeroPoint: [zp], axis: 0 });
const randQ = (a: number, b: number): QuantParams => perTensor(0.004 + (a / 1000) * 0.1, (b % 201) - 100);

export function buildRandomGraph(spec: GraphSpec, name = 'random'): Graph {
  const rnd = values(spec.seed);
  const b = new GraphBuilder(name);
  const inQ = perTensor(0.004 + (spec.inQ[0] / 1000) * 0.1, spec.inQ[1]);
  let cur: Cursor;
  const shape: [number, number, number, number] = [1, spec.h, spec.w, spec.c];
  if (spec.floatIo) {
    const x = b.addTensor('x', shape, 'float32');
    b.inputs = [x];
    const q = b.addTensor('x_q', shape, 'int8', undefined, inQ);
    b.addOp('QUANTIZE', 'quantize_in', [x], [q], {});
    cur = { id: q, shape, q: inQ };
  } else {
    const x = b.addTensor('x', shape, 'int8', undefined, inQ);
    b.inputs = [x];
    cur = { id: x, shape, q: inQ };
  }
  let n = 0;
  const int8Weights = (count: number) => Int8Array.from({ length: count }, () => Math.floor(rnd() * 255) - 127);
  const scales = (k: number) => Array.from({ length: k }, () => Math.fround(0.002 + rnd() * 0.03));
  /** Output scale so the accumulator's spread (√K·73·74 raw) lands on about ±30 LSB, times 2^[-1, 1]. */
  const convOutQ = (inScale: number, wScale: number, k: number, r: number) =>
    perTensor(inScale * wScale * 180 * Math.sqrt(k) * 2 ** ((r % 200) / 100 - 1), (r % 61) - 30);
  const tensor = (s: number[], q: QuantParams) => b.addTensor(`t${n}`, s, 'int8', undefined, q);
  const activation = (r: number): Activation => pick(r, ['NONE', 'RELU', 'RELU6', 'NONE'] as const);
  const paddingOf = (r: number): Padding => (r % 2 === 0 ? 'SAME' : 'VALID');
  const fits = (s: readonly number[]) => s[1]! <= MAX_DIM && s[2]! <= MAX_DIM && s[3]! <= MAX_C && s.every((d) => d >= 1);

  /** A conv (or depthwise) on the cursor from draws r; false when its output would be too large. */
  function conv(depthwise: boolean, r: number[]): boolean {
    const [, H, W, C] = cur.shape;
    const inScale = cur.q.scale[0]!;
    const kh = pick(r[0]!, [1, 2, 3, 3, 5]);
    const kw = pick(r[1]!, [1, 2, 3, 3, 5]);
    const s = pick(r[2]!, [1, 1, 2, 3]);
    const d = s === 1 ? pick(r[3]!, [1, 1, 2]) : 1;
    let padding = paddingOf(r[4]!);
    if ((kh - 1) * d + 1 > H || (kw - 1) * d + 1 > W) padding = 'SAME';
    const mult = pick(r[5]!, [1, 2]);
    const cout = depthwise ? C * mult : 1 + (r[6]! % 9);
    const oh = computeOutSize(padding, H, kh, s, d);
    const ow = computeOutSize(padding, W, kw, s, d);
    if (!fits([1, oh, ow, cout])) return false;
    const wShape = depthwise ? [1, kh, kw, cout] : [cout, kh, kw, C];
    const ws = scales(cout);
    const wid = b.addConst(`w${n}`, wShape, int8Weights(tensorSize(wShape)), 'int8', {
      scale: ws,
      zeroPoint: ws.map(() => 0),
      axis: depthwise ? 3 : 0,
    });
    const bias =
      r[7]! % 3 !== 0
        ? b.addConst(
            `b${n}`,
            [cout],
            Int32Array.from({ length: cout }, () => Math.floor(rnd() * 6000) - 3000),
            'int32',
            { scale: ws.map((x) => inScale * x), zeroPoint: ws.map(() => 0), axis: 0 },
          )
        : -1;
    const k = depthwise ? kh * kw : kh * kw * C;
    const out = tensor([1, oh, ow, cout], convOutQ(inScale, ws[0]!, k, r[8]!));
    const opts = { padding, strideH: s, strideW: s, dilationH: d, dilationW: d, activation: activation(r[9]!) };
    if (depthwise) b.addOp('DEPTHWISE_CONV_2D', `dw${n}`, [cur.id, wid, bias], [out], { ...opts, depthMultiplier: mult });
    else b.addOp('CONV_2D', `conv${n}`, [cur.id, wid, bias], [out], opts);
    cur = { id: out, shape: [1, oh, ow, cout], q: b.tensor(out).quant! };
    return true;
  }

  /** A max pool whose windows tile its input (filter = stride). */
  function maxPoolTiling(r: number[]): void {
    const [, H, W, C] = cur.shape;
    const f = pick(r[11]!, [2, 2, 3]);
    const padding = f > H || f > W ? 'SAME' : paddingOf(r[4]!);
    const oh = computeOutSize(padding, H, f, f);
    const ow = computeOutSize(padding, W, f, f);
    const out = tensor([1, oh, ow, C], cur.q);
    b.addOp('MAX_POOL_2D', `pool${n}`, [cur.id], [out], { padding, strideH: f, strideW: f, filterH: f, filterW: f, activation: 'NONE' });
    cur = { id: out, shape: [1, oh, ow, C], q: cur.q };
  }

  for (const op of spec.ops) {
    n++;
    const r = op.r;
    const [, H, W, C] = cur.shape;
    const inScale = cur.q.scale[0]!;
    switch (op.kind) {
      case 'CONV_2D':
      case 'DEPTHWISE_CONV_2D':
        if (!conv(op.kind === 'DEPTHWISE_CONV_2D', r)) continue;
        // A third of the convs feed a tiling max pool: the fusion the cortex-m4 conv does.
        if (op.kind === 'CONV_2D' && r[10]! % 3 === 0) maxPoolTiling(r);
        break;
      case 'FULLY_CONNECTED': {
        const units = 1 + (r[0]! % 8);
        const ws = [Math.fround(0.002 + rnd() * 0.03)];
        const wid = b.addConst(`w${n}`, [units, C], int8Weights(units * C), 'int8', { scale: ws, zeroPoint: [0], axis: 0 });
        const bias =
          r[1]! % 2 === 0
            ? b.addConst(
                `b${n}`,
                [units],
                Int32Array.from({ length: units }, () => Math.floor(rnd() * 4000) - 2000),
                'int32',
                perTensor(inScale * ws[0]!, 0),
              )
            : -1;
        const out = tensor([1, H, W, units], convOutQ(inScale, ws[0]!, C, r[2]!));
        b.addOp('FULLY_CONNECTED', `fc${n}`, [cur.id, wid, bias], [out], { activation: activation(r[3]!), keepNumDims: true });
        cur = { id: out, shape: [1, H, W, units], q: b.tensor(out).quant! };
        break;
      }
      case 'TRANSPOSE_CONV': {
        const k = pick(r[0]!, [1, 2, 3]);
        const s = pick(r[1]!, [1, 2]);
        const padding = paddingOf(r[2]!);
        const cout = 1 + (r[3]! % 5);
        const oh = padding === 'SAME' ? H * s : (H - 1) * s + k;
        const ow = padding === 'SAME' ? W * s : (W - 1) * s + k;
        if (!fits([1, oh, ow, cout])) continue;
        const ws = scales(cout);
        const shapeId = b.addConst(`os${n}`, [4], Int32Array.from([1, oh, ow, cout]), 'int32');
        const wid = b.addConst(`w${n}`, [cout, k, k, C], int8Weights(cout * k * k * C), 'int8', {
          scale: ws,
          zeroPoint: ws.map(() => 0),
          axis: 0,
        });
        const bias =
          r[4]! % 2 === 0
            ? b.addConst(
                `b${n}`,
                [cout],
                Int32Array.from({ length: cout }, () => Math.floor(rnd() * 4000) - 2000),
                'int32',
                { scale: ws.map((x) => inScale * x), zeroPoint: ws.map(() => 0), axis: 0 },
              )
            : -1;
        const out = tensor([1, oh, ow, cout], convOutQ(inScale, ws[0]!, k * k * C, r[5]!));
        b.addOp('TRANSPOSE_CONV', `tconv${n}`, [shapeId, wid, cur.id, bias], [out], {
          padding,
          strideH: s,
          strideW: s,
          activation: 'NONE',
        });
        cur = { id: out, shape: [1, oh, ow, cout], q: b.tensor(out).quant! };
        break;
      }
      case 'MAX_POOL_2D':
      case 'AVERAGE_POOL_2D': {
        const f = pick(r[0]!, [1, 2, 2, 3]);
        // Half the time the windows tile (filter = stride): the case the cortex-m4 conv absorbs.
        const s = r[1]! % 2 === 0 ? f : pick(r[2]!, [1, 2, 3]);
        let padding = paddingOf(r[3]!);
        if (f > H || f > W) padding = 'SAME';
        const oh = computeOutSize(padding, H, f, s);
        const ow = computeOutSize(padding, W, f, s);
        const out = tensor([1, oh, ow, C], cur.q);
        b.addOp(op.kind, `pool${n}`, [cur.id], [out], {
          padding,
          strideH: s,
          strideW: s,
          filterH: f,
          filterW: f,
          activation: pick(r[4]!, ['NONE', 'NONE', 'RELU'] as const),
        });
        cur = { id: out, shape: [1, oh, ow, C], q: cur.q };
        break;
      }
      case 'MEAN': {
        const axes = b.addConst(`axes${n}`, [2], Int32Array.from([1, 2]), 'int32');
        const out = tensor([1, 1, 1, C], randQ(r[0]!, r[1]!));
        b.addOp('MEAN', `mean${n}`, [cur.id, axes], [out], { keepDims: true });
        cur = { id: out, shape: [1, 1, 1, C], q: b.tensor(out).quant! };
        break;
      }
      case 'RESIZE_NEAREST_NEIGHBOR': {
        const oh = r[0]! % 3 === 0 ? 1 + (r[1]! % (2 * H)) : H * pick(r[2]!, [1, 2, 3]);
        const ow = r[0]! % 3 === 0 ? 1 + (r[3]! % (2 * W)) : W * pick(r[4]!, [1, 2, 3]);
        if (!fits([1, oh, ow, C])) continue;
        const flags = pick(r[5]!, [
          [false, true],
          [false, true],
          [true, false],
          [false, false],
        ] as const);
        const size = b.addConst(`size${n}`, [2], Int32Array.from([oh, ow]), 'int32');
        const out = tensor([1, oh, ow, C], cur.q);
        b.addOp('RESIZE_NEAREST_NEIGHBOR', `up${n}`, [cur.id, size], [out], { alignCorners: flags[0], halfPixelCenters: flags[1] });
        cur = { id: out, shape: [1, oh, ow, C], q: cur.q };
        // Half the time a conv reads it: the view the cortex-m4 conv reads through.
        if (r[9]! % 2 === 0)
          conv(
            false,
            r.map((x) => (x * 7 + 3) % 1000),
          );
        break;
      }
      case 'PAD': {
        const p = [0, 0, r[0]! % 3, r[1]! % 3, r[2]! % 3, r[3]! % 3, 0, r[4]! % 5 === 0 ? 1 : 0];
        const s: [number, number, number, number] = [1, H + p[2]! + p[3]!, W + p[4]! + p[5]!, C + p[7]!];
        if (!fits(s)) continue;
        const pads = b.addConst(`pads${n}`, [4, 2], Int32Array.from(p), 'int32');
        const out = tensor(s, cur.q);
        b.addOp('PAD', `pad${n}`, [cur.id, pads], [out], {});
        cur = { id: out, shape: s, q: cur.q };
        if (r[9]! % 2 === 0)
          conv(
            false,
            r.map((x) => (x * 7 + 3) % 1000),
          );
        break;
      }
      case 'ADD': {
        // The second operand from the same tensor: a requantising RELU (same shape) or a spatial MEAN (broadcast).
        let other: number;
        if (r[0]! % 2 === 0) {
          other = tensor(cur.shape, randQ(r[1]!, r[2]!));
          b.addOp('RELU', `relu${n}`, [cur.id], [other], {});
        } else {
          const axes = b.addConst(`axes${n}`, [2], Int32Array.from([1, 2]), 'int32');
          other = tensor([1, 1, 1, C], randQ(r[1]!, r[2]!));
          b.addOp('MEAN', `mean${n}`, [cur.id, axes], [other], { keepDims: true });
        }
        const out = tensor(cur.shape, randQ(r[3]!, r[4]!));
        const [a, c] = r[5]! % 2 === 0 ? [cur.id, other] : [other, cur.id];
        b.addOp('ADD', `add${n}`, [a, c], [out], { activation: activation(r[6]!) });
        cur = { id: out, shape: cur.shape, q: b.tensor(out).quant! };
        break;
      }
      case 'CONCATENATION': {
        const axis = pick(r[0]!, [3, 3, 1, 2, -1]);
        const a = axis < 0 ? 3 : axis;
        const outShape = [...cur.shape] as [number, number, number, number];
        outShape[a] = outShape[a]! * 2;
        if (!fits(outShape)) continue;
        const other = tensor(cur.shape, r[1]! % 2 === 0 ? cur.q : randQ(r[2]!, r[3]!));
        b.addOp('RELU', `relu${n}`, [cur.id], [other], {});
        const out = tensor(outShape, r[4]! % 3 === 0 ? cur.q : randQ(r[5]!, r[6]!));
        b.addOp('CONCATENATION', `concat${n}`, r[7]! % 2 === 0 ? [cur.id, other] : [other, cur.id], [out], {
          axis,
          activation: pick(r[8]!, ['NONE', 'NONE', 'RELU'] as const),
        });
        cur = { id: out, shape: outShape, q: b.tensor(out).quant! };
        break;
      }
      case 'RESHAPE': {
        const s: [number, number, number, number] = r[0]! % 2 === 0 ? [1, W, H, C] : [1, 1, H * W, C];
        if (!fits(s)) continue;
        const shapeId = b.addConst(`shape${n}`, [4], Int32Array.from(s), 'int32');
        const out = tensor(s, cur.q);
        b.addOp('RESHAPE', `reshape${n}`, [cur.id, shapeId], [out], {});
        cur = { id: out, shape: s, q: cur.q };
        break;
      }
      case 'SOFTMAX':
      case 'LOGISTIC': {
        const out = tensor(cur.shape, perTensor(1 / 256, -128));
        if (op.kind === 'SOFTMAX') b.addOp('SOFTMAX', `softmax${n}`, [cur.id], [out], { beta: pick(r[0]!, [1, 0.5, 2]) });
        else b.addOp('LOGISTIC', `logistic${n}`, [cur.id], [out], {});
        cur = { id: out, shape: cur.shape, q: b.tensor(out).quant! };
        break;
      }
      case 'RELU':
      case 'QUANTIZE': {
        const out = tensor(cur.shape, randQ(r[0]!, r[1]!));
        b.addOp(op.kind, `${op.kind.toLowerCase()}${n}`, [cur.id], [out], {});
        cur = { id: out, shape: cur.shape, q: b.tensor(out).quant! };
        break;
      }
      case 'LEAKY_RELU': {
        // Alphas below 1, above 1 and negative (Keras allows any); float32, as the flatbuffer stores it.
        const out = tensor(cur.shape, randQ(r[0]!, r[1]!));
        const alpha = Math.fround(pick(r[2]!, [0.01, 0.2, 0.3, 1.5, -0.5]));
        b.addOp('LEAKY_RELU', `leaky_relu${n}`, [cur.id], [out], { alpha });
        cur = { id: out, shape: cur.shape, q: b.tensor(out).quant! };
        break;
      }
      case 'RELU6': {
        const out = tensor(cur.shape, cur.q);
        b.addOp('RELU6', `relu6_${n}`, [cur.id], [out], {});
        cur = { id: out, shape: cur.shape, q: cur.q };
        break;
      }
      default:
        throw new Error(`no random builder for ${op.kind}`);
    }
  }
  if (spec.floatIo) {
    const y = b.addTensor('y', cur.shape, 'float32');
    b.addOp('DEQUANTIZE', 'dequantize_out', [cur.id], [y], {});
    b.outputs = [y];
  } else {
    b.outputs = [cur.id];
  }
  return b.build();
}
