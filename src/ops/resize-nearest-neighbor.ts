import { resizeNearestNeighborCodec } from './codecs/resize-nearest-neighbor.js';
import { perOutputElement } from './c-runtime.js';
import { NO_KERNEL_SCRATCH, NO_SCRATCH, type OpDescriptor } from './descriptor.js';
import { resizeNearestNeighbor as kernel } from './kernels/resize-nearest-neighbor.js';

/** RESIZE_NEAREST_NEIGHBOR: inputs [input, size int32[2]]. */
export const resizeNearestNeighbor: OpDescriptor<'RESIZE_NEAREST_NEIGHBOR'> = {
  kind: 'RESIZE_NEAREST_NEIGHBOR',
  codec: resizeNearestNeighborCodec,
  // half_pixel_centers / align_corners need version 3 whatever the type.
  version: (op, graph) =>
    op.options.halfPixelCenters || op.options.alignCorners ? 3 : graph.tensors[op.inputs[0]!]?.dtype === 'int8' ? 2 : 1,
  kernel,
  kernelScratch: NO_KERNEL_SCRATCH,
  outputQuant: 'same-as-input',
  validate: {
    arity: [2, 2],
    shape(op, v) {
      const [n, , , c] = v.rank(v.input(0), 4, 'input');
      const [h, w] = v.int32Operand(1, 'size', 2);
      if (!(h! >= 1 && w! >= 1)) v.fail('SHAPE_MISMATCH', `size operand [${h}, ${w}] must be two positive sizes`);
      // TFLite resize_nearest_neighbor.cc: "If half_pixel_centers is True, align_corners must be False."
      if (op.options.alignCorners && op.options.halfPixelCenters) {
        v.fail('INVALID_GRAPH', 'sets both align_corners and half_pixel_centers, which the TFLite runtime refuses');
      }
      v.expectOutput([n!, h!, w!, c!], `the size operand [${h}, ${w}]`);
    },
  },
  fusesActivation: false,
  passesChannelsThrough: true,
  spatiallyProportional: true,
  macs: () => 0,
  tflm: {
    resolverCall: 'AddResizeNearestNeighbor',
    builtinDataBytes: 4, // TfLiteResizeNearestNeighborParams (2, padded)
    userDataBytes: { 'tflm-reference': 0, 'tflm-cmsis-nn': 0 },
    perChannelMultipliers: false,
    scratch: NO_SCRATCH,
    flashBytes: 1_700, // measured, -O2
  },
  cRuntime: {
    flashBytesPerCall: 60,
    instructions: perOutputElement(3.3), // standalone; a conv reads it as a view when it can
  },
  finetune: {
    layer: (tf, op, graph, name, refuse) => {
      const [, ih, iw] = graph.tensors[op.inputs[0]!]!.shape as [number, number, number];
      const [, oh, ow] = graph.tensors[op.outputs[0]!]!.shape as [number, number, number];
      // For integer factors, nearest resize with or without half-pixel centres picks the same pixels.
      if (op.options.alignCorners || oh % ih !== 0 || ow % iw !== 0) refuse('a resize other than an integer-factor upsampling');
      return tf.layers.upSampling2d({ name, size: [oh / ih, ow / iw] });
    },
  },
};
