import { softmaxCodec } from './codecs/softmax.js';
import { perOutputElement } from './c-runtime.js';
import { NO_SCRATCH, type OpDescriptor } from './descriptor.js';
import { softmax as kernel } from './kernels/softmax.js';
import { perInputElementMacs } from './tflm.js';
import { int8Version } from './versions.js';

/** SOFTMAX: inputs [input]. */
export const softmax: OpDescriptor<'SOFTMAX'> = {
  kind: 'SOFTMAX',
  codec: softmaxCodec,
  version: int8Version(2),
  kernel,
  outputQuant: 'fixed-1/256',
  fusesActivation: false,
  passesChannelsThrough: false,
  spatiallyProportional: false,
  macs: perInputElementMacs,
  tflm: {
    resolverCall: 'AddSoftmax',
    builtinDataBytes: 4, // TfLiteSoftmaxParams
    userDataBytes: { 'tflm-reference': 72, 'tflm-cmsis-nn': 72 }, // estimate
    perChannelMultipliers: false,
    scratch: NO_SCRATCH,
    flashBytes: 3_000,
  },
  cRuntime: {
    flashBytesPerCall: 1_560,
    instructions: perOutputElement(500),
  },
  finetune: { layer: (tf, _op, _graph, name) => tf.layers.softmax({ name }) },
};
