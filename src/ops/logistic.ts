import { logisticCodec } from './codecs/no-options.js';
import { perOutputElement } from './c-runtime.js';
import { NO_KERNEL_SCRATCH, NO_SCRATCH, type OpDescriptor } from './descriptor.js';
import { logistic as kernel } from './kernels/logistic.js';
import { perInputElementMacs } from './tflm.js';
import { int8Version } from './versions.js';
import { checkFixedOutput } from './validate/int8-params.js';
import { sameShapeAsInput } from './validate/shared-rules.js';

/** LOGISTIC (sigmoid): inputs [input]. */
export const logistic: OpDescriptor<'LOGISTIC'> = {
  kind: 'LOGISTIC',
  codec: logisticCodec,
  version: int8Version(2),
  kernel,
  kernelScratch: NO_KERNEL_SCRATCH,
  outputQuant: 'fixed-1/256',
  validate: {
    arity: [1, 1],
    shape: (_op, v) => sameShapeAsInput(v),
    int8: (_op, v) => checkFixedOutput(v),
  },
  fusesActivation: false,
  passesChannelsThrough: false,
  spatiallyProportional: true,
  macs: perInputElementMacs,
  tflm: {
    resolverCall: 'AddLogistic',
    builtinDataBytes: 0,
    userDataBytes: { 'tflm-reference': 24, 'tflm-cmsis-nn': 24 }, // estimate
    perChannelMultipliers: false,
    scratch: NO_SCRATCH,
    flashBytes: 2_500,
  },
  cRuntime: {
    flashBytesPerCall: 920,
    instructions: perOutputElement(341),
  },
  finetune: { layer: (tf, _op, _graph, name) => tf.layers.activation({ name, activation: 'sigmoid' }) },
};
