import type { Graph, Op, OpOf } from '../../model/ir.js';
import { channelScales, outputAt, perTensorQuant, required, tensorAt, type Kernel, type KernelInputs } from '../kernel.js';
import { paddedAxis } from '../padding.js';
import { conv2d } from '../ops/conv2d.js';
import { tapRange } from '../ops/conv2d.js';
import { activationRangeInt8, clampInt8, multiplyByQuantizedMultiplier, quantizeMultiplier } from '../quant-math.js';

/**
 * CONV_2D int8, fast: the same arithmetic as the reference kernel
 * (../ops/conv2d.ts, TFLM's ConvPerChannel) in int32 typed arrays, with the
 * filter repacked once per op ([kH][kW][filterC][outC], so the innermost loop
 * runs over contiguous output channels) and the per-channel multipliers
 * computed once. Every product |w·(x − zp)| ≤ 127·255 and every sum over a
 * receptive field stays far below 2^31, so int32 accumulation is exact and
 * the output is bit-identical to the reference (test/runtime/fast.test.ts).
 * Float convs use the reference kernel.
 */
interface Packed {
  /** The arrays this was packed from: a graph whose op got new weights is repacked. */
  from: [Int8Array, Int32Array | undefined, number, number];
  weights: Int32Array;
  multiplier: Int32Array;
  shift: Int32Array;
  bias: Int32Array;
}

const packs = new WeakMap<Op, Packed>();

function pack(op: Op, graph: Graph, w: Int8Array, bias: Int32Array | undefined, outC: number, kH: number, kW: number, filterC: number, inScale: number, outScale: number): Packed {
  const cached = packs.get(op);
  if (cached && cached.from[0] === w && cached.from[1] === bias && cached.from[2] === inScale && cached.from[3] === outScale) return cached;
  const weights = new Int32Array(outC * kH * kW * filterC);
  for (let oc = 0; oc < outC; oc++)
    for (let ky = 0; ky < kH; ky++)
      for (let kx = 0; kx < kW; kx++)
        for (let c = 0; c < filterC; c++) weights[((ky * kW + kx) * filterC + c) * outC + oc] = w[((oc * kH + ky) * kW + kx) * filterC + c]!;
  const scales = channelScales(tensorAt(graph, op, 1), outC, op);
  const multiplier = new Int32Array(outC);
  const shift = new Int32Array(outC);
  for (let c = 0; c < outC; c++) {
    const q = quantizeMultiplier((inScale * scales[c]!) / outScale);
    multiplier[c] = q.multiplier;
    shift[c] = q.shift;
  }
  const p: Packed = { from: [w, bias, inScale, outScale], weights, multiplier, shift, bias: bias ? Int32Array.from(bias) : new Int32Array(outC) };
  packs.set(op, p);
  return p;
}

function convInt8Fast(op: Op, graph: Graph, inputs: KernelInputs) {
  const conv = op as OpOf<'CONV_2D'>;
  const input = tensorAt(graph, op, 0);
  const filter = tensorAt(graph, op, 1);
  const output = outputAt(graph, op);
  const [batches, inH, inW, inC] = input.shape as [number, number, number, number];
  const [outC, kH, kW, filterC] = filter.shape as [number, number, number, number];
  if (filterC !== inC) return conv2d.int8(op, graph, inputs); // grouped convolution: the reference handles it
  const o = conv.options;
  const h = paddedAxis(o.padding, inH, kH, o.strideH, o.dilationH);
  const wAxis = paddedAxis(o.padding, inW, kW, o.strideW, o.dilationW);
  const inQ = perTensorQuant(input, op);
  const outQ = perTensorQuant(output, op);
  const x = required<Int8Array>(inputs, 0, op);
  const p = pack(op, graph, required<Int8Array>(inputs, 1, op), inputs[2] as Int32Array | undefined, outC, kH, kW, filterC, inQ.scale, outQ.scale);
  const range = activationRangeInt8(o.activation, outQ.scale, outQ.zeroPoint);
  const centred = new Int32Array(x.length);
  for (let i = 0; i < x.length; i++) centred[i] = x[i]! - inQ.zeroPoint;
  const out = new Int8Array(batches * h.out * wAxis.out * outC);
  const row = new Int32Array(outC);
  const wt = p.weights;
  let at = 0;
  for (let n = 0; n < batches; n++) {
    const batchBase = n * inH * inW * inC;
    for (let oy = 0; oy < h.out; oy++) {
      const iy0 = oy * o.strideH - h.before;
      const [ky0, ky1] = tapRange(iy0, o.dilationH, kH, inH);
      for (let ox = 0; ox < wAxis.out; ox++) {
        const ix0 = ox * o.strideW - wAxis.before;
        const [kx0, kx1] = tapRange(ix0, o.dilationW, kW, inW);
        row.set(p.bias);
        for (let ky = ky0; ky < ky1; ky++) {
          const rowBase = batchBase + (iy0 + o.dilationH * ky) * inW * inC;
          for (let kx = kx0; kx < kx1; kx++) {
            const xi = rowBase + (ix0 + o.dilationW * kx) * inC;
            const wTap = (ky * kW + kx) * inC * outC;
            for (let c = 0; c < inC; c++) {
              const xv = centred[xi + c]!;
              if (xv === 0) continue;
              const wi = wTap + c * outC;
              for (let oc = 0; oc < outC; oc++) row[oc] = (row[oc]! + wt[wi + oc]! * xv) | 0;
            }
          }
        }
        for (let oc = 0; oc < outC; oc++) {
          const v = multiplyByQuantizedMultiplier(row[oc]!, p.multiplier[oc]!, p.shift[oc]!) + outQ.zeroPoint;
          out[at++] = clampInt8(v < range.min ? range.min : v > range.max ? range.max : v);
        }
      }
    }
  }
  return [out];
}

export const conv2dFast: Kernel = { float: conv2d.float, int8: convInt8Fast };
