import { reluCodec } from './codecs/relu.js';
import { perOutputElement } from './c-runtime.js';
import { NO_KERNEL_SCRATCH, NO_SCRATCH, type OpDescriptor } from './descriptor.js';
import { relu as kernel } from './kernels/relu.js';
import { perInputElementMacs } from './tflm.js';
import { int8Version } from './versions.js';
import { sameShapeAsInput } from './validate/shared-rules.js';

/**
 * RELU, standalone: where no activation can be fused (after TRANSPOSE_CONV,
 * after the model input, or after an op whose output also feeds other layers).
 * inputs [input].
 */
export const relu: OpDescriptor<'RELU'> = {
  kind: 'RELU',
  codec: reluCodec,
  version: int8Version(2),
  kernel,
  kernelScratch: NO_KERNEL_SCRATCH,
  // int8 RELU requantises (kernels/activations.cc), so its output keeps its own range.
  outputQuant: 'calibrated',
  validate: { arity: [1, 1], shape: (_op, v) => sameShapeAsInput(v) },
  fusesActivation: false,
  passesChannelsThrough: false,
  spatiallyProportional: true,
  // One multiply per element: int8 RELU requantises.
  macs: perInputElementMacs,
  tflm: {
    resolverCall: 'AddRelu',
    builtinDataBytes: 0, // ParseRelu allocates nothing
    userDataBytes: { 'tflm-reference': 28, 'tflm-cmsis-nn': 28 }, // ReluOpData = ReluParams (kernels/internal/types.h): uint8, padded, + 6 int32
    perChannelMultipliers: false,
    scratch: NO_SCRATCH,
    flashBytes: 1_000,
  },
  cRuntime: {
    flashBytesPerCall: 128,
    instructions: perOutputElement(15),
  },
  finetune: { layer: (tf, _op, _graph, name) => tf.layers.reLU({ name }) },
};
