import { reshapeCodec } from './codecs/reshape.js';
import { perOutputElement } from './c-runtime.js';
import { NO_SCRATCH, type OpDescriptor } from './descriptor.js';
import { reshapeOp as kernel } from './kernels/reshape.js';
import { int8Version } from './versions.js';

/** RESHAPE: inputs [input, new shape int32[rank]]. */
export const reshape: OpDescriptor<'RESHAPE'> = {
  kind: 'RESHAPE',
  codec: reshapeCodec,
  version: int8Version(1),
  kernel,
  outputQuant: 'same-as-input',
  fusesActivation: false,
  passesChannelsThrough: false,
  spatiallyProportional: false,
  macs: () => 0,
  tflm: {
    resolverCall: 'AddReshape',
    builtinDataBytes: 36, // TfLiteReshapeParams
    userDataBytes: { 'tflm-reference': 0, 'tflm-cmsis-nn': 0 },
    perChannelMultipliers: false,
    scratch: NO_SCRATCH,
    flashBytes: 1_000,
  },
  cRuntime: {
    flashBytesPerCall: 64,
    instructions: perOutputElement(3.3), // a copy when it cannot alias its input
  },
  finetune: { layer: (tf, op, graph, name) => tf.layers.reshape({ name, targetShape: graph.tensors[op.outputs[0]!]!.shape.slice(1) }) },
};
