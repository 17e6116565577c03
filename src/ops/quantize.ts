import { quantizeCodec } from './codecs/no-options.js';
import { perOutputElement } from './c-runtime.js';
import { NO_SCRATCH, type OpDescriptor } from './descriptor.js';
import { quantize as kernel } from './kernels/quantize.js';
import { int8Version } from './versions.js';

/** QUANTIZE: float input → int8 (added at the model's input by `emit --io float`). */
export const quantize: OpDescriptor<'QUANTIZE'> = {
  kind: 'QUANTIZE',
  codec: quantizeCodec,
  version: int8Version(1),
  kernel,
  outputQuant: 'calibrated',
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
