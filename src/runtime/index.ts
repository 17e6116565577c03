/** The reference interpreter: float kernels for calibration, int8 kernels bit-exact with TFLM. */
export { runGraph, dtypeOfArray, type RunOptions, type RunResult } from './interpreter.js';
export { KERNELS, supportedOps } from './ops/index.js';
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
} from './quant-math.js';
export { computeOutSize, computePadding } from './padding.js';
/** What a code generator needs to reproduce the int8 kernels' compile-time parameters exactly. */
export { paddedAxis } from './padding.js';
export { perTensorQuant, channelScales, type TensorQuant } from './kernel.js';
export { perChannelMultipliers } from './ops/conv2d.js';
export { fullyConnectedMultipliers } from './ops/fully-connected.js';
export { meanMultiplier } from './ops/mean.js';
export { addParams } from './ops/add.js';
export { broadcastShape } from './ops/broadcast.js';
export { softmaxParams } from './ops/softmax.js';
export { logisticParams } from './ops/logistic.js';
export { reluParams, relu6Bounds } from './ops/relu.js';
export { nearestIndex } from './ops/resize-nearest-neighbor.js';
