import { fail } from '../../util/index.js';
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
import { requantizePerChannel } from './conv2d.js';

/**
 * TRANSPOSE_CONV. Inputs [outputShape, filter OHWI, input, bias?]. Each input
 * pixel scatters filter·x into the output window at (y·stride − pad). TFLM
 * derives the pad by running ComputePaddingHeightWidth on the *output* size
 * (transpose_conv.cc), which this follows. The int8 kernel is
 * reference_integer_ops::TransposeConv, per-channel on axis 0.
 */

function geometry(op: OpOf<'TRANSPOSE_CONV'>, graph: Graph, outputShapeData: Int32Array | undefined) {
  const filter = tensorAt(graph, op, 1);
  const input = tensorAt(graph, op, 2);
  const output = outputAt(graph, op);
  expectRank(op, input, 4);
  expectRank(op, filter, 4);
  expectRank(op, output, 4);
  const [batches, inH, inW, inC] = input.shape as [number, number, number, number];
  const [outC, kH, kW] = filter.shape as [number, number, number, number];
  expectShape(op, filter, [outC, kH, kW, inC]);
  const [, outH, outW] = output.shape as [number, number, number, number];
  expectShape(op, output, [batches, outH, outW, outC]);
  if (outputShapeData && Array.from(outputShapeData).some((d, i) => d !== output.shape[i])) {
    fail(
      'SHAPE_MISMATCH',
      `op '${op.name}' (TRANSPOSE_CONV): output_shape operand [${Array.from(outputShapeData).join(', ')}] differs from output '${output.name}' [${output.shape.join(', ')}]`,
    );
  }
  const o = op.options;
  const padTop = paddedAxis(o.padding, outH, kH, o.strideH).before;
  const padLeft = paddedAxis(o.padding, outW, kW, o.strideW).before;
  return { batches, inH, inW, inC, outH, outW, outC, kH, kW, strideH: o.strideH, strideW: o.strideW, padTop, padLeft };
}

type Geometry = ReturnType<typeof geometry>;

function scatter(g: Geometry, x: ArrayLike<number>, w: ArrayLike<number>, acc: Float64Array): void {
  for (let n = 0; n < g.batches; n++) {
    for (let iy = 0; iy < g.inH; iy++) {
      for (let ix = 0; ix < g.inW; ix++) {
        const xBase = ((n * g.inH + iy) * g.inW + ix) * g.inC;
        const oy0 = iy * g.strideH - g.padTop;
        const ox0 = ix * g.strideW - g.padLeft;
        for (let ky = 0; ky < g.kH; ky++) {
          const oy = oy0 + ky;
          if (oy < 0 || oy >= g.outH) continue;
          for (let kx = 0; kx < g.kW; kx++) {
            const ox = ox0 + kx;
            if (ox < 0 || ox >= g.outW) continue;
            const outBase = ((n * g.outH + oy) * g.outW + ox) * g.outC;
            for (let oc = 0; oc < g.outC; oc++) {
              const wBase = ((oc * g.kH + ky) * g.kW + kx) * g.inC;
              let sum = 0;
              for (let ic = 0; ic < g.inC; ic++) sum += x[xBase + ic]! * w[wBase + ic]!;
              acc[outBase + oc]! += sum;
            }
          }
        }
      }
    }
  }
}

function transposeConvFloat(op: Op, graph: Graph, inputs: KernelInputs) {
  const tc = op as OpOf<'TRANSPOSE_CONV'>;
  const g = geometry(tc, graph, inputs[0] as Int32Array | undefined);
  const w = required<Float32Array>(inputs, 1, op);
  const x = required<Float32Array>(inputs, 2, op);
  const bias = inputs[3] as Float32Array | undefined;
  const acc = new Float64Array(g.batches * g.outH * g.outW * g.outC);
  scatter(g, x, w, acc);
  const { min, max } = activationRangeFloat(tc.options.activation);
  const out = allocateFor(outputAt(graph, op)) as Float32Array;
  for (let i = 0; i < acc.length; i++) {
    const v = acc[i]! + (bias ? bias[i % g.outC]! : 0);
    out[i] = v < min ? min : v > max ? max : v;
  }
  return [out];
}

function transposeConvInt8(op: Op, graph: Graph, inputs: KernelInputs) {
  const tc = op as OpOf<'TRANSPOSE_CONV'>;
  const g = geometry(tc, graph, inputs[0] as Int32Array | undefined);
  const inQ = perTensorQuant(tensorAt(graph, op, 2), op);
  const outQ = perTensorQuant(outputAt(graph, op), op);
  const wScales = channelScales(tensorAt(graph, op, 1), g.outC, op);
  const w = required<Int8Array>(inputs, 1, op);
  const x = required<Int8Array>(inputs, 2, op);
  const bias = inputs[3] as Int32Array | undefined;
  const centred = new Int16Array(x.length);
  for (let i = 0; i < x.length; i++) centred[i] = x[i]! - inQ.zeroPoint;
  const acc = new Float64Array(g.batches * g.outH * g.outW * g.outC);
  scatter(g, centred, w, acc);
  const range = activationRangeInt8(tc.options.activation, outQ.scale, outQ.zeroPoint);
  return [requantizePerChannel(acc, g.outC, bias, inQ.scale, wScales, outQ.zeroPoint, outQ.scale, range)];
}

export const transposeConv: Kernel = { float: transposeConvFloat, int8: transposeConvInt8 };
