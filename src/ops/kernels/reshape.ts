import { fail } from '../../util/index.js';
import { tensorSize, type Graph, type Op, type TensorData } from '../../ir/index.js';
import { outputAt, required, tensorAt, type Kernel, type KernelInputs } from '../kernel.js';

/** RESHAPE: the same values in the same order under the output's declared shape. */
function reshape(op: Op, graph: Graph, inputs: KernelInputs): TensorData[] {
  const input = tensorAt(graph, op, 0);
  const output = outputAt(graph, op);
  if (tensorSize(input.shape) !== tensorSize(output.shape)) {
    fail(
      'SHAPE_MISMATCH',
      `op '${op.name}' (RESHAPE): input '${input.name}' [${input.shape.join(', ')}] and output '${output.name}' [${output.shape.join(', ')}] differ in size`,
    );
  }
  return [required<TensorData>(inputs, 0, op).slice()];
}

export const reshapeOp: Kernel = { float: reshape, int8: reshape };
