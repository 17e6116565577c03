import { quantizeCodec } from './codecs/no-options.js';
import { perOutputElement } from './c-runtime.js';
import { NO_KERNEL_SCRATCH, NO_SCRATCH, type OpDescriptor } from './descriptor.js';
import { quantize as kernel } from './kernels/quantize.js';
import { int8Version } from './versions.js';
import { sameShapeAsInput } from './validate/shared-rules.js';

/** QUANTIZE: float input → int8 (added at the model's input by `emit --io float`). */
export const quantize: OpDescriptor<'QUANTIZE'> = {
  kind: 'QUANTIZE',
  codec: quantizeCodec,
  version: int8Version(1),
  kernel,
  kernelScratch: NO_KERNEL_SCRATCH,
  outputQuant: 'calibrated',
  /** float32 → int8 (or int8 → int8, requantising); the output is int8 with per-tensor params. */
  validate: { arity: [1, 1], shape: (_op, v) => sameShapeAsInput(v) },
  fusesActivation: false,
  passesChannelsThrough: false,
  spatiallyProportional: true,
  macs: () => 0,
  tflm: {
    resolverCall: 'AddQuantize',
    builtinDataBytes: 0,
    userDataBytes: { 'tflm-reference': 24, 'tflm-cmsis-nn': 24 }, // estimate
    perChannelMultipliers: false,
    scratch: NO_SCRATCH,
    flashBytes: 2_500,
  },
  cRuntime: {
    flashBytesPerCall: 128,
    instructions: perOutputElement(26),
  },
};
