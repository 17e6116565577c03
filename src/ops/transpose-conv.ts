import { tensorSize } from '../ir/index.js';
import { transposeConvCodec } from './codecs/transpose-conv.js';
import { perMac } from './c-runtime.js';
import type { OpDescriptor } from './descriptor.js';
import { transposeConv as kernel } from './kernels/transpose-conv.js';
import { int32PerOutputScratch } from './tflm.js';
import { checkWeights } from './validate/int8-params.js';
import { checkBiasShape } from './validate/shared-rules.js';

/** TRANSPOSE_CONV: inputs [output shape int32[4], filter [Cout, Kh, Kw, Cin], input, bias | -1]. */
export const transposeConv: OpDescriptor<'TRANSPOSE_CONV'> = {
  kind: 'TRANSPOSE_CONV',
  codec: transposeConvCodec,
  // op_version.cc: a fused activation needs 4, a bias 3, int8 weights 2.
  version: (op, graph) => {
    if (op.options.activation !== 'NONE') return 4;
    if ((op.inputs[3] ?? -1) >= 0) return 3;
    return graph.tensors[op.inputs[1]!]?.dtype === 'int8' ? 2 : 1;
  },
  kernel,
  kernelScratch: { input: 8, output: 8, weights: 0 }, // float64 copies of the centred input and the accumulators
  weights: { slot: 1, dataSlot: 2, biasSlot: 3, outputChannelAxis: 0, perChannelQuant: true, foldsBatchNorm: false, biasRequired: false },
  outputQuant: 'calibrated',
  /** Inputs [output_shape int32[4], filter [Cout, Kh, Kw, Cin], input, bias?]; TFLite derives the padding from the output size. */
  validate: {
    arity: [3, 4],
    shape(op, v) {
      const outputShape = Array.from(v.int32Operand(0, 'output_shape', 4));
      const [outC, kh, kw, filterC] = v.rank(v.input(1), 4, 'filter');
      const [n, inH, inW, c] = v.rank(v.input(2), 4, 'input');
      if (filterC !== c) {
        v.fail(
          'SHAPE_MISMATCH',
          `filter '${v.input(1).name}' [${v.input(1).shape.join(', ')}] reads ${filterC} input channels, but input '${v.input(2).name}' has ${c}`,
        );
      }
      v.positive(kh!, 'filter height');
      v.positive(kw!, 'filter width');
      v.positive(op.options.strideH, 'stride_h');
      v.positive(op.options.strideW, 'stride_w');
      if (outputShape.some((d) => d < 1))
        v.fail('SHAPE_MISMATCH', `output_shape operand [${outputShape.join(', ')}] must hold positive sizes`);
      if (outputShape[0] !== n || outputShape[3] !== outC) {
        v.fail(
          'SHAPE_MISMATCH',
          `output_shape operand [${outputShape.join(', ')}] must keep the batch ${n} and have the filter's ${outC} output channels`,
        );
      }
      v.expectOutput(outputShape, 'the output_shape operand');
      // TRANSPOSE_CONV is the gradient of a conv from its output back to its input (TF's conv2d_transpose):
      // that conv, run on the output size, must give the input size, or runtimes place the taps differently.
      const o = op.options;
      const forward = (out: number, k: number, s: number) => (o.padding === 'SAME' ? Math.ceil(out / s) : Math.floor((out - k + s) / s));
      const [fh, fw] = [forward(outputShape[1]!, kh!, o.strideH), forward(outputShape[2]!, kw!, o.strideW)];
      if (fh !== inH || fw !== inW) {
        v.fail(
          'SHAPE_MISMATCH',
          `input '${v.input(2).name}' is ${inH}×${inW} but output_shape [${outputShape.join(', ')}] with a ${kh}×${kw} filter, ` +
            `strides ${o.strideH}×${o.strideW} and ${o.padding} padding belongs to a ${fh}×${fw} input`,
        );
      }
      checkBiasShape(v, 3, outC!);
    },
    int8(_op, v) {
      checkWeights(v, 1, 0, v.input(1).shape[0]!);
    },
  },
  // A fused activation would make it version 4, which neither the Arduino TFLM
  // library (Feb 2023) nor tfjs-tflite's runtime knows: its ReLU stays an op.
  fusesActivation: false,
  passesChannelsThrough: false,
  spatiallyProportional: false,
  macs: (op, t) => {
    const [cout, kh, kw, cin] = t[op.inputs[1]!]!.shape as [number, number, number, number];
    return tensorSize(t[op.inputs[2]!]!.shape.slice(0, 3)) * kh * kw * cin * cout;
  },
  tflm: {
    resolverCall: 'AddTransposeConv',
    builtinDataBytes: 16, // TfLiteTransposeConvParams
    userDataBytes: { 'tflm-reference': 72, 'tflm-cmsis-nn': 72 }, // estimate
    perChannelMultipliers: true,
    // kernels/transpose_conv.cc: int8 accumulates into an int32 buffer the size of the output.
    scratch: { 'tflm-reference': int32PerOutputScratch, 'tflm-cmsis-nn': int32PerOutputScratch },
    flashBytes: 5_000,
  },
  cRuntime: {
    flashBytesPerCall: 510,
    instructions: perMac(34), // the portable reference kernel
  },
};
