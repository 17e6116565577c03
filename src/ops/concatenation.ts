import { concatenationCodec } from './codecs/concatenation.js';
import { perOutputElement } from './c-runtime.js';
import { NO_SCRATCH, type OpDescriptor } from './descriptor.js';
import { concatenation as kernel } from './kernels/concatenation.js';
import { int8Version } from './versions.js';

/** CONCATENATION: inputs [x0, x1, ...]. */
export const concatenation: OpDescriptor<'CONCATENATION'> = {
  kind: 'CONCATENATION',
  codec: concatenationCodec,
  version: int8Version(2),
  kernel,
  outputQuant: 'same-as-all-inputs',
  fusesActivation: false,
  passesChannelsThrough: false,
  spatiallyProportional: true,
  macs: () => 0,
  tflm: {
    resolverCall: 'AddConcatenation',
    builtinDataBytes: 8, // TfLiteConcatenationParams
    userDataBytes: { 'tflm-reference': 24, 'tflm-cmsis-nn': 24 }, // estimate
    perChannelMultipliers: false,
    scratch: NO_SCRATCH,
    flashBytes: 2_500,
  },
  cRuntime: {
    flashBytesPerCall: 200, // estimate: not among the one-input cases measured
    instructions: perOutputElement(10), // estimate
  },
  finetune: { layer: (tf, op, _graph, name) => tf.layers.concatenate({ name, axis: op.options.axis }), takesAllInputs: true },
};
