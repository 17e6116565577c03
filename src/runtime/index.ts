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
