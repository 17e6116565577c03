import type { Graph, Op } from '../ir/index.js';

/**
 * The common version rule of tensorflow/lite/tools/versioning/op_version.cc:
 * int8 data needs `int8` (TFLM ignores versions, but the full runtime refuses
 * one it does not know, so we write the lowest that covers what the op uses);
 * float data is version 1.
 */
export function int8Version(int8: number): (op: Op, graph: Graph) => number {
  return (op, graph) => {
    const dataInput = op.inputs[0];
    const dtype = dataInput === undefined || dataInput < 0 ? undefined : graph.tensors[dataInput]?.dtype;
    return dtype === 'int8' ? int8 : 1;
  };
}
