/**
 * Ops: everything tinypdm knows about each TFLite op (one descriptor per op,
 * one registry), and the int8 arithmetic the kernels share, bit-exact with TFLM.
 */
export { OPS, OP_KINDS, opOf } from './registry.js';
export type { KernelScratch } from './descriptor.js';
export type {
  OpDescriptor,
  WeightFacts,
  OutputQuantRule,
  ArenaTarget,
  TflmFacts,
  CRuntimeFacts,
  CRuntimeCall,
  FinetuneLayer,
  Tfjs,
} from './descriptor.js';
export type { Kernel, KernelFn, KernelInputs } from './kernel.js';
export {
  quantizeMultiplier,
  multiplyByQuantizedMultiplier,
  saturatingRoundingDoublingHighMul,
  roundingDivideByPOT,
  activationRangeInt8,
  activationRangeFloat,
  roundHalfAwayFromZero,
  quantizeValue,
  dequantizeValue,
} from './math/quant-math.js';
export { computeOutSize, computePadding } from './math/padding.js';
export { codecForBuiltinCode, builtinCodeName, type OpCodec, type ReadContext, type WriteContext } from './codecs/index.js';
export { ValidationContext, checkOps, FIX_MODEL, formatShape, type OpValidation, type OpView } from './validate/index.js';
/** What a code generator needs to reproduce the int8 kernels' compile-time parameters exactly (src/compiler/6-emit/c-model). */
export { paddedAxis } from './math/padding.js';
export { perTensorQuant, channelScales, type TensorQuant } from './kernel.js';
export { perChannelMultipliers } from './kernels/conv2d.js';
export { fullyConnectedMultipliers } from './kernels/fully-connected.js';
export { meanMultiplier } from './kernels/mean.js';
export { addParams } from './kernels/add.js';
export { broadcastShape } from './kernels/broadcast.js';
export { softmaxParams } from './kernels/softmax.js';
export { logisticParams } from './kernels/logistic.js';
export { reluParams, relu6Bounds } from './kernels/relu.js';
export { leakyReluParams } from './kernels/leaky-relu.js';
export { nearestIndex } from './kernels/resize-nearest-neighbor.js';
