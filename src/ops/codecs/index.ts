import type { OpKind } from '../../ir/index.js';
import { BuiltinOperator } from '../../tflite/index.js';
import { addCodec } from './add.js';
import type { OpCodec } from './codec.js';
import { concatenationCodec } from './concatenation.js';
import { conv2dCodec } from './conv2d.js';
import { depthwiseConv2dCodec } from './depthwise-conv2d.js';
import { fullyConnectedCodec } from './fully-connected.js';
import { meanCodec } from './mean.js';
import { dequantizeCodec, logisticCodec, padCodec, quantizeCodec } from './no-options.js';
import { averagePool2dCodec, maxPool2dCodec } from './pool2d.js';
import { relu6Codec, reluCodec } from './relu.js';
import { reshapeCodec } from './reshape.js';
import { resizeNearestNeighborCodec } from './resize-nearest-neighbor.js';
import { softmaxCodec } from './softmax.js';
import { transposeConvCodec } from './transpose-conv.js';

export type { OpCodec, ReadContext, WriteContext } from './codec.js';

/** Every IR op kind's TFLite mapping. Typed by OpKind: a missing kind is a compile error. */
export const OP_CODECS: { [K in OpKind]: OpCodec<K> } = {
  CONV_2D: conv2dCodec,
  DEPTHWISE_CONV_2D: depthwiseConv2dCodec,
  FULLY_CONNECTED: fullyConnectedCodec,
  TRANSPOSE_CONV: transposeConvCodec,
  MAX_POOL_2D: maxPool2dCodec,
  AVERAGE_POOL_2D: averagePool2dCodec,
  MEAN: meanCodec,
  RESIZE_NEAREST_NEIGHBOR: resizeNearestNeighborCodec,
  PAD: padCodec,
  ADD: addCodec,
  CONCATENATION: concatenationCodec,
  RESHAPE: reshapeCodec,
  SOFTMAX: softmaxCodec,
  LOGISTIC: logisticCodec,
  RELU: reluCodec,
  RELU6: relu6Codec,
  QUANTIZE: quantizeCodec,
  DEQUANTIZE: dequantizeCodec,
};

/** Builtin code -> codec, derived from OP_CODECS (no second list to keep in step). */
const BY_BUILTIN_CODE = new Map<number, OpCodec<OpKind>>(
  Object.values(OP_CODECS).map((c) => [c.builtinCode, c as OpCodec<OpKind>]),
);

export function codecForBuiltinCode(code: number): OpCodec<OpKind> | undefined {
  return BY_BUILTIN_CODE.get(code);
}

/** A builtin code's name for messages: "MUL (18)", or "builtin code 250" when we don't know it. */
export function builtinCodeName(code: number): string {
  const name = BuiltinOperator[code];
  return name === undefined ? `builtin code ${code}` : `${name} (${code})`;
}
