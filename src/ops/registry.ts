import type { OpKind } from '../ir/index.js';
import { add } from './add.js';
import { averagePool2d } from './average-pool-2d.js';
import { concatenation } from './concatenation.js';
import { conv2d } from './conv-2d.js';
import { depthwiseConv2d } from './depthwise-conv-2d.js';
import type { OpDescriptor } from './descriptor.js';
import { dequantize } from './dequantize.js';
import { fullyConnected } from './fully-connected.js';
import { leakyRelu } from './leaky-relu.js';
import { logistic } from './logistic.js';
import { maxPool2d } from './max-pool-2d.js';
import { mean } from './mean.js';
import { pad } from './pad.js';
import { quantize } from './quantize.js';
import { relu } from './relu.js';
import { relu6 } from './relu6.js';
import { reshape } from './reshape.js';
import { resizeNearestNeighbor } from './resize-nearest-neighbor.js';
import { softmax } from './softmax.js';
import { transposeConv } from './transpose-conv.js';

/** The one registry: every IR op kind's descriptor. Total over OpKind, so a new kind without one does not compile. */
export const OPS: { readonly [K in OpKind]: OpDescriptor<K> } = {
  CONV_2D: conv2d,
  DEPTHWISE_CONV_2D: depthwiseConv2d,
  FULLY_CONNECTED: fullyConnected,
  TRANSPOSE_CONV: transposeConv,
  MAX_POOL_2D: maxPool2d,
  AVERAGE_POOL_2D: averagePool2d,
  MEAN: mean,
  RESIZE_NEAREST_NEIGHBOR: resizeNearestNeighbor,
  PAD: pad,
  ADD: add,
  CONCATENATION: concatenation,
  RESHAPE: reshape,
  SOFTMAX: softmax,
  LOGISTIC: logistic,
  RELU: relu,
  RELU6: relu6,
  LEAKY_RELU: leakyRelu,
  QUANTIZE: quantize,
  DEQUANTIZE: dequantize,
};

/**
 * The descriptor of an op, typed for the op's kind. TypeScript cannot
 * correlate `OPS[op.kind]` with `op` by itself; this is the one cast that
 * says they match (the registry's type guarantees it).
 */
export function opOf<K extends OpKind>(kind: K): OpDescriptor<K> {
  return OPS[kind];
}

/** Every op kind, in the registry's order. */
export const OP_KINDS = Object.keys(OPS) as OpKind[];
