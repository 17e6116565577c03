import { fail } from '../../util/index.js';
import { tensorSize, type Graph, type Op, type OpOf } from '../../ir/index.js';
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
import {
  activationRangeFloat,
  activationRangeInt8,
  clampInt8,
  multiplyByQuantizedMultiplier,
  quantizeMultiplier,
} from '../math/quant-math.js';

/**
 * FULLY_CONNECTED. Weights [units, depth]; the input is read as
 * [size/depth, depth]. The int8 kernel is TFLM's
 * reference_integer_ops::FullyConnected. Per-tensor weights (what the Arduino
 * library supports) use M = (double)(float)(in_s·w_s) / out_s: the product is
 * rounded to float32 first (GetQuantizedConvolutionMultipler). Per-channel
 * weights use in_s·w_s[c]/out_s in double, as newer TFLM does.
 */

function geometry(op: OpOf<'FULLY_CONNECTED'>, graph: Graph) {
  const input = tensorAt(graph, op, 0);
  const filter = tensorAt(graph, op, 1);
  const output = outputAt(graph, op);
  expectRank(op, filter, 2);
  const [units, depth] = filter.shape as [number, number];
  const size = tensorSize(input.shape);
  if (depth <= 0 || size % depth !== 0) {
    fail(
      'SHAPE_MISMATCH',
      `op '${op.name}' (FULLY_CONNECTED): input '${input.name}' [${input.shape.join(', ')}] has ${size} values, not a multiple of the weights' depth ${depth}`,
    );
  }
  const batches = size / depth;
  const expected = op.options.keepNumDims ? [...input.shape.slice(0, -1), units] : [batches, units];
  expectShape(op, output, expected);
  return { units, depth, batches };
}

function fcFloat(op: Op, graph: Graph, inputs: KernelInputs) {
  const fc = op as OpOf<'FULLY_CONNECTED'>;
  const { units, depth, batches } = geometry(fc, graph);
  const x = required<Float32Array>(inputs, 0, op);
  const w = required<Float32Array>(inputs, 1, op);
  const bias = inputs[2] as Float32Array | undefined;
  const { min, max } = activationRangeFloat(fc.options.activation);
  const out = allocateFor(outputAt(graph, op)) as Float32Array;
  for (let b = 0; b < batches; b++) {
    for (let u = 0; u < units; u++) {
      let sum = bias ? bias[u]! : 0;
      for (let d = 0; d < depth; d++) sum += w[u * depth + d]! * x[b * depth + d]!;
      out[b * units + u] = sum < min ? min : sum > max ? max : sum;
    }
  }
  return [out];
}

function fcInt8(op: Op, graph: Graph, inputs: KernelInputs) {
  const fc = op as OpOf<'FULLY_CONNECTED'>;
  const { units, depth, batches } = geometry(fc, graph);
  const inQ = perTensorQuant(tensorAt(graph, op, 0), op);
  const filter = tensorAt(graph, op, 1);
  const output = outputAt(graph, op);
  const outQ = perTensorQuant(output, op);
  const perChannel = (filter.quant?.scale.length ?? 0) > 1;
  const wScales = channelScales(filter, perChannel ? units : 1, op);
  const filterOffset = -(filter.quant?.zeroPoint[0] ?? 0);
  const { multiplier, shift } = fullyConnectedMultipliers(inQ.scale, wScales, perChannel, outQ.scale, units);
  const x = required<Int8Array>(inputs, 0, op);
  const w = required<Int8Array>(inputs, 1, op);
  const bias = inputs[2] as Int32Array | undefined;
  const range = activationRangeInt8(fc.options.activation, outQ.scale, outQ.zeroPoint);
  const out = new Int8Array(batches * units);
  for (let b = 0; b < batches; b++) {
    for (let u = 0; u < units; u++) {
      let acc = 0;
      for (let d = 0; d < depth; d++) acc += (w[u * depth + d]! + filterOffset) * (x[b * depth + d]! - inQ.zeroPoint);
      acc = (acc + (bias ? bias[u]! : 0)) | 0;
      const v = multiplyByQuantizedMultiplier(acc, multiplier[u]!, shift[u]!) + outQ.zeroPoint;
      out[b * units + u] = clampInt8(v < range.min ? range.min : v > range.max ? range.max : v);
    }
  }
  return [out];
}

/** One multiplier and shift per unit: per-channel in double, or the per-tensor float32 product (see above). */
export function fullyConnectedMultipliers(
  inScale: number,
  wScales: Float64Array,
  perChannel: boolean,
  outScale: number,
  units: number,
): { multiplier: Int32Array; shift: Int32Array } {
  const multiplier = new Int32Array(units);
  const shift = new Int32Array(units);
  for (let u = 0; u < units; u++) {
    const real = perChannel ? (inScale * wScales[u]!) / outScale : Math.fround(inScale * wScales[0]!) / outScale;
    const q = quantizeMultiplier(real);
    multiplier[u] = q.multiplier;
    shift[u] = q.shift;
  }
  return { multiplier, shift };
}

export const fullyConnected: Kernel = { float: fcFloat, int8: fcInt8 };
