import { tensorSize, type Graph, type Op } from '../ir/index.js';
import { computePadding } from './math/padding.js';

/**
 * TFLM facts shared by several op descriptors. Sources: tflite-micro at the
 * February 2023 sync of the Arduino library (kernels/*.cc, kernels/cmsis_nn/*.cc)
 * and the CMSIS-NN commit it downloads (e98ee09a, Source/*Functions/*_get_buffer_size)
 * built for Cortex-M4 (ARM_MATH_DSP, no MVE). "measured": sizeof() with
 * arm-none-eabi-gcc -mcpu=cortex-m4 -fno-short-enums; "counted": struct fields
 * added up from the named file; "estimate": not measured.
 */

const dims = (g: Graph, id: number | undefined): number[] => (id === undefined || id < 0 ? [] : g.tensors[id]!.shape);

/** arm_convolve_wrapper_s8_get_buffer_size: 1x1 (no padding, stride 1) needs none; every other shape 2·Cin·Kh·Kw int16. */
export function cmsisConvScratch(op: Extract<Op, { kind: 'CONV_2D' }>, g: Graph): number[] {
  const [, inH, inW, cin] = dims(g, op.inputs[0]) as [number, number, number, number];
  const [, kh, kw] = dims(g, op.inputs[1]) as [number, number, number, number];
  const [, outH, outW] = dims(g, op.outputs[0]) as [number, number, number, number];
  const o = op.options;
  const padH = o.padding === 'SAME' ? computePadding(o.strideH, o.dilationH, inH, kh, outH) : 0;
  const padW = o.padding === 'SAME' ? computePadding(o.strideW, o.dilationW, inW, kw, outW) : 0;
  const is1x1Fast =
    padH === 0 && padW === 0 && o.strideH === 1 && o.strideW === 1 && kh === 1 && kw === 1 && o.dilationH === 1 && o.dilationW === 1;
  // The 1xN kernel (input height 1, output width % 4 == 0) asks for the same size as the generic one.
  return is1x1Fast ? [] : [2 * cin * kh * kw * 2];
}

/** arm_depthwise_conv_wrapper_s8_get_buffer_size: the optimised kernel (multiplier 1, no dilation) needs Cin·Kh·Kw int16. */
export function cmsisDepthwiseScratch(op: Extract<Op, { kind: 'DEPTHWISE_CONV_2D' }>, g: Graph): number[] {
  const cin = dims(g, op.inputs[0])[3]!;
  const [, kh, kw] = dims(g, op.inputs[1]) as [number, number, number, number];
  const cout = dims(g, op.outputs[0])[3]!;
  const optimised = cin === cout && op.options.dilationH === 1 && op.options.dilationW === 1;
  return optimised ? [cin * kh * kw * 2] : [];
}

/** arm_avgpool_s8_get_buffer_size with ARM_MATH_DSP: one int32 per channel. */
export function cmsisAvgPoolScratch(op: Op, g: Graph): number[] {
  return [dims(g, op.inputs[0])[3]! * 4];
}

/** One int32 per output element: kernels/transpose_conv.cc (int8 accumulators) and kernels/reduce_common.cc (MEAN sums). */
export function int32PerOutputScratch(op: Op, g: Graph): number[] {
  return [tensorSize(dims(g, op.outputs[0])) * 4];
}

/** Multiply-accumulates of an op whose cost is one multiply per input element (MEAN, ADD, SOFTMAX, LOGISTIC, int8 RELU's requantise). */
export function perInputElementMacs(op: Op, tensors: readonly { shape: number[] }[]): number {
  return tensorSize(tensors[op.inputs[0]!]!.shape);
}
