import { nhwc } from './geometry.js';
import type { LayerLowering } from './lowering.js';

/** GlobalAveragePooling2D → MEAN over H and W (axes [1, 2], an int32 constant), as the TFLite converter emits. */
export const globalAveragePooling2d: LayerLowering = {
  classNames: ['GlobalAveragePooling2D', 'GlobalAvgPool2D'],
  lower(layer, ctx) {
    const cfg = layer.config;
    cfg.requireChannelsLast();
    const x = ctx.input(layer);
    const [, , , c] = nhwc(layer, ctx.shape(x));
    const keepDims = cfg.boolean('keepdims', false);
    const axes = ctx.constI32(`${layer.name}/axes`, [1, 2]);
    const out = ctx.activation(layer.name, keepDims ? [1, 1, 1, c] : [1, c]);
    ctx.op('MEAN', layer, [x, axes], [out], { keepDims });
    return out;
  },
};
