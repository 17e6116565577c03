import { relu6Codec } from './codecs/relu.js';
import { perOutputElement } from './c-runtime.js';
import { NO_SCRATCH, type OpDescriptor } from './descriptor.js';
import { relu6 as kernel } from './kernels/relu.js';
import { int8Version } from './versions.js';

/** RELU6, standalone (see relu.ts). inputs [input]. */
export const relu6: OpDescriptor<'RELU6'> = {
  kind: 'RELU6',
  codec: relu6Codec,
  version: int8Version(2),
  kernel,
  // TFLM's int8 RELU6 clamps without requantising.
  outputQuant: 'same-as-input',
  fusesActivation: false,
  passesChannelsThrough: false,
  spatiallyProportional: true,
  macs: () => 0,
  tflm: {
    resolverCall: 'AddRelu6',
    builtinDataBytes: 0,
    userDataBytes: { 'tflm-reference': 2, 'tflm-cmsis-nn': 2 }, // Relu6OpData: int8 six + int8 zero
    perChannelMultipliers: false,
    scratch: NO_SCRATCH,
    flashBytes: 500,
  },
  cRuntime: {
    flashBytesPerCall: 64,
    instructions: perOutputElement(8.1),
  },
  finetune: { layer: (tf, _op, _graph, name) => tf.layers.reLU({ name, maxValue: 6 }) },
};
