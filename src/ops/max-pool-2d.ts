import { tensorSize } from '../ir/index.js';
import { maxPool2dCodec } from './codecs/pool2d.js';
import { perOutputElement } from './c-runtime.js';
import { NO_KERNEL_SCRATCH, NO_SCRATCH, type OpDescriptor } from './descriptor.js';
import { maxPool2d as kernel } from './kernels/max-pool2d.js';
import { poolLayer } from './layers.js';
import { int8Version } from './versions.js';
import { poolValidation } from './validate/shared-rules.js';

/** MAX_POOL_2D: inputs [input]. */
export const maxPool2d: OpDescriptor<'MAX_POOL_2D'> = {
  kind: 'MAX_POOL_2D',
  codec: maxPool2dCodec,
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
    resolverCall: 'AddMaxPool2D',
    builtinDataBytes: 40, // TfLitePoolParams
    userDataBytes: { 'tflm-reference': 32, 'tflm-cmsis-nn': 36 }, // OpDataPooling: padding 16 + int32 min/max + float min/max
    perChannelMultipliers: false,
    scratch: NO_SCRATCH,
    flashBytes: 2_700, // measured, -O2
  },
  cRuntime: {
    flashBytesPerCall: 128,
    instructions: perOutputElement(38), // standalone; a tiling pool after a conv is fused into it
  },
  finetune: { layer: (tf, op, _graph, name, refuse) => tf.layers.maxPooling2d(poolLayer(op, name, refuse)) },
};
