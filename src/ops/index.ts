/** Ops: everything tinypdm knows about each TFLite op, and the int8 arithmetic their kernels share (bit-exact with TFLM). */
export { KERNELS, supportedOps } from './kernels/index.js';
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
export { OP_CODECS, codecForBuiltinCode, builtinCodeName, type OpCodec, type ReadContext, type WriteContext } from './codecs/index.js';
