import { fail } from '../../util/index.js';
import { tensorSize, type Graph, type Op, type OpOf } from '../../ir/index.js';
import { allocateFor, expectShape, outputAt, perTensorQuant, required, tensorAt, type Kernel, type KernelInputs } from '../kernel.js';
import { activationRangeFloat, activationRangeInt8, multiplyByQuantizedMultiplier, quantizeMultiplier } from '../math/quant-math.js';
import { broadcastIndex, broadcastShape } from './broadcast.js';

/**
 * ADD with broadcasting. The int8 kernel is TFLM's add_common.cc +
 * reference_integer_ops AddFunc: both inputs are shifted left by 20 bits,
 * rescaled to twice the larger input scale, summed, and rescaled to the output:
 *   m1 = s1/(2·max(s1,s2)), m2 = s2/(2·max(s1,s2)), mo = 2·max(s1,s2)/(2^20·out_s).
 */

function layout(op: Op, graph: Graph) {
  const a = tensorAt(graph, op, 0);
  const b = tensorAt(graph, op, 1);
  const output = outputAt(graph, op);
  const shape = broadcastShape(a.shape, b.shape);
  if (!shape)
    fail(
      'SHAPE_MISMATCH',
      `op '${op.name}' (ADD): inputs '${a.name}' [${a.shape.join(', ')}] and '${b.name}' [${b.shape.join(', ')}] do not broadcast`,
    );
  expectShape(op, output, shape);
  const same = tensorSize(a.shape) === tensorSize(shape) && tensorSize(b.shape) === tensorSize(shape);
  return {
    size: tensorSize(shape),
    indexA: same ? undefined : broadcastIndex(a.shape, shape),
    indexB: same ? undefined : broadcastIndex(b.shape, shape),
  };
}

function addFloat(op: Op, graph: Graph, inputs: KernelInputs) {
  const { size, indexA, indexB } = layout(op, graph);
  const a = required<Float32Array>(inputs, 0, op);
  const b = required<Float32Array>(inputs, 1, op);
  const { min, max } = activationRangeFloat((op as OpOf<'ADD'>).options.activation);
  const out = allocateFor(outputAt(graph, op)) as Float32Array;
  for (let i = 0; i < size; i++) {
    const v = Math.fround(a[indexA ? indexA[i]! : i]! + b[indexB ? indexB[i]! : i]!);
    out[i] = v < min ? min : v > max ? max : v;
  }
  return [out];
}

const LEFT_SHIFT = 20;

/** The int8 ADD parameters as TFLM's CalculateOpDataAdd derives them. */
export function addParams(scaleA: number, scaleB: number, outScale: number) {
  const twiceMax = 2 * Math.max(scaleA, scaleB);
  const realA = scaleA / twiceMax;
  const realB = scaleB / twiceMax;
  const realOut = twiceMax / (2 ** LEFT_SHIFT * outScale);
  return { a: quantizeMultiplier(realA), b: quantizeMultiplier(realB), out: quantizeMultiplier(realOut), realOut };
}

function addInt8(op: Op, graph: Graph, inputs: KernelInputs) {
  const { size, indexA, indexB } = layout(op, graph);
  const qa = perTensorQuant(tensorAt(graph, op, 0), op);
  const qb = perTensorQuant(tensorAt(graph, op, 1), op);
  const qo = perTensorQuant(outputAt(graph, op), op);
  const p = addParams(qa.scale, qb.scale, qo.scale);
  if (!(p.realOut < 1)) {
    fail(
      'QUANTIZATION',
      `op '${op.name}' (ADD): output scale ${qo.scale} is too small for input scales ${qa.scale}, ${qb.scale} (TFLM needs 2·max(in)/(2^20·out) < 1); widen the output range`,
    );
  }
  const { min, max } = activationRangeInt8((op as OpOf<'ADD'>).options.activation, qo.scale, qo.zeroPoint);
  const a = required<Int8Array>(inputs, 0, op);
  const b = required<Int8Array>(inputs, 1, op);
  const out = new Int8Array(size);
  const shiftUnit = 1 << LEFT_SHIFT;
  for (let i = 0; i < size; i++) {
    const va = (a[indexA ? indexA[i]! : i]! - qa.zeroPoint) * shiftUnit;
    const vb = (b[indexB ? indexB[i]! : i]! - qb.zeroPoint) * shiftUnit;
    const scaledA = multiplyByQuantizedMultiplier(va, p.a.multiplier, p.a.shift);
    const scaledB = multiplyByQuantizedMultiplier(vb, p.b.multiplier, p.b.shift);
    const raw = multiplyByQuantizedMultiplier((scaledA + scaledB) | 0, p.out.multiplier, p.out.shift) + qo.zeroPoint;
    out[i] = raw < min ? min : raw > max ? max : raw;
  }
  return [out];
}

export const add: Kernel = { float: addFloat, int8: addInt8 };
