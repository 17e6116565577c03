import { relu6Codec } from './codecs/relu.js';
import { perOutputElement } from './c-runtime.js';
import { NO_KERNEL_SCRATCH, NO_SCRATCH, type OpDescriptor } from './descriptor.js';
import { relu6 as kernel } from './kernels/relu.js';
import { int8Version } from './versions.js';
import { checkSameParams } from './validate/int8-params.js';
import { sameShapeAsInput } from './validate/shared-rules.js';

/** RELU6, standalone (see relu.ts). inputs [input]. */
export const relu6: OpDescriptor<'RELU6'> = {
  kind: 'RELU6',
  codec: relu6Codec,
  version: int8Version(2),
  kernel,
  kernelScratch: NO_KERNEL_SCRATCH,
  // TFLM's int8 RELU6 clamps without requantising.
  outputQuant: 'same-as-input',
  validate: {
    arity: [1, 1],
    shape: (_op, v) => sameShapeAsInput(v),
    // TFLM's int8 RELU6 clamps with bounds from the input params and copies (activations.cc): the params must match exactly.
    int8: (_op, v) => checkSameParams(v, 0, "TFLM's int8 RELU6 clamps without requantising"),
  },
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
