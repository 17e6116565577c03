import { tensorSize, type Graph, type Op } from '../../../ir/index.js';
import type { ArenaTarget } from './target.js';

/**
 * Scratch buffers the kernels request in Prepare (RequestScratchBufferInArena),
 * in request order, for int8 graphs. Sources: tflite-micro at the February
 * 2023 sync of the Arduino library (kernels/*.cc, kernels/cmsis_nn/*.cc) and
 * the CMSIS-NN commit it downloads (e98ee09a, Source/*Functions/*_get_buffer_size)
 * built for Cortex-M4 (ARM_MATH_DSP, no MVE).
 */
export type ScratchRule = (op: Op, graph: Graph) => number[];

const dims = (g: Graph, id: number | undefined): number[] => (id === undefined || id < 0 ? [] : g.tensors[id]!.shape);

/** TFLM ComputePaddingHeightWidth: the "before" padding is floor(total / 2). */
function samePadding(inSize: number, outSize: number, stride: number, dilation: number, k: number): number {
  const effectiveK = (k - 1) * dilation + 1;
  return Math.max(0, Math.floor(((outSize - 1) * stride + effectiveK - inSize) / 2));
}

/** arm_convolve_wrapper_s8_get_buffer_size: 1x1 (no padding, stride 1) needs none; every other shape 2*Cin*Kh*Kw int16. */
function cmsisConv(op: Op, g: Graph): number[] {
  if (op.kind !== 'CONV_2D') return [];
  const [, inH, inW, cin] = dims(g, op.inputs[0]) as [number, number, number, number];
  const [, kh, kw] = dims(g, op.inputs[1]) as [number, number, number, number];
  const [, outH, outW] = dims(g, op.outputs[0]) as [number, number, number, number];
  const o = op.options;
  const padH = o.padding === 'SAME' ? samePadding(inH, outH, o.strideH, o.dilationH, kh) : 0;
  const padW = o.padding === 'SAME' ? samePadding(inW, outW, o.strideW, o.dilationW, kw) : 0;
  const is1x1Fast = padH === 0 && padW === 0 && o.strideH === 1 && o.strideW === 1 && kh === 1 && kw === 1 && o.dilationH === 1 && o.dilationW === 1;
  // The 1xN kernel (input height 1, output width % 4 == 0) asks for the same size as the generic one.
  return is1x1Fast ? [] : [2 * cin * kh * kw * 2];
}

/** arm_depthwise_conv_wrapper_s8_get_buffer_size: the optimised kernel (multiplier 1, no dilation) needs Cin*Kh*Kw int16. */
function cmsisDepthwise(op: Op, g: Graph): number[] {
  if (op.kind !== 'DEPTHWISE_CONV_2D') return [];
  const cin = dims(g, op.inputs[0])[3]!;
  const [, kh, kw] = dims(g, op.inputs[1]) as [number, number, number, number];
  const cout = dims(g, op.outputs[0])[3]!;
  const optimised = cin === cout && op.options.dilationH === 1 && op.options.dilationW === 1;
  return optimised ? [cin * kh * kw * 2] : [];
}

/** arm_avgpool_s8_get_buffer_size with ARM_MATH_DSP: one int32 per channel. Max pool needs none. */
function cmsisAvgPool(op: Op, g: Graph): number[] {
  return op.kind === 'AVERAGE_POOL_2D' ? [dims(g, op.inputs[0])[3]! * 4] : [];
}

/** kernels/transpose_conv.cc: int8 accumulates into an int32 buffer the size of the output. */
function transposeConv(op: Op, g: Graph): number[] {
  return op.kind === 'TRANSPOSE_CONV' ? [tensorSize(dims(g, op.outputs[0])) * 4] : [];
}

/** kernels/reduce_common.cc PrepareMeanOrSumHelper: int8 MEAN sums into one int32 per output element. */
function mean(op: Op, g: Graph): number[] {
  return op.kind === 'MEAN' ? [tensorSize(dims(g, op.outputs[0])) * 4] : [];
}

const RULES: Record<ArenaTarget, ScratchRule[]> = {
  // The reference conv, depthwise, pooling and fully connected kernels need no scratch.
  'tflm-reference': [transposeConv, mean],
  // CMSIS-NN's fully connected (arm_fully_connected_s8_get_buffer_size) and max pool need none.
  'tflm-cmsis-nn': [cmsisConv, cmsisDepthwise, cmsisAvgPool, transposeConv, mean],
};

/** Scratch requests of one op on one target, in bytes, in request order. */
export function scratchRequests(op: Op, graph: Graph, target: ArenaTarget): number[] {
  return RULES[target].flatMap((rule) => rule(op, graph));
}
