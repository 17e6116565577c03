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
  kernelScratch: { input: 4, output: 8, weights: 0 }, // an int32 index table over the input and float64 sums
  outputQuant: 'calibrated',
  validate: {
    arity: [2, 2],
    shape(op, v) {
      const input = v.input(0);
      const rank = input.shape.length;
      const reduced = new Set<number>();
      for (const a of v.int32Operand(1, 'axes')) {
        if (a < -rank || a >= rank) v.fail('SHAPE_MISMATCH', `axis ${a} is out of range for input '${input.name}' of rank ${rank}`);
        reduced.add(a < 0 ? a + rank : a);
      }
      const kept = input.shape.map((d, i) => (reduced.has(i) ? 1 : d));
      const expected = op.options.keepDims ? kept : input.shape.filter((_, i) => !reduced.has(i));
      v.expectOutput(expected, `a mean over axes [${[...reduced].sort().join(', ')}]${op.options.keepDims ? ' keeping them' : ''}`);
    },
  },
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
