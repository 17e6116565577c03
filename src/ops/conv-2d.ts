import { tensorSize, type Graph, type OpOf } from '../ir/index.js';
import { conv2dCodec } from './codecs/conv2d.js';
import type { CRuntimeCall, OpDescriptor } from './descriptor.js';
import { conv2d as kernel } from './kernels/conv2d.js';
import { kerasActivation, kerasPadding } from './layers.js';
import { cmsisConvScratch } from './tflm.js';
import { int8Version } from './versions.js';
import { checkWeights } from './validate/int8-params.js';
import { checkBiasShape, windowAxis } from './validate/shared-rules.js';

/**
 * Instructions of one CONV_2D call of the C runtime (the SMLAD kernel of
 * firmware/kernels/cortex_m4/conv_2d.h) per MAC, at -Os. The per-MAC rate falls
 * as the kernel's per-pixel work (unpacking the column, the taps) is shared by
 * more output channels (or, for one output channel, more input channels).
 * Fitted to the demo model and its --prune-channels 0.5 variant, per layer
 * (within 0.03 of every point; ./c-runtime.ts says how they were measured):
 *   depth a multiple of 4, ≥ 2 output channels: 1.08 + 5.5 / Cout
 *     (Cout 64: 1.17, 32: 1.22–1.29, 16: 1.40, 8: 1.77)
 *   depth not a multiple of 4 (the first conv, 1 input channel): 3.78 + 13.8 / Cout
 *     (Cout 32: 4.21, 16: 4.64)
 *   one output channel, no pooling (the last conv): 1.89 + 15.8 / Cin
 *     (Cin 16: 2.88, 8: 3.87)
 */
function convInstructions(op: OpOf<'CONV_2D'>, graph: Graph, call: CRuntimeCall): number {
  const cin = graph.tensors[op.inputs[0]!]!.shape.at(-1)!;
  const cout = graph.tensors[op.outputs[0]!]!.shape.at(-1)!;
  const rate =
    cin % 4 !== 0 ? 3.78 + 13.8 / cout : cout === 1 && !call.fused.includes('MAX_POOL_2D') ? 1.89 + 15.8 / cin : 1.08 + 5.5 / cout;
  return rate * call.macs;
}

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
    flashBytes: 11_000, // measured, -O2
  },
  cRuntime: {
    flashBytesPerCall: 1_230, // measured: the demo model's kernel code over its five calls (6,128 B); a lone conv with its out-of-line loops: 2,882 B
    instructions: convInstructions,
  },
  finetune: {
    layer: (tf, op, graph, name, refuse) => {
      const o = op.options;
      const [cout, kh, kw] = graph.tensors[op.inputs[1]!]!.shape as [number, number, number, number];
      return tf.layers.conv2d({
        name,
        filters: cout,
        kernelSize: [kh, kw],
        strides: [o.strideH, o.strideW],
        dilationRate: [o.dilationH, o.dilationW],
        padding: kerasPadding(o.padding),
        activation: kerasActivation(o.activation, refuse),
        useBias: (op.inputs[2] ?? -1) >= 0,
      });
    },
    kernelToKeras: [1, 2, 3, 0],
  },
};
