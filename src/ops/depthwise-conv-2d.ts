import { tensorSize } from '../ir/index.js';
import { depthwiseConv2dCodec } from './codecs/depthwise-conv2d.js';
import { perMac } from './c-runtime.js';
import type { OpDescriptor } from './descriptor.js';
import { depthwiseConv2d as kernel } from './kernels/depthwise-conv2d.js';
import { kerasActivation, kerasPadding } from './layers.js';
import { cmsisDepthwiseScratch } from './tflm.js';
import { int8Version } from './versions.js';
import { checkWeights } from './validate/int8-params.js';
import { checkBiasShape, windowAxis } from './validate/shared-rules.js';

/** DEPTHWISE_CONV_2D: inputs [input, filter [1, Kh, Kw, Cin·multiplier], bias | -1]. */
export const depthwiseConv2d: OpDescriptor<'DEPTHWISE_CONV_2D'> = {
  kind: 'DEPTHWISE_CONV_2D',
  codec: depthwiseConv2dCodec,
  version: int8Version(3),
  kernel,
  kernelScratch: { input: 8, output: 8, weights: 0 }, // float64 copies of the centred input and the accumulators
  weights: { slot: 1, dataSlot: 0, biasSlot: 2, outputChannelAxis: 3, perChannelQuant: true, foldsBatchNorm: true, biasRequired: true },
  outputQuant: 'calibrated',
  validate: {
    arity: [2, 3],
    shape(op, v) {
      const [n, h, w, c] = v.rank(v.input(0), 4, 'input');
      const [, kh, kw] = v.rank(v.input(1), 4, 'filter');
      const o = op.options;
      const outC = c! * v.positive(o.depthMultiplier, 'depth_multiplier');
      v.expectShape(v.input(1), [1, kh!, kw!, outC], 'filter', `${c} input channels × depth multiplier ${o.depthMultiplier}`);
      const oh = windowAxis(v, o.padding, h!, kh!, o.strideH, o.dilationH, 'h', 'vertical');
      const ow = windowAxis(v, o.padding, w!, kw!, o.strideW, o.dilationW, 'w', 'horizontal');
      v.expectOutput([n!, oh, ow, outC], `the input, ${kh}×${kw} filter, ${o.padding} padding and strides ${o.strideH}×${o.strideW}`);
      checkBiasShape(v, 2, outC);
    },
    int8(_op, v) {
      checkWeights(v, 1, 3, v.input(1).shape[3]!);
    },
  },
  fusesActivation: true,
  passesChannelsThrough: false,
  spatiallyProportional: true,
  macs: (op, t) => {
    const [, kh, kw] = t[op.inputs[1]!]!.shape as [number, number, number, number];
    return tensorSize(t[op.outputs[0]!]!.shape) * kh * kw;
  },
  tflm: {
    resolverCall: 'AddDepthwiseConv2D',
    builtinDataBytes: 28, // TfLiteDepthwiseConvParams
    userDataBytes: { 'tflm-reference': 56, 'tflm-cmsis-nn': 60 }, // as OpDataConv
    perChannelMultipliers: true,
    scratch: { 'tflm-reference': () => [], 'tflm-cmsis-nn': cmsisDepthwiseScratch },
    flashBytes: 9_000,
  },
  cRuntime: {
    flashBytesPerCall: 514,
    instructions: perMac(21.5), // the portable reference kernel
  },
  finetune: {
    layer: (tf, op, graph, name, refuse) => {
      const o = op.options;
      const [, kh, kw] = graph.tensors[op.inputs[1]!]!.shape as [number, number, number, number];
      return tf.layers.depthwiseConv2d({
        name,
        kernelSize: [kh, kw],
        depthMultiplier: o.depthMultiplier,
        strides: [o.strideH, o.strideW],
        dilationRate: [o.dilationH, o.dilationW],
        padding: kerasPadding(o.padding),
        activation: kerasActivation(o.activation, refuse),
        useBias: (op.inputs[2] ?? -1) >= 0,
      });
    },
    // [1, H, W, C·M] and Keras' [H, W, C, M] hold the same element order.
    kernelToKeras: 'reshape',
  },
};
