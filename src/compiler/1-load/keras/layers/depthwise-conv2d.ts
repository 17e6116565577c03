import { parseActivation } from '../activation.js';
import { nhwc, padding, requirePositive, windowOutput } from './geometry.js';
import type { LayerLowering } from './lowering.js';

/**
 * DepthwiseConv2D → DEPTHWISE_CONV_2D. Keras stores [kh, kw, cin, multiplier];
 * TFLite wants [1, kh, kw, cin * multiplier] with output channel c * multiplier + m,
 * which is the same row-major order, so the data is reused as is.
 */
export const depthwiseConv2d: LayerLowering = {
  classNames: ['DepthwiseConv2D'],
  lower(layer, ctx) {
    const cfg = layer.config;
    cfg.requireChannelsLast();
    const x = ctx.input(layer);
    const [, h, w, cin] = nhwc(layer, ctx.shape(x));
    const multiplier = cfg.number('depth_multiplier', 1);
    const [kh, kw] = cfg.intPair('kernel_size');
    const [sh, sw] = cfg.intPair('strides', [1, 1]);
    const [dh, dw] = cfg.intPair('dilation_rate', [1, 1]);
    const pad = padding(cfg);
    const act = parseActivation(cfg);
    const cout = cin * multiplier;

    const kernel = ctx.weight(layer, 'depthwise_kernel', [kh, kw, cin, multiplier]);
    const filterId = ctx.constF32(`${layer.name}/depthwise_kernel`, [1, kh, kw, cout], kernel.data.slice());
    // Full TFLite refuses a conv without a bias tensor, so a bias-free layer gets zeros.
    const bias = cfg.boolean('use_bias', true) ? ctx.weight(layer, 'bias', [cout]).data.slice() : new Float32Array(cout);
    const biasId = ctx.constF32(`${layer.name}/bias`, [cout], bias);

    const shape = requirePositive(layer, [1, windowOutput(h, kh, sh, dh, pad), windowOutput(w, kw, sw, dw, pad), cout]);
    const out = ctx.opOutput(layer, shape, act);
    ctx.op('DEPTHWISE_CONV_2D', layer, [x, filterId, biasId], [out], {
      padding: pad,
      strideH: sh,
      strideW: sw,
      dilationH: dh,
      dilationW: dw,
      activation: act.fused,
      depthMultiplier: multiplier,
    });
    return ctx.finishActivation(layer, out, act);
  },
};
