import type { OpOf, Padding } from '../ir.js';
import { checkSameParams, checkWeights } from './int8-params.js';
import type { OpView } from './op-view.js';
import type { OpRule } from './rule.js';

/** The windowed ops: convolutions and pooling, NHWC with batch first, filters OHWI. */

/** The TFLite runtime refuses CONV_2D and DEPTHWISE_CONV_2D without a bias ("Tensor at index 2 was optional but was expected"). */
function requireBias(v: OpView): void {
  if (!v.has(2)) {
    v.fail(
      'INVALID_GRAPH',
      'has no bias; the TFLite runtime refuses this op without one ' +
        '(conv.cc / depthwise_conv.cc: "Tensor at index 2 was optional but was expected")',
      'give the layer a bias (zeros will do) and re-export the model',
    );
  }
}

/** One spatial axis of a conv: its options checked, then its output size. */
function windowAxis(
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

function checkBiasShape(v: OpView, slot: number, channels: number): void {
  if (v.has(slot)) v.expectShape(v.input(slot), [channels], 'bias', `${channels} output channels`);
}

export const conv2dRule: OpRule<'CONV_2D'> = {
  arity: [2, 3],
  optional: [2],
  weights: 1,
  bias: 2,
  shape(op, v) {
    const [n, h, w, c] = v.rank(v.input(0), 4, 'input');
    const [outC, kh, kw, filterC] = v.rank(v.input(1), 4, 'filter');
    const o = op.options;
    if (!(filterC! >= 1 && c! % filterC! === 0 && outC! % (c! / filterC!) === 0)) {
      v.fail(
        'SHAPE_MISMATCH',
        `filter '${v.input(1).name}' [${v.input(1).shape}] reads ${filterC} input channels, but input '${v.input(0).name}' has ${c} (it ` +
        `must be ${c}, or a divisor of ${c} that splits the ${outC} filters into equal groups)`,
      );
    }
    const oh = windowAxis(v, o.padding, h!, kh!, o.strideH, o.dilationH, 'h', 'vertical');
    const ow = windowAxis(v, o.padding, w!, kw!, o.strideW, o.dilationW, 'w', 'horizontal');
    v.expectOutput([n!, oh, ow, outC!], `the input, ${kh}×${kw} filter, ${o.padding} padding and strides ${o.strideH}×${o.strideW}`);
    requireBias(v);
    checkBiasShape(v, 2, outC!);
  },
  int8(_op, v) {
    checkWeights(v, 1, 0, v.input(1).shape[0]!);
  },
};

export const depthwiseConv2dRule: OpRule<'DEPTHWISE_CONV_2D'> = {
  arity: [2, 3],
  optional: [2],
  weights: 1,
  bias: 2,
  shape(op, v) {
    const [n, h, w, c] = v.rank(v.input(0), 4, 'input');
    const [, kh, kw] = v.rank(v.input(1), 4, 'filter');
    const o = op.options;
    const outC = c! * v.positive(o.depthMultiplier, 'depth_multiplier');
    v.expectShape(v.input(1), [1, kh!, kw!, outC], 'filter', `${c} input channels × depth multiplier ${o.depthMultiplier}`);
    const oh = windowAxis(v, o.padding, h!, kh!, o.strideH, o.dilationH, 'h', 'vertical');
    const ow = windowAxis(v, o.padding, w!, kw!, o.strideW, o.dilationW, 'w', 'horizontal');
    v.expectOutput([n!, oh, ow, outC], `the input, ${kh}×${kw} filter, ${o.padding} padding and strides ${o.strideH}×${o.strideW}`);
    requireBias(v);
    checkBiasShape(v, 2, outC);
  },
  int8(_op, v) {
    checkWeights(v, 1, 3, v.input(1).shape[3]!);
  },
};

/** Inputs [output_shape int32[4], filter [Cout, Kh, Kw, Cin], input, bias?]; TFLite derives the padding from the output size. */
export const transposeConvRule: OpRule<'TRANSPOSE_CONV'> = {
  arity: [3, 4],
  optional: [3],
  data: [2],
  weights: 1,
  bias: 3,
  shape(op, v) {
    const outputShape = Array.from(v.int32Operand(0, 'output_shape', 4));
    const [outC, kh, kw, filterC] = v.rank(v.input(1), 4, 'filter');
    const [n, inH, inW, c] = v.rank(v.input(2), 4, 'input');
    if (filterC !== c) {
      v.fail(
        'SHAPE_MISMATCH',
        `filter '${v.input(1).name}' [${v.input(1).shape}] reads ${filterC} input channels, but input '${v.input(2).name}' has ${c}`,
      );
    }
    v.positive(kh!, 'filter height');
    v.positive(kw!, 'filter width');
    v.positive(op.options.strideH, 'stride_h');
    v.positive(op.options.strideW, 'stride_w');
    if (outputShape.some((d) => d < 1)) v.fail('SHAPE_MISMATCH', `output_shape operand [${outputShape}] must hold positive sizes`);
    if (outputShape[0] !== n || outputShape[3] !== outC) {
      v.fail(
        'SHAPE_MISMATCH',
        `output_shape operand [${outputShape}] must keep the batch ${n} and have the filter's ${outC} output channels`,
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
        `input '${v.input(2).name}' is ${inH}×${inW} but output_shape [${outputShape}] with a ${kh}×${kw} filter, ` +
          `strides ${o.strideH}×${o.strideW} and ${o.padding} padding belongs to a ${fh}×${fw} input`,
      );
    }
    checkBiasShape(v, 3, outC!);
  },
  int8(_op, v) {
    checkWeights(v, 1, 0, v.input(1).shape[0]!);
  },
};

function poolRule<K extends 'MAX_POOL_2D' | 'AVERAGE_POOL_2D'>(): OpRule<K> {
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

export const maxPool2dRule = poolRule<'MAX_POOL_2D'>();
export const averagePool2dRule = poolRule<'AVERAGE_POOL_2D'>();
