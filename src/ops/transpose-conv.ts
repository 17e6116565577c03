import { tensorSize } from '../ir/index.js';
import { transposeConvCodec } from './codecs/transpose-conv.js';
import { perMac } from './c-runtime.js';
import type { OpDescriptor } from './descriptor.js';
import { transposeConv as kernel } from './kernels/transpose-conv.js';
import { int32PerOutputScratch } from './tflm.js';

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
  weights: { slot: 1, dataSlot: 2, biasSlot: 3, outputChannelAxis: 0, perChannelQuant: true, foldsBatchNorm: false },
  outputQuant: 'calibrated',
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
