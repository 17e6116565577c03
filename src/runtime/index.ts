/** The reference interpreter: float kernels for calibration, int8 kernels bit-exact with TFLM. */
export { runGraph, dtypeOfArray, type RunOptions, type RunResult } from './interpreter.js';
export { KERNELS, supportedOps } from '../ops/kernels/index.js';
export type { Kernel, KernelFn, KernelInputs } from '../ops/kernel.js';
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
} from '../ops/math/quant-math.js';
export { computeOutSize, computePadding } from '../ops/math/padding.js';
