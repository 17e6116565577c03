import { parseActivation } from '../activation.js';
import { nhwc, padding, requirePositive, windowOutput } from './geometry.js';
import type { LayerLowering } from './lowering.js';
import { transpose } from './transpose.js';

/** Conv2D → CONV_2D. Keras kernels are HWIO [kh, kw, cin, cout]; TFLite wants OHWI. */
export const conv2d: LayerLowering = {
  classNames: ['Conv2D', 'Convolution2D'],
  lower(layer, ctx) {
    const cfg = layer.config;
    cfg.requireChannelsLast();
    if (cfg.number('groups', 1) !== 1)
      cfg.unsupported(`groups=${cfg.number('groups')} is not supported`, 'use groups=1 (TFLite int8 CONV_2D has no grouped form)');
    const x = ctx.input(layer);
    const [, h, w, cin] = nhwc(layer, ctx.shape(x));
    const filters = cfg.number('filters');
    const [kh, kw] = cfg.intPair('kernel_size');
    const [sh, sw] = cfg.intPair('strides', [1, 1]);
    const [dh, dw] = cfg.intPair('dilation_rate', [1, 1]);
    const pad = padding(cfg);
    const act = parseActivation(cfg);

    const kernel = ctx.weight(layer, 'kernel', [kh, kw, cin, filters]);
    const ohwi = transpose(kernel.data, kernel.shape, [3, 0, 1, 2]);
    const filterId = ctx.constF32(`${layer.name}/kernel`, ohwi.shape, ohwi.data);
    // Full TFLite refuses a conv without a bias tensor, so a bias-free layer gets zeros.
    const bias = cfg.boolean('use_bias', true) ? ctx.weight(layer, 'bias', [filters]).data.slice() : new Float32Array(filters);
    const biasId = ctx.constF32(`${layer.name}/bias`, [filters], bias);

    const shape = requirePositive(layer, [1, windowOutput(h, kh, sh, dh, pad), windowOutput(w, kw, sw, dw, pad), filters]);
    const out = ctx.opOutput(layer, shape, act);
    ctx.op('CONV_2D', layer, [x, filterId, biasId], [out], {
      padding: pad,
      strideH: sh,
      strideW: sw,
      dilationH: dh,
      dilationW: dw,
      activation: act.fused,
    });
    return ctx.finishActivation(layer, out, act);
  },
};
