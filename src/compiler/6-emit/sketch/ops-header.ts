import type { OpKind } from '../../../ir/index.js';
import { bannerContext, renderTemplate, type BannerInfo } from '../render.js';
import type { SketchPlan } from '../../4-plan/index.js';

/**
 * The MicroMutableOpResolver method that registers each IR op kind's TFLM
 * kernel. RELU / RELU6 are usually fused into the op they follow; the
 * standalone kinds appear after TRANSPOSE_CONV or an unfusable ReLU (the
 * Record type makes a missing kind a compile error).
 */
export const TFLM_ADD_CALLS: Readonly<Record<OpKind, string>> = {
  CONV_2D: 'AddConv2D',
  DEPTHWISE_CONV_2D: 'AddDepthwiseConv2D',
  FULLY_CONNECTED: 'AddFullyConnected',
  TRANSPOSE_CONV: 'AddTransposeConv',
  MAX_POOL_2D: 'AddMaxPool2D',
  AVERAGE_POOL_2D: 'AddAveragePool2D',
  MEAN: 'AddMean',
  RESIZE_NEAREST_NEIGHBOR: 'AddResizeNearestNeighbor',
  PAD: 'AddPad',
  ADD: 'AddAdd',
  CONCATENATION: 'AddConcatenation',
  RESHAPE: 'AddReshape',
  SOFTMAX: 'AddSoftmax',
  LOGISTIC: 'AddLogistic',
  RELU: 'AddRelu',
  RELU6: 'AddRelu6',
  QUANTIZE: 'AddQuantize',
  DEQUANTIZE: 'AddDequantize',
};

/** `tinypdm_ops.h`: a resolver sized to exactly the model's distinct ops, registering only those. */
export function emitOpsHeader(p: SketchPlan, banner: BannerInfo): string {
  return renderTemplate('sketch/tinypdm_ops.h', {
    ...bannerContext(banner),
    count: p.ops.length,
    registrations: p.ops.map((kind) => ({ kind, call: TFLM_ADD_CALLS[kind] })),
  });
}
