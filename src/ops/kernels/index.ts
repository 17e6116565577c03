import type { OpKind } from '../../ir/index.js';
import type { Kernel } from '../kernel.js';
import { add } from './add.js';
import { averagePool2d } from './average-pool2d.js';
import { concatenation } from './concatenation.js';
import { conv2d } from './conv2d.js';
import { depthwiseConv2d } from './depthwise-conv2d.js';
import { dequantize } from './dequantize.js';
import { fullyConnected } from './fully-connected.js';
import { logistic } from './logistic.js';
import { maxPool2d } from './max-pool2d.js';
import { mean } from './mean.js';
import { padOp } from './pad.js';
import { quantize } from './quantize.js';
import { relu, relu6 } from './relu.js';
import { reshapeOp } from './reshape.js';
import { resizeNearestNeighbor } from './resize-nearest-neighbor.js';
import { softmax } from './softmax.js';
import { transposeConv } from './transpose-conv.js';

/** Every op the reference interpreter runs, by IR op kind. */
export const KERNELS: Readonly<Partial<Record<OpKind, Kernel>>> = {
  CONV_2D: conv2d,
  DEPTHWISE_CONV_2D: depthwiseConv2d,
  FULLY_CONNECTED: fullyConnected,
  TRANSPOSE_CONV: transposeConv,
  MAX_POOL_2D: maxPool2d,
  AVERAGE_POOL_2D: averagePool2d,
  MEAN: mean,
  RESIZE_NEAREST_NEIGHBOR: resizeNearestNeighbor,
  PAD: padOp,
  ADD: add,
  CONCATENATION: concatenation,
  RESHAPE: reshapeOp,
  SOFTMAX: softmax,
  LOGISTIC: logistic,
  RELU: relu,
  RELU6: relu6,
  QUANTIZE: quantize,
  DEQUANTIZE: dequantize,
};

export function supportedOps(): OpKind[] {
  return Object.keys(KERNELS) as OpKind[];
}
