import type { Graph, Op, OpKind } from '../../ir/index.js';

/**
 * OperatorCode.version, as full TFLite's converter assigns it (FACTS.md §4,
 * from tensorflow/lite/tools/versioning/op_version.cc). TFLM ignores versions,
 * but the full runtime refuses a version it does not know, so we write the
 * lowest version that covers what the op uses.
 */
const INT8_VERSION: Record<OpKind, number> = {
  CONV_2D: 3,
  DEPTHWISE_CONV_2D: 3,
  FULLY_CONNECTED: 4,
  TRANSPOSE_CONV: 2, // not used: decided in opVersion
  MAX_POOL_2D: 2,
  AVERAGE_POOL_2D: 2,
  MEAN: 2,
  RESIZE_NEAREST_NEIGHBOR: 2,
  PAD: 2,
  ADD: 2,
  CONCATENATION: 2,
  RESHAPE: 1,
  SOFTMAX: 2,
  LOGISTIC: 2,
  RELU: 2,
  RELU6: 2,
  QUANTIZE: 1,
  DEQUANTIZE: 2,
};

export function opVersion(op: Op, graph: Graph): number {
  // half_pixel_centers / align_corners need version 3 whatever the type.
  if (op.kind === 'RESIZE_NEAREST_NEIGHBOR' && (op.options.halfPixelCenters || op.options.alignCorners)) return 3;
  if (op.kind === 'TRANSPOSE_CONV') {
    // op_version.cc: a fused activation needs 4, a bias 3, int8 weights 2.
    if (op.options.activation !== 'NONE') return 4;
    if ((op.inputs[3] ?? -1) >= 0) return 3;
    return graph.tensors[op.inputs[1]!]?.dtype === 'int8' ? 2 : 1;
  }
  const dataInput = op.inputs[0];
  const dtype = dataInput === undefined || dataInput < 0 ? undefined : graph.tensors[dataInput]?.dtype;
  return dtype === 'int8' ? INT8_VERSION[op.kind] : 1;
}
