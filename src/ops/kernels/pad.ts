import { fail } from '../../util/index.js';
import { tensorSize, type Graph, type Op, type TensorData } from '../../ir/index.js';
import { allocateFor, expectShape, outputAt, perTensorQuant, required, tensorAt, type Kernel, type KernelInputs } from '../kernel.js';

/**
 * PAD with constants: paddings int32[rank, 2] (before, after). The fill is 0
 * for float and the output zero point for int8 (real 0), as TFLM's pad.cc.
 */
function pad(op: Op, graph: Graph, inputs: KernelInputs, fill: number): TensorData[] {
  const input = tensorAt(graph, op, 0);
  const output = outputAt(graph, op);
  const rank = input.shape.length;
  const paddings = required<Int32Array>(inputs, 1, op);
  if (paddings.length !== rank * 2 || paddings.some((p) => p < 0)) {
    fail(
      'BAD_ARGUMENT',
      `op '${op.name}' (PAD): paddings must be ${rank}x2 non-negative int32 values for input '${input.name}', got [${Array.from(paddings).join(', ')}]`,
    );
  }
  const outShape = input.shape.map((d, i) => d + paddings[2 * i]! + paddings[2 * i + 1]!);
  expectShape(op, output, outShape);
  const out = allocateFor(output) as Float32Array | Int8Array;
  out.fill(fill);
  const x = required<Float32Array | Int8Array>(inputs, 0, op);
  // Output strides; every input element lands at (index + before) in each dimension.
  const strides = new Array<number>(rank).fill(1);
  for (let i = rank - 2; i >= 0; i--) strides[i] = strides[i + 1]! * outShape[i + 1]!;
  let offset = 0;
  for (let i = 0; i < rank; i++) offset += paddings[2 * i]! * strides[i]!;
  const idx = new Array<number>(rank).fill(0);
  let at = offset;
  const size = tensorSize(input.shape);
  for (let i = 0; i < size; i++) {
    out[at] = x[i]!;
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]!++;
      at += strides[d]!;
      if (idx[d]! < input.shape[d]!) break;
      at -= strides[d]! * idx[d]!;
      idx[d] = 0;
    }
  }
  return [out];
}

export const padOp: Kernel = {
  float: (op, graph, inputs) => pad(op, graph, inputs, 0),
  int8: (op, graph, inputs) => pad(op, graph, inputs, perTensorQuant(outputAt(graph, op), op).zeroPoint),
};
