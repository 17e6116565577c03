import { tensorSize } from '../ir/index.js';
import { averagePool2dCodec } from './codecs/pool2d.js';
import { perOutputElement } from './c-runtime.js';
import { NO_KERNEL_SCRATCH, type OpDescriptor } from './descriptor.js';
import { averagePool2d as kernel } from './kernels/average-pool2d.js';
import { poolLayer } from './layers.js';
import { cmsisAvgPoolScratch } from './tflm.js';
import { int8Version } from './versions.js';
import { poolValidation } from './validate/shared-rules.js';

/** AVERAGE_POOL_2D: inputs [input]. */
export const averagePool2d: OpDescriptor<'AVERAGE_POOL_2D'> = {
  kind: 'AVERAGE_POOL_2D',
  codec: averagePool2dCodec,
  version: int8Version(2),
  kernel,
  kernelScratch: NO_KERNEL_SCRATCH,
  outputQuant: 'same-as-input',
  validate: poolValidation(),
  fusesActivation: true,
  passesChannelsThrough: true,
  spatiallyProportional: true,
  macs: (op, t) => tensorSize(t[op.outputs[0]!]!.shape) * op.options.filterH * op.options.filterW,
  tflm: {
    resolverCall: 'AddAveragePool2D',
    builtinDataBytes: 40, // TfLitePoolParams
    userDataBytes: { 'tflm-reference': 32, 'tflm-cmsis-nn': 36 }, // OpDataPooling
    perChannelMultipliers: false,
    scratch: { 'tflm-reference': () => [], 'tflm-cmsis-nn': cmsisAvgPoolScratch },
    flashBytes: 3_000,
  },
  cRuntime: {
    flashBytesPerCall: 256,
    instructions: perOutputElement(98),
  },
  finetune: { layer: (tf, op, _graph, name, refuse) => tf.layers.averagePooling2d(poolLayer(op, name, refuse)) },
};
