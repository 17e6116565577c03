import type { OpOf, Padding } from '../../ir/index.js';
import { checkSameParams } from './int8-params.js';
import type { OpView } from './op-view.js';
import type { OpValidation } from './rule.js';

/** Checks several ops share: element-wise output shapes, and the windowed ops' (convolutions, pooling; NHWC, filters OHWI). */

/** Ops whose output has the input's shape. */
export function sameShapeAsInput(v: OpView): void {
  v.expectOutput(v.input(0).shape, 'an element-wise op (output shape = input shape)');
}

/** For ops whose weight facts say `biasRequired`: the TFLite runtime refuses them without a bias. */
export function requireBias(v: OpView, slot: number): void {
  if (!v.has(slot)) {
    v.fail(
      'INVALID_GRAPH',
      'has no bias; the TFLite runtime refuses this op without one ' +
        `(conv.cc / depthwise_conv.cc: "Tensor at index ${slot} was optional but was expected")`,
      'give the layer a bias (zeros will do) and re-export the model',
    );
  }
}

/** One spatial axis of a conv: its options checked, then its output size. */
export function windowAxis(
  v: OpView,
  padding: Padding,
  size: number,
  filter: number,
  stride: number,
  dilation: number,
  axis: 'h' | 'w',
  name: string,
): number {
  const f = v.positive(filter, `filter ${axis === 'h' ? 'height' : 'width'}`);
  return v.windowOutput(padding, size, f, v.positive(stride, `stride_${axis}`), v.positive(dilation, `dilation_${axis}_factor`), name);
}

export function checkBiasShape(v: OpView, slot: number, channels: number): void {
  if (v.has(slot)) v.expectShape(v.input(slot), [channels], 'bias', `${channels} output channels`);
}

/** MAX_POOL_2D and AVERAGE_POOL_2D: one input, a window over height and width, params shared with the input. */
export function poolValidation<K extends 'MAX_POOL_2D' | 'AVERAGE_POOL_2D'>(): OpValidation<K> {
  return {
    arity: [1, 1],
    shape(op: OpOf<K>, v) {
      const [n, h, w, c] = v.rank(v.input(0), 4, 'input');
      const o = (op as OpOf<'MAX_POOL_2D'>).options;
      const oh = v.windowOutput(o.padding, h!, v.positive(o.filterH, 'filter_height'), v.positive(o.strideH, 'stride_h'), 1, 'vertical');
      const ow = v.windowOutput(o.padding, w!, v.positive(o.filterW, 'filter_width'), v.positive(o.strideW, 'stride_w'), 1, 'horizontal');
      const window = `${o.filterH}×${o.filterW} window, ${o.padding} padding and strides ${o.strideH}×${o.strideW}`;
      v.expectOutput([n!, oh, ow, c!], `the input, ${window}`);
    },
    // TFLite pooling.cc: TF_LITE_ENSURE_NEAR(scales, 1e-6) and equal zero points; TFLM's pooling the same.
    int8: (_op, v) => checkSameParams(v, 1e-6, 'int8 pooling does not requantise (TFLite pooling.cc, TFLM pooling.cc)'),
  };
}
