import { fail } from '../../../../util/index.js';
import { tensorSize, type Graph, type Op, type Tensor } from '../../../../ir/index.js';
import { perTensorQuant, type TensorQuant } from '../../../../ops/index.js';
import { cArray, type CElementType } from '../literals.js';
import type { Step } from '../types.js';

/** Helpers every op emitter shares: tensors, their int8 params, and the error for what the C runtime refuses. */

export function input(graph: Graph, op: Op, index: number): Tensor {
  const id = op.inputs[index];
  const t = id === undefined || id < 0 ? undefined : graph.tensors[id];
  if (!t) fail('BAD_ARGUMENT', `${graph.name}: op '${op.name}' (${op.kind}) has no input ${index}; check the graph's op inputs`);
  return t;
}

export function optionalInput(graph: Graph, op: Op, index: number): Tensor | undefined {
  const id = op.inputs[index];
  return id === undefined || id < 0 ? undefined : graph.tensors[id];
}

export function output(graph: Graph, op: Op): Tensor {
  const t = graph.tensors[op.outputs[0] ?? -1];
  if (!t) fail('BAD_ARGUMENT', `${graph.name}: op '${op.name}' (${op.kind}) has no output; check the graph's op outputs`);
  return t;
}

/** The data of a constant operand, or a clear error when the graph feeds it at run time. */
export function constant<T extends Int8Array | Int32Array>(
  graph: Graph,
  op: Op,
  index: number,
  ctor: { new (n: number): T; name: string },
): T {
  const t = input(graph, op, index);
  if (!t.data || !(t.data instanceof ctor)) {
    unsupported(graph, op, `its input ${index} ('${t.name}') must be a constant ${ctor.name === 'Int8Array' ? 'int8' : 'int32'} tensor`);
  }
  return t.data;
}

/** Per-tensor int8 params, as the interpreter reads them (scale rounded to float32); the zero point must be an int8. */
export function q8(t: Tensor, op: Op): TensorQuant {
  const q = perTensorQuant(t, op);
  if (!Number.isInteger(q.zeroPoint) || q.zeroPoint < -128 || q.zeroPoint > 127 || !(q.scale > 0)) {
    fail(
      'QUANTIZATION',
      `op '${op.name}' (${op.kind}): tensor '${t.name}' has scale ${q.scale} and zero point ${q.zeroPoint}; an int8 tensor needs a positive scale and a zero point in [-128, 127] (the TFLite int8 spec); re-run the int8 quantiser`,
    );
  }
  return q;
}

/** The C runtime's refusal: names the op and the reason, and points at the TFLM runtime. */
export function unsupported(graph: Graph, op: Op, why: string): never {
  return fail(
    'UNSUPPORTED_OP',
    `${graph.name}: op '${op.name}' (${op.kind}) is not supported by the C runtime: ${why}; emit with --runtime tflm to run it through TFLM`,
  );
}

/** NHWC shape of a rank-4 batch-1 tensor. */
export function nhwc(graph: Graph, op: Op, t: Tensor): [number, number, number] {
  if (t.shape.length !== 4 || t.shape[0] !== 1)
    unsupported(graph, op, `tensor '${t.name}' is [${t.shape.join(', ')}]; it needs rank 4 with batch 1`);
  return [t.shape[1]!, t.shape[2]!, t.shape[3]!];
}

/** A shape padded to rank 4 with leading ones (the kernels' 4-D loops). */
export function rank4(graph: Graph, op: Op, shape: readonly number[]): [number, number, number, number] {
  if (shape.length > 4) unsupported(graph, op, `rank ${shape.length} tensors are not supported (at most 4)`);
  const s = [1, 1, 1, 1, ...shape].slice(-4);
  return s as [number, number, number, number];
}

export function size(t: Tensor): number {
  return tensorSize(t.shape);
}

/** A named array declaration plus the symbol to reference it by. */
export function array(prefix: string, suffix: string, type: CElementType, values: ArrayLike<number>): { symbol: string; decl: string } {
  const symbol = `${prefix}_${suffix}`;
  return { symbol, decl: cArray(type, symbol, values) };
}

/** C's `a ? b : c` clamp in TS. */
export function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/**
 * The step of a one-input, one-output kernel with a params struct and no scratch, called as
 * `tp_<kernel>(&params, in, out)` from firmware/kernels/<kernel>.h; `inPlace` when the kernel may
 * write over its input (element by element, each read before it is written).
 */
export function unaryStep(
  op: Op,
  kind: Step['kinds'][number],
  kernel: string,
  io: { read: number; write: number; inPlace: boolean },
  params: string,
  prefix: string,
  fn = `tp_${kernel}`,
): Step {
  return {
    kinds: [kind],
    names: [op.name],
    reads: [io.read],
    write: io.write,
    scratchBytes: 0,
    ...(io.inPlace ? { inPlaceOf: 0 } : {}),
    macs: 0,
    declarations: [params],
    headers: [`${kernel}.h`],
    call: (b) => `${fn}(&${prefix}_params, ${b.reads[0]}, ${b.write});`,
  };
}
