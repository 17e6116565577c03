import { tensorSize } from '../ir/index.js';
import { conv2dCodec } from './codecs/conv2d.js';
import type { OpDescriptor } from './descriptor.js';
import { conv2d as kernel } from './kernels/conv2d.js';
import { kerasActivation, kerasPadding } from './layers.js';
import { cmsisConvScratch } from './tflm.js';
import { int8Version } from './versions.js';
import { checkWeights } from './validate/int8-params.js';
import { checkBiasShape, windowAxis } from './validate/shared-rules.js';

/** CONV_2D: inputs [input, filter OHWI, bias | -1]. */
export const conv2d: OpDescriptor<'CONV_2D'> = {
  kind: 'CONV_2D',
  codec: conv2dCodec,
  version: int8Version(3),
  kernel,
  kernelScratch: { input: 8, output: 8, weights: 8 }, // float64 copies of the centred input, the accumulators and the transposed filter
  weights: { slot: 1, dataSlot: 0, biasSlot: 2, outputChannelAxis: 0, perChannelQuant: true, foldsBatchNorm: true, biasRequired: true },
  outputQuant: 'calibrated',
  validate: {
    arity: [2, 3],
    shape(op, v) {
      const [n, h, w, c] = v.rank(v.input(0), 4, 'input');
      const [outC, kh, kw, filterC] = v.rank(v.input(1), 4, 'filter');
      const o = op.options;
      if (!(filterC! >= 1 && c! % filterC! === 0 && outC! % (c! / filterC!) === 0)) {
        v.fail(
          'SHAPE_MISMATCH',
          `filter '${v.input(1).name}' [${v.input(1).shape.join(', ')}] reads ${filterC} input channels, ` +
            `but input '${v.input(0).name}' has ${c} ` +
            `(it must be ${c}, or a divisor of ${c} that splits the ${outC} filters into equal groups)`,
        );
      }
      const oh = windowAxis(v, o.padding, h!, kh!, o.strideH, o.dilationH, 'h', 'vertical');
      const ow = windowAxis(v, o.padding, w!, kw!, o.strideW, o.dilationW, 'w', 'horizontal');
      v.expectOutput([n!, oh, ow, outC!], `the input, ${kh}×${kw} filter, ${o.padding} padding and strides ${o.strideH}×${o.strideW}`);
      checkBiasShape(v, 2, outC!);
    },
    int8(_op, v) {
      checkWeights(v, 1, 0, v.input(1).shape[0]!);
    },
  },
  fusesActivation: true,
  passesChannelsThrough: false,
  spatiallyProportional: true,
  macs: (op, t) => {
    const [, kh, kw, cin] = t[op.inputs[1]!]!.shape as [number, number, number, number];
    return tensorSize(t[op.outputs[0]!]!.shape) * kh * kw * cin;
  },
  tflm: {
    resolverCall: 'AddConv2D',
    builtinDataBytes: 24, // TfLiteConvParams
    // OpDataConv (kernels/conv.h): padding 16 + 3 zero points + multiplier, shift + 2 pointers + activation min/max + filter_buffer_index; CMSIS-NN adds an int buffer_idx
    userDataBytes: { 'tflm-reference': 56, 'tflm-cmsis-nn': 60 },
    perChannelMultipliers: true,
    scratch: { 'tflm-reference': () => [], 'tflm-cmsis-nn': cmsisConvScratch },
    flashBytes: 9_000,
  },
  finetune: {
    layer: (tf, op, graph, name, refuse) => {
      const o = op.options;
      const [cout, kh, kw] = graph.tensors[op.inputs[1]!]!.shape as [number, number, number, number];
      return tf.layers.conv2d({
        name, filters: cout, kernelSize: [kh, kw], strides: [o.strideH, o.strideW], dilationRate: [o.dilationH, o.dilationW],
        padding: kerasPadding(o.padding), activation: kerasActivation(o.activation, refuse), useBias: (op.inputs[2] ?? -1) >= 0,
      });
    },
    kernelToKeras: [1, 2, 3, 0],
  },
};
