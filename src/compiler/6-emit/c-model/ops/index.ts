import type { OpKind } from '../../../../ir/index.js';
import type { OpEmitter } from '../types.js';
import { emitAdd } from './add.js';
import { emitAveragePool2d } from './average-pool-2d.js';
import { emitConcatenation } from './concatenation.js';
import { emitConv2d } from './conv-2d.js';
import { emitDepthwiseConv2d } from './depthwise-conv-2d.js';
import { emitDequantize } from './dequantize.js';
import { emitFullyConnected } from './fully-connected.js';
import { emitLeakyRelu } from './leaky-relu.js';
import { emitLogistic } from './logistic.js';
import { emitMaxPool2d } from './max-pool-2d.js';
import { emitMean } from './mean.js';
import { emitPad } from './pad.js';
import { emitQuantize } from './quantize.js';
import { emitRelu } from './relu.js';
import { emitRelu6 } from './relu6.js';
import { emitReshape } from './reshape.js';
import { emitResizeNearestNeighbor } from './resize-nearest-neighbor.js';
import { emitSoftmax } from './softmax.js';
import { emitTransposeConv } from './transpose-conv.js';

/**
 * The C runtime's ops: one emitter per IR op kind. A Record over every kind,
 * so an op the IR gains without an emitter is a compile error here, not a
 * gap found by a user.
 */
export const C_EMITTERS: Readonly<Record<OpKind, OpEmitter>> = {
  CONV_2D: emitConv2d,
  DEPTHWISE_CONV_2D: emitDepthwiseConv2d,
  FULLY_CONNECTED: emitFullyConnected,
  TRANSPOSE_CONV: emitTransposeConv,
  MAX_POOL_2D: emitMaxPool2d,
  AVERAGE_POOL_2D: emitAveragePool2d,
  MEAN: emitMean,
  RESIZE_NEAREST_NEIGHBOR: emitResizeNearestNeighbor,
  PAD: emitPad,
  ADD: emitAdd,
  CONCATENATION: emitConcatenation,
  RESHAPE: emitReshape,
  SOFTMAX: emitSoftmax,
  LOGISTIC: emitLogistic,
  RELU: emitRelu,
  RELU6: emitRelu6,
  LEAKY_RELU: emitLeakyRelu,
  QUANTIZE: emitQuantize,
  DEQUANTIZE: emitDequantize,
};

export const C_RUNTIME_OPS: readonly OpKind[] = Object.keys(C_EMITTERS) as OpKind[];
