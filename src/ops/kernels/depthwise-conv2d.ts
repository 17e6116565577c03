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
import { activationRangeFloat, activationRangeInt8 } from '../math/quant-math.js';
import { requantizePerChannel, tapRange } from './conv2d.js';

/**
 * DEPTHWISE_CONV_2D. Filter [1, Kh, Kw, Cin·multiplier]; output channel
 * m + c·multiplier reads input channel c. The int8 kernel is TFLM's
 * reference_integer_ops::DepthwiseConvPerChannel (per-channel scales on axis 3).
 */

interface DepthwiseGeometry {
  batches: number;
  inH: number;
  inW: number;
  inC: number;
  outH: number;
  outW: number;
  outC: number;
  kH: number;
  kW: number;
  multiplier: number;
  strideH: number;
  strideW: number;
  dilationH: number;
  dilationW: number;
  padTop: number;
  padLeft: number;
}

function geometry(op: OpOf<'DEPTHWISE_CONV_2D'>, graph: Graph): DepthwiseGeometry {
  const input = tensorAt(graph, op, 0);
  const filter = tensorAt(graph, op, 1);
  const output = outputAt(graph, op);
  expectRank(op, input, 4);
  expectRank(op, filter, 4);
  const [batches, inH, inW, inC] = input.shape as [number, number, number, number];
  const [, kH, kW] = filter.shape as [number, number, number, number];
  const o = op.options;
  const outC = inC * o.depthMultiplier;
  expectShape(op, filter, [1, kH, kW, outC]);
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
    multiplier: o.depthMultiplier,
    strideH: o.strideH,
    strideW: o.strideW,
    dilationH: o.dilationH,
    dilationW: o.dilationW,
    padTop: h.before,
    padLeft: w.before,
  };
}

function accumulate(g: DepthwiseGeometry, x: ArrayLike<number>, w: ArrayLike<number>, acc: Float64Array): void {
  let out = 0;
  for (let n = 0; n < g.batches; n++) {
    const batchBase = n * g.inH * g.inW * g.inC;
    for (let oy = 0; oy < g.outH; oy++) {
      const iy0 = oy * g.strideH - g.padTop;
      const [ky0, ky1] = tapRange(iy0, g.dilationH, g.kH, g.inH);
      for (let ox = 0; ox < g.outW; ox++) {
        const ix0 = ox * g.strideW - g.padLeft;
        const [kx0, kx1] = tapRange(ix0, g.dilationW, g.kW, g.inW);
        for (let oc = 0; oc < g.outC; oc++, out++) {
          const ic = Math.floor(oc / g.multiplier);
          let sum = 0;
          for (let ky = ky0; ky < ky1; ky++) {
            const rowBase = batchBase + (iy0 + g.dilationH * ky) * g.inW * g.inC + ic;
            const wRow = ky * g.kW * g.outC + oc;
            for (let kx = kx0; kx < kx1; kx++) {
              sum += w[wRow + kx * g.outC]! * x[rowBase + (ix0 + g.dilationW * kx) * g.inC]!;
            }
          }
          acc[out] = sum;
        }
      }
    }
  }
}

function depthwiseFloat(op: Op, graph: Graph, inputs: KernelInputs) {
  const dw = op as OpOf<'DEPTHWISE_CONV_2D'>;
  const g = geometry(dw, graph);
  const x = required<Float32Array>(inputs, 0, op);
  const w = required<Float32Array>(inputs, 1, op);
  const bias = inputs[2] as Float32Array | undefined;
  const acc = new Float64Array(g.batches * g.outH * g.outW * g.outC);
  accumulate(g, x, w, acc);
  const { min, max } = activationRangeFloat(dw.options.activation);
  const out = allocateFor(outputAt(graph, op)) as Float32Array;
  for (let i = 0; i < acc.length; i++) {
    const v = acc[i]! + (bias ? bias[i % g.outC]! : 0);
    out[i] = v < min ? min : v > max ? max : v;
  }
  return [out];
}

function depthwiseInt8(op: Op, graph: Graph, inputs: KernelInputs) {
  const dw = op as OpOf<'DEPTHWISE_CONV_2D'>;
  const g = geometry(dw, graph);
  const inQ = perTensorQuant(tensorAt(graph, op, 0), op);
  const outQ = perTensorQuant(outputAt(graph, op), op);
  const wScales = channelScales(tensorAt(graph, op, 1), g.outC, op);
  const x = required<Int8Array>(inputs, 0, op);
  const w = required<Int8Array>(inputs, 1, op);
  const bias = inputs[2] as Int32Array | undefined;
  const centred = new Int16Array(x.length);
  for (let i = 0; i < x.length; i++) centred[i] = x[i]! - inQ.zeroPoint;
  const acc = new Float64Array(g.batches * g.outH * g.outW * g.outC);
  accumulate(g, centred, w, acc);
  const range = activationRangeInt8(dw.options.activation, outQ.scale, outQ.zeroPoint);
  return [requantizePerChannel(acc, g.outC, bias, inQ.scale, wScales, outQ.zeroPoint, outQ.scale, range)];
}

export const depthwiseConv2d: Kernel = { float: depthwiseFloat, int8: depthwiseInt8 };
