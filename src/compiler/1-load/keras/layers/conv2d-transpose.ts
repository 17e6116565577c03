import { parseActivation } from '../activation.js';
import { nhwc, padding } from './geometry.js';
import type { LayerLowering } from './lowering.js';
import { transpose } from './transpose.js';

/**
 * Conv2DTranspose → TRANSPOSE_CONV with inputs [output_shape int32[4], filter, input, bias].
 * Keras kernels are [kh, kw, cout, cin]; TFLite wants [cout, kh, kw, cin].
 * Output size as Keras computes it without output_padding:
 * SAME: in * stride; VALID: in * stride + max(kernel - stride, 0).
 * A relu/relu6 activation becomes a RELU/RELU6 op after it, never a fused
 * activation: TRANSPOSE_CONV with one is op version 4, which the Arduino TFLM
 * library and tfjs-tflite's runtime refuse ("Didn't find op ... version '4'").
 */
export const conv2dTranspose: LayerLowering = {
  classNames: ['Conv2DTranspose', 'Convolution2DTranspose'],
  lower(layer, ctx) {
    const cfg = layer.config;
    cfg.requireChannelsLast();
    if (cfg.has('output_padding'))
      cfg.unsupported(
        'output_padding is not supported',
        'remove output_padding (TFLite TRANSPOSE_CONV derives padding from the output shape)',
      );
    const [dh, dw] = cfg.intPair('dilation_rate', [1, 1]);
    if (dh !== 1 || dw !== 1)
      cfg.unsupported(`dilation_rate [${dh}, ${dw}] is not supported`, 'use dilation_rate=1 (TFLite TRANSPOSE_CONV has no dilation)');
    const x = ctx.input(layer);
    const [, h, w, cin] = nhwc(layer, ctx.shape(x));
    const filters = cfg.number('filters');
    const [kh, kw] = cfg.intPair('kernel_size');
    const [sh, sw] = cfg.intPair('strides', [1, 1]);
    const pad = padding(cfg);
    const act = parseActivation(cfg);
    const outLen = (len: number, k: number, s: number) => (pad === 'SAME' ? len * s : len * s + Math.max(k - s, 0));
    const shape = [1, outLen(h, kh, sh), outLen(w, kw, sw), filters];

    const kernel = ctx.weight(layer, 'kernel', [kh, kw, filters, cin]);
    const ohwi = transpose(kernel.data, kernel.shape, [2, 0, 1, 3]);
    const outputShape = ctx.constI32(`${layer.name}/output_shape`, shape);
    const filterId = ctx.constF32(`${layer.name}/kernel`, ohwi.shape, ohwi.data);
    const biasId = cfg.boolean('use_bias', true)
      ? ctx.constF32(`${layer.name}/bias`, [filters], ctx.weight(layer, 'bias', [filters]).data.slice())
      : -1;

    const linear = act.fused !== 'NONE' || act.then !== undefined;
    const out = ctx.activation(linear ? `${layer.name}/linear` : layer.name, shape);
    ctx.op('TRANSPOSE_CONV', layer, [outputShape, filterId, x, biasId], [out], {
      padding: pad,
      strideH: sh,
      strideW: sw,
      activation: 'NONE',
    });
    return ctx.finishActivation(layer, ctx.activationOp(layer, out, act.fused, layer.name), act);
  },
};
