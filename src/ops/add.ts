import { addCodec } from './codecs/add.js';
import { perOutputElement } from './c-runtime.js';
import { NO_SCRATCH, type OpDescriptor } from './descriptor.js';
import { add as kernel } from './kernels/add.js';
import { perInputElementMacs } from './tflm.js';
import { int8Version } from './versions.js';

/** ADD: inputs [a, b] (broadcasting). */
export const add: OpDescriptor<'ADD'> = {
  kind: 'ADD',
  codec: addCodec,
  version: int8Version(2),
  kernel,
  outputQuant: 'calibrated',
  fusesActivation: true,
  passesChannelsThrough: false,
  spatiallyProportional: true,
  macs: perInputElementMacs,
  tflm: {
    resolverCall: 'AddAdd',
    builtinDataBytes: 8, // TfLiteAddParams
    userDataBytes: { 'tflm-reference': 64, 'tflm-cmsis-nn': 64 }, // estimate
    perChannelMultipliers: false,
    scratch: NO_SCRATCH,
    flashBytes: 4_000,
  },
  cRuntime: {
    flashBytesPerCall: 400, // estimate: not among the one-input cases measured
    instructions: perOutputElement(60), // estimate
  },
  finetune: {
    layer: (tf, op, _graph, name, refuse) => {
      if (op.options.activation !== 'NONE') refuse(`a fused ${op.options.activation} on ADD`);
      return tf.layers.add({ name });
    },
    takesAllInputs: true,
  },
};
