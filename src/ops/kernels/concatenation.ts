import { fail } from '../../util/index.js';
import type { Graph, Op, OpOf, TensorData } from '../../ir/index.js';
import { allocateFor, expectShape, outputAt, perTensorQuant, required, tensorAt, type Kernel, type KernelInputs } from '../kernel.js';
import { activationRangeFloat, activationRangeInt8, roundHalfAwayFromZero } from '../math/quant-math.js';

/**
 * CONCATENATION along one axis. An int8 input whose params equal the output's
 * is copied (the only case TFLM and TFLite accept for int8; the quantiser keeps
 * concat operands in one group). Otherwise it is requantised with TFLite's
 * ConcatenationWithScaling arithmetic in float32:
 *   q_out = round(q·(in_s·(1/out_s)) − in_zp·(in_s·(1/out_s))) + out_zp.
 */

function layout(op: OpOf<'CONCATENATION'>, graph: Graph) {
  const output = outputAt(graph, op);
  const rank = output.shape.length;
  const axis = op.options.axis < 0 ? op.options.axis + rank : op.options.axis;
  if (axis < 0 || axis >= rank)
    fail('BAD_ARGUMENT', `op '${op.name}' (CONCATENATION): axis ${op.options.axis} is out of range for rank ${rank}`);
  let along = 0;
  const parts = op.inputs.map((_, i) => {
    const t = tensorAt(graph, op, i);
    expectShape(
      op,
      t,
      output.shape.map((d, k) => (k === axis ? t.shape[k]! : d)),
    );
    along += t.shape[axis]!;
    return t;
  });
  expectShape(
    op,
    output,
    output.shape.map((d, k) => (k === axis ? along : d)),
  );
  const outer = output.shape.slice(0, axis).reduce((p, d) => p * d, 1);
  const inner = output.shape.slice(axis + 1).reduce((p, d) => p * d, 1);
  return { parts, outer, copySizes: parts.map((t) => t.shape[axis]! * inner) };
}

function concat(op: Op, graph: Graph, inputs: KernelInputs, convert: (part: number, v: number) => number): TensorData[] {
  const { parts, outer, copySizes } = layout(op as OpOf<'CONCATENATION'>, graph);
  const out = allocateFor(outputAt(graph, op)) as Float32Array | Int8Array;
  let o = 0;
  for (let k = 0; k < outer; k++) {
    for (let p = 0; p < parts.length; p++) {
      const x = required<Float32Array | Int8Array>(inputs, p, op);
      const n = copySizes[p]!;
      for (let j = 0; j < n; j++) out[o++] = convert(p, x[k * n + j]!);
    }
  }
  return [out];
}

function concatFloat(op: Op, graph: Graph, inputs: KernelInputs) {
  const { min, max } = activationRangeFloat((op as OpOf<'CONCATENATION'>).options.activation);
  return concat(op, graph, inputs, (_, v) => (v < min ? min : v > max ? max : v));
}

function concatInt8(op: Op, graph: Graph, inputs: KernelInputs) {
  const outQ = perTensorQuant(outputAt(graph, op), op);
  const { min, max } = activationRangeInt8((op as OpOf<'CONCATENATION'>).options.activation, outQ.scale, outQ.zeroPoint);
  const inverseOut = Math.fround(1 / outQ.scale);
  const rescale = op.inputs.map((_, i) => {
    const q = perTensorQuant(tensorAt(graph, op, i), op);
    if (q.scale === outQ.scale && q.zeroPoint === outQ.zeroPoint) return undefined;
    const scale = Math.fround(q.scale * inverseOut);
    return { scale, bias: Math.fround(-q.zeroPoint * scale) };
  });
  return concat(op, graph, inputs, (p, v) => {
    const r = rescale[p];
    const q = r ? roundHalfAwayFromZero(Math.fround(Math.fround(v * r.scale) + r.bias)) + outQ.zeroPoint : v;
    return q < min ? min : q > max ? max : q;
  });
}

export const concatenation: Kernel = { float: concatFloat, int8: concatInt8 };
