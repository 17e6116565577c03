/**
 * Ops: everything tinypdm knows about each TFLite op (one descriptor per op,
 * one registry), and the int8 arithmetic the kernels share, bit-exact with TFLM.
 */
export { OPS, OP_KINDS, opOf } from './registry.js';
export type { KernelScratch } from './descriptor.js';
export type { OpDescriptor, WeightFacts, OutputQuantRule, ArenaTarget, TflmFacts, FinetuneLayer, Tfjs } from './descriptor.js';
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
