import { meanCodec } from './codecs/mean.js';
import { perInputElement } from './c-runtime.js';
import type { OpDescriptor } from './descriptor.js';
import { mean as kernel } from './kernels/mean.js';
import { int32PerOutputScratch, perInputElementMacs } from './tflm.js';
import { int8Version } from './versions.js';

/** MEAN: inputs [input, axes int32[n]]. */
export const mean: OpDescriptor<'MEAN'> = {
  kind: 'MEAN',
  codec: meanCodec,
  version: int8Version(2),
  kernel,
  outputQuant: 'calibrated',
  fusesActivation: false,
  passesChannelsThrough: false,
  spatiallyProportional: false,
  macs: perInputElementMacs,
  tflm: {
    resolverCall: 'AddMean',
    builtinDataBytes: 4, // TfLiteReducerParams (1, padded by the next 4-aligned allocation)
    userDataBytes: { 'tflm-reference': 48, 'tflm-cmsis-nn': 48 }, // estimate
    perChannelMultipliers: false,
    // kernels/reduce_common.cc PrepareMeanOrSumHelper: int8 MEAN sums into one int32 per output element.
    scratch: { 'tflm-reference': int32PerOutputScratch, 'tflm-cmsis-nn': int32PerOutputScratch },
    flashBytes: 4_000,
  },
  cRuntime: {
    flashBytesPerCall: 192,
    instructions: perInputElement(9.1),
  },
};
