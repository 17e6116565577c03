import type { Graph } from '../../../ir/index.js';
import { checkOps, ValidationContext } from '../../../ops/index.js';
import { checkStructure } from './structure.js';
import { checkTensorValues } from './tensor-values.js';

/**
 * The one graph validator. Every graph a loader produces (TF.js, Keras .h5 /
 * .keras, float and int8 .tflite) goes through it, and `emit` runs it again on
 * the int8 graph and on the flatbuffer it wrote, before writing anything.
 *
 * In order, so each check can rely on the ones before:
 *  1. structure (structure.ts): inputs and outputs exist, indices are in range,
 *     each tensor has one producer, ops are in execution order, no cycles;
 *  2. tensors (tensor-values.ts): quantisation params finite with a positive
 *     scale and an integer zero point in range, vector lengths consistent with
 *     the axis; constant data the size of its shape; weights and biases finite;
 *  3. ops (src/ops: each op descriptor's `validate`): arity, dtypes, shapes as
 *     the op computes them, and for int8 ops the params the TFLite runtime's and
 *     TFLM's kernels require.
 *
 * The first problem found is thrown as one TinyPdmError naming `where` (the
 * file), the op (index, kind, layer name) and the tensor. Nothing is
 * allocated in proportion to declared shapes, so a hostile shape costs nothing.
 */
export function validateGraph(graph: Graph, where: string): void {
  const ctx = new ValidationContext(graph, where);
  checkStructure(ctx);
  checkTensorValues(ctx);
  checkOps(ctx);
}
