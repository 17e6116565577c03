import { fail } from '../../util/index.js';
import { tensorSize, type Graph, type Op, type OpOf } from '../../ir/index.js';
import { allocateFor, expectShape, outputAt, perTensorQuant, required, tensorAt, type Kernel, type KernelInputs } from '../kernel.js';
import { clampInt8, multiplyByQuantizedMultiplier, quantizeMultiplier } from '../math/quant-math.js';

/**
 * MEAN over the given axes (keep_dims or not). The int8 kernel follows TFLM's
 * current reference (reduce_common.cc → reference_ops::QuantizedMeanOrSum,
 * aligned with TFLite since 2023): sum (q − in_zp) in int32, then one
 * MultiplyByQuantizedMultiplier whose multiplier folds in_s/out_s and 1/n:
 *   (M, s) = QuantizeMultiplier(in_s/out_s); k = min(⌊log2 n⌋, 32, 31 + s);
 *   M' = ⌊(M·2^k)/n⌋ (int64); s' = s − k.
 * This requantises whether or not the scales differ.
 */

interface Reduction {
  /** For each input element in order, the flat index of its output element. */
  outputIndexOf: Int32Array;
  outputSize: number;
  /** Elements averaged into each output. */
  count: number;
}

function reduction(op: OpOf<'MEAN'>, graph: Graph, axesData: Int32Array): Reduction {
  const input = tensorAt(graph, op, 0);
  const output = outputAt(graph, op);
  const rank = input.shape.length;
  const reduced = new Array<boolean>(rank).fill(false);
  for (const a of axesData) {
    const axis = a < 0 ? a + rank : a;
    if (axis < 0 || axis >= rank)
      fail('BAD_ARGUMENT', `op '${op.name}' (MEAN): axis ${a} is out of range for input '${input.name}' of rank ${rank}`);
    reduced[axis] = true;
  }
  const keptShape = input.shape.map((d, i) => (reduced[i] ? 1 : d));
  expectShape(op, output, op.options.keepDims ? keptShape : input.shape.filter((_, i) => !reduced[i]));
  // Output strides over the kept-dims layout; reduced axes contribute 0.
  const strides = new Array<number>(rank).fill(0);
  let s = 1;
  for (let i = rank - 1; i >= 0; i--) {
    strides[i] = reduced[i] ? 0 : s;
    s *= keptShape[i]!;
  }
  const size = tensorSize(input.shape);
  const outputIndexOf = new Int32Array(size);
  const idx = new Array<number>(rank).fill(0);
  let outIdx = 0;
  for (let i = 0; i < size; i++) {
    outputIndexOf[i] = outIdx;
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]!++;
      outIdx += strides[d]!;
      if (idx[d]! < input.shape[d]!) break;
      outIdx -= strides[d]! * idx[d]!;
      idx[d] = 0;
    }
  }
  const outputSize = tensorSize(keptShape);
  return { outputIndexOf, outputSize, count: outputSize === 0 ? 0 : size / outputSize };
}

function meanFloat(op: Op, graph: Graph, inputs: KernelInputs) {
  const r = reduction(op as OpOf<'MEAN'>, graph, required<Int32Array>(inputs, 1, op));
  const x = required<Float32Array>(inputs, 0, op);
  const sums = new Float64Array(r.outputSize);
  for (let i = 0; i < x.length; i++) sums[r.outputIndexOf[i]!]! += x[i]!;
  const out = allocateFor(outputAt(graph, op)) as Float32Array;
  for (let o = 0; o < r.outputSize; o++) out[o] = sums[o]! / r.count;
  return [out];
}

/** The multiplier and shift TFLM uses for a mean of `count` int8 values. */
export function meanMultiplier(inScale: number, outScale: number, count: number): { multiplier: number; shift: number } {
  const base = quantizeMultiplier(inScale / outScale);
  if (count < 1 || count >= 2 ** 32) fail('RESOURCE_LIMIT', `MEAN over ${count} elements is outside what TFLM's int8 mean handles`);
  const floorLog2 = 31 - Math.clz32(count);
  const k = Math.min(floorLog2, 32, 31 + base.shift);
  const multiplier = Number((BigInt(base.multiplier) << BigInt(k)) / BigInt(count));
  return { multiplier: multiplier | 0, shift: base.shift - k };
}

function meanInt8(op: Op, graph: Graph, inputs: KernelInputs) {
  const r = reduction(op as OpOf<'MEAN'>, graph, required<Int32Array>(inputs, 1, op));
  const inQ = perTensorQuant(tensorAt(graph, op, 0), op);
  const outQ = perTensorQuant(outputAt(graph, op), op);
  const x = required<Int8Array>(inputs, 0, op);
  const sums = new Float64Array(r.outputSize);
  for (let i = 0; i < x.length; i++) sums[r.outputIndexOf[i]!]! += x[i]!;
  const out = new Int8Array(r.outputSize);
  if (r.count === 0) return [out];
  const { multiplier, shift } = meanMultiplier(inQ.scale, outQ.scale, r.count);
  for (let o = 0; o < r.outputSize; o++) {
    const centred = (sums[o]! - inQ.zeroPoint * r.count) | 0;
    out[o] = clampInt8(multiplyByQuantizedMultiplier(centred, multiplier, shift) + outQ.zeroPoint);
  }
  return [out];
}

export const mean: Kernel = { float: meanFloat, int8: meanInt8 };
