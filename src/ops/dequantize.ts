import { dequantizeCodec } from './codecs/no-options.js';
import { perOutputElement } from './c-runtime.js';
import { NO_KERNEL_SCRATCH, NO_SCRATCH, type OpDescriptor } from './descriptor.js';
import { dequantize as kernel } from './kernels/dequantize.js';
import { int8Version } from './versions.js';
import { sameShapeAsInput } from './validate/shared-rules.js';

/** DEQUANTIZE: int8 → float output (added at the model's output by `emit --io float`). */
export const dequantize: OpDescriptor<'DEQUANTIZE'> = {
  kind: 'DEQUANTIZE',
  codec: dequantizeCodec,
  version: int8Version(2),
  kernel,
  kernelScratch: NO_KERNEL_SCRATCH,
  outputQuant: 'calibrated',
  /** int8 → float32. */
  validate: { arity: [1, 1], shape: (_op, v) => sameShapeAsInput(v) },
  fusesActivation: false,
  passesChannelsThrough: false,
  spatiallyProportional: true,
  macs: () => 0,
  tflm: {
    resolverCall: 'AddDequantize',
    builtinDataBytes: 0,
    userDataBytes: { 'tflm-reference': 20, 'tflm-cmsis-nn': 20 }, // estimate
    perChannelMultipliers: false,
    scratch: NO_SCRATCH,
    flashBytes: 2_000,
  },
  cRuntime: {
    flashBytesPerCall: 80, // estimate
    instructions: perOutputElement(10),
  },
};
