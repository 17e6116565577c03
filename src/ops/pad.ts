import { padCodec } from './codecs/no-options.js';
import { perOutputElement } from './c-runtime.js';
import { NO_KERNEL_SCRATCH, NO_SCRATCH, type OpDescriptor } from './descriptor.js';
import { padOp as kernel } from './kernels/pad.js';
import { int8Version } from './versions.js';

/** PAD: inputs [input, paddings int32[rank, 2]]. */
export const pad: OpDescriptor<'PAD'> = {
  kind: 'PAD',
  codec: padCodec,
  version: int8Version(2),
  kernel,
  kernelScratch: NO_KERNEL_SCRATCH,
  outputQuant: 'same-as-input',
  validate: {
    arity: [2, 2],
    shape(_op, v) {
      const input = v.input(0);
      const rank = input.shape.length;
      const pads = v.int32Operand(1, 'paddings', rank * 2);
      const k = pads.findIndex((p) => p < 0);
      if (k >= 0) v.fail('SHAPE_MISMATCH', `paddings [${Array.from(pads).join(', ')}] hold a negative value (${pads[k]})`);
      v.expectOutput(
        input.shape.map((d, i) => d + pads[2 * i]! + pads[2 * i + 1]!),
        `the input padded by [${Array.from(pads).join(', ')}]`,
      );
    },
  },
  fusesActivation: false,
  passesChannelsThrough: true,
  spatiallyProportional: false,
  macs: () => 0,
  tflm: {
    resolverCall: 'AddPad',
    builtinDataBytes: 0,
    userDataBytes: { 'tflm-reference': 12, 'tflm-cmsis-nn': 12 }, // estimate
    perChannelMultipliers: false,
    scratch: NO_SCRATCH,
    flashBytes: 2_000,
  },
  cRuntime: {
    flashBytesPerCall: 128,
    instructions: perOutputElement(10.5), // standalone; a conv reads it as a view when it can
  },
  finetune: {
    layer: (tf, op, graph, name, refuse) => {
      const p = Array.from(graph.tensors[op.inputs[1]!]!.data as Int32Array);
      if (p.length !== 8 || p[0] || p[1] || p[6] || p[7]) refuse('padding of the batch or channel axis');
      return tf.layers.zeroPadding2d({
        name,
        padding: [
          [p[2]!, p[3]!],
          [p[4]!, p[5]!],
        ],
      });
    },
  },
};
