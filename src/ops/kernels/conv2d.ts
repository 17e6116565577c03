import type { Graph, Op, OpOf } from '../../ir/index.js';
import {
  allocateFor,
  channelScales,
  expectRank,
  expectShape,
  outputAt,
  perTensorQuant,
  required,
  tensorAt,
  type Kernel,
  type KernelInputs,
} from '../kernel.js';
import { paddedAxis } from '../math/padding.js';
import {
  activationRangeFloat,
  activationRangeInt8,
  clampInt8,
  multiplyByQuantizedMultiplier,
  quantizeMultiplier,
} from '../math/quant-math.js';

/**
 * CONV_2D. Filters are OHWI; grouped convolution (Cin a multiple of the
 * filter's input depth) is supported like TFLM's reference. The int8 kernel is
 * TFLM's reference_integer_ops::ConvPerChannel: acc = Σ w·(x − in_zp) over
 * in-bounds taps, + bias, requantised per output channel with
 * M[c] = in_s·w_s[c]/out_s in double.
 */

interface ConvGeometry {
  batches: number;
  inH: number;
  inW: number;
  inC: number;
  outH: number;
  outW: number;
  outC: number;
  kH: number;
  kW: number;
  /** Filter input depth; inC / filterC groups. */
  filterC: number;
  strideH: number;
  strideW: number;
  dilationH: number;
  dilationW: number;
  padTop: number;
  padLeft: number;
}

function geometry(op: OpOf<'CONV_2D'>, graph: Graph): ConvGeometry {
  const input = tensorAt(graph, op, 0);
  const filter = tensorAt(graph, op, 1);
  const output = outputAt(graph, op);
  expectRank(op, input, 4);
  expectRank(op, filter, 4);
  const [batches, inH, inW, inC] = input.shape as [number, number, number, number];
  const [outC, kH, kW, filterC] = filter.shape as [number, number, number, number];
  const o = op.options;
  if (filterC <= 0 || inC % filterC !== 0 || outC % (inC / filterC) !== 0) {
    expectShape(op, filter, [outC, kH, kW, inC]);
  }
  const h = paddedAxis(o.padding, inH, kH, o.strideH, o.dilationH);
  const w = paddedAxis(o.padding, inW, kW, o.strideW, o.dilationW);
  expectShape(op, output, [batches, h.out, w.out, outC]);
  return {
    batches,
    inH,
    inW,
    inC,
    outH: h.out,
    outW: w.out,
    outC,
    kH,
    kW,
    filterC,
    strideH: o.strideH,
    strideW: o.strideW,
    dilationH: o.dilationH,
    dilationW: o.dilationW,
    padTop: h.before,
    padLeft: w.before,
  };
}

/** First and one-past-last filter tap whose input coordinate origin + d·k lies in [0, size). */
export function tapRange(origin: number, dilation: number, taps: number, size: number): [number, number] {
  const start = origin >= 0 ? 0 : Math.ceil(-origin / dilation);
  const end = Math.min(taps, Math.floor((size - 1 - origin) / dilation) + 1);
  return [start, Math.max(start, end)];
}

/**
 * Raw sums Σ w·x over in-bounds taps for every output element (NHWC order).
 * For int8, x holds (q − in_zp) so the sums are exact integers below 2^53
 * and the summation order cannot change them.
 *
 * The filter is first transposed to [kH][kW][filterC][outC] so the innermost
 * loop runs over contiguous output channels: V8 keeps that loop tight, which
 * makes calibration (many float runs) several times faster.
 */
function accumulate(g: ConvGeometry, x: Float64Array, w: ArrayLike<number>, acc: Float64Array): void {
  const { outC, kH, kW, filterC } = g;
  const wT = new Float64Array(outC * kH * kW * filterC);
  for (let oc = 0; oc < outC; oc++)
    for (let ky = 0; ky < kH; ky++)
      for (let kx = 0; kx < kW; kx++)
        for (let c = 0; c < filterC; c++) wT[((ky * kW + kx) * filterC + c) * outC + oc] = w[((oc * kH + ky) * kW + kx) * filterC + c]!;
  const filtersPerGroup = outC / (g.inC / filterC);
  const groups = g.inC / filterC;
  const row = new Float64Array(outC);
  let out = 0;
  for (let n = 0; n < g.batches; n++) {
    const batchBase = n * g.inH * g.inW * g.inC;
    for (let oy = 0; oy < g.outH; oy++) {
      const iy0 = oy * g.strideH - g.padTop;
      const [ky0, ky1] = tapRange(iy0, g.dilationH, kH, g.inH);
      for (let ox = 0; ox < g.outW; ox++) {
        const ix0 = ox * g.strideW - g.padLeft;
        const [kx0, kx1] = tapRange(ix0, g.dilationW, kW, g.inW);
        row.fill(0);
        for (let gi = 0; gi < groups; gi++) {
          const oc0 = gi * filtersPerGroup;
          const oc1 = oc0 + filtersPerGroup;
          for (let ky = ky0; ky < ky1; ky++) {
            const rowBase = batchBase + (iy0 + g.dilationH * ky) * g.inW * g.inC + gi * filterC;
            for (let kx = kx0; kx < kx1; kx++) {
              const xi = rowBase + (ix0 + g.dilationW * kx) * g.inC;
              const wTap = (ky * kW + kx) * filterC * outC;
              for (let c = 0; c < filterC; c++) {
                const xv = x[xi + c]!;
                if (xv === 0) continue;
                const wi = wTap + c * outC;
                for (let oc = oc0; oc < oc1; oc++) row[oc]! += wT[wi + oc]! * xv;
              }
            }
          }
        }
        acc.set(row, out);
        out += outC;
      }
    }
  }
}

function convFloat(op: Op, graph: Graph, inputs: KernelInputs) {
  const conv = op as OpOf<'CONV_2D'>;
  const g = geometry(conv, graph);
  const x = required<Float32Array>(inputs, 0, op);
  const w = required<Float32Array>(inputs, 1, op);
  const bias = inputs[2] as Float32Array | undefined;
  const acc = new Float64Array(g.batches * g.outH * g.outW * g.outC);
  accumulate(g, Float64Array.from(x), w, acc);
  const { min, max } = activationRangeFloat(conv.options.activation);
  const out = allocateFor(outputAt(graph, op)) as Float32Array;
  for (let i = 0; i < acc.length; i++) {
    const v = acc[i]! + (bias ? bias[i % g.outC]! : 0);
    out[i] = v < min ? min : v > max ? max : v;
  }
  return [out];
}

function convInt8(op: Op, graph: Graph, inputs: KernelInputs) {
  const conv = op as OpOf<'CONV_2D'>;
  const g = geometry(conv, graph);
  const inQ = perTensorQuant(tensorAt(graph, op, 0), op);
  const output = outputAt(graph, op);
  const outQ = perTensorQuant(output, op);
  const wScales = channelScales(tensorAt(graph, op, 1), g.outC, op);
  const x = required<Int8Array>(inputs, 0, op);
  const w = required<Int8Array>(inputs, 1, op);
  const bias = inputs[2] as Int32Array | undefined;

  const centred = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) centred[i] = x[i]! - inQ.zeroPoint;
  const acc = new Float64Array(g.batches * g.outH * g.outW * g.outC);
  accumulate(g, centred, w, acc);
  return [
    requantizePerChannel(
      acc,
      g.outC,
      bias,
      inQ.scale,
      wScales,
      outQ.zeroPoint,
      outQ.scale,
      activationRangeInt8(conv.options.activation, outQ.scale, outQ.zeroPoint),
    ),
  ];
}

/**
 * The shared epilogue of TFLM's per-channel kernels: + bias (int32 wrap),
 * MultiplyByQuantizedMultiplier with M[c] = in_s·w_s[c]/out_s, + out_zp, clamp.
 */
export function requantizePerChannel(
  acc: Float64Array,
  channels: number,
  bias: Int32Array | undefined,
  inScale: number,
  wScales: Float64Array,
  outZeroPoint: number,
  outScale: number,
  range: { min: number; max: number },
): Int8Array {
  const { multiplier, shift } = perChannelMultipliers(inScale, wScales, outScale);
  const out = new Int8Array(acc.length);
  for (let i = 0; i < acc.length; i++) {
    const c = i % channels;
    const sum = (acc[i]! + (bias ? bias[c]! : 0)) | 0;
    const v = multiplyByQuantizedMultiplier(sum, multiplier[c]!, shift[c]!) + outZeroPoint;
    out[i] = clampInt8(v < range.min ? range.min : v > range.max ? range.max : v);
  }
  return out;
}

/** Per output channel: QuantizeMultiplier(in_s·w_s[c] / out_s), in double, as TFLM's per-channel Prepare. */
export function perChannelMultipliers(
  inScale: number,
  wScales: Float64Array,
  outScale: number,
): { multiplier: Int32Array; shift: Int32Array } {
  const multiplier = new Int32Array(wScales.length);
  const shift = new Int32Array(wScales.length);
  for (let c = 0; c < wScales.length; c++) {
    const q = quantizeMultiplier((inScale * wScales[c]!) / outScale);
    multiplier[c] = q.multiplier;
    shift[c] = q.shift;
  }
  return { multiplier, shift };
}

export const conv2d: Kernel = { float: convFloat, int8: convInt8 };
