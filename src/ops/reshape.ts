import { reshapeCodec } from './codecs/reshape.js';
import { perOutputElement } from './c-runtime.js';
import { NO_KERNEL_SCRATCH, NO_SCRATCH, type OpDescriptor } from './descriptor.js';
import { reshapeOp as kernel } from './kernels/reshape.js';
import { int8Version } from './versions.js';

/** RESHAPE: inputs [input, new shape int32[rank]]. */
export const reshape: OpDescriptor<'RESHAPE'> = {
  kind: 'RESHAPE',
  codec: reshapeCodec,
  version: int8Version(1),
  kernel,
  kernelScratch: NO_KERNEL_SCRATCH,
  outputQuant: 'same-as-input',
  /** Inputs [input, new_shape int32[rank]]: one -1 in new_shape stands for the remaining size (TFLite reshape.cc). */
  validate: {
    arity: [2, 2],
    shape(_op, v) {
      const input = v.input(0);
      const target = Array.from(v.int32Operand(1, 'new_shape'));
      const size = v.elements(input);
      const unknown = target.filter((d) => d === -1).length;
      const known = target.reduce((p, d) => (d === -1 ? p : p * d), 1);
      const fits = unknown === 0 ? known === size : unknown === 1 && known > 0 && size % known === 0;
      if (!fits || target.some((d) => d < -1)) {
        v.fail(
          'SHAPE_MISMATCH',
          `new_shape [${target.join(', ')}] cannot hold the ${size} values of input '${input.name}' [${input.shape.join(', ')}]`,
        );
      }
      const resolved = target.map((d) => (d === -1 ? size / known : d));
      v.expectOutput(resolved, `the new_shape operand [${target.join(', ')}]`);
    },
  },
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
