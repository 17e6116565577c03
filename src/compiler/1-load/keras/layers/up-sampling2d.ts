import { nhwc } from './geometry.js';
import type { LayerLowering } from './lowering.js';

/**
 * UpSampling2D (nearest) → RESIZE_NEAREST_NEIGHBOR with half_pixel_centers true
 * and align_corners false, as the TFLite converter emits for Keras (the TFLite converter's lowering of tf.image.resize nearest).
 * With an integer factor both pick source index floor(y / factor).
 */
export const upSampling2d: LayerLowering = {
  classNames: ['UpSampling2D'],
  lower(layer, ctx) {
    const cfg = layer.config;
    cfg.requireChannelsLast();
    const interpolation = cfg.string('interpolation', 'nearest');
    if (interpolation !== 'nearest') {
      cfg.unsupported(`interpolation '${interpolation}' is not supported`, "use interpolation='nearest' (RESIZE_NEAREST_NEIGHBOR)");
    }
    const x = ctx.input(layer);
    const [, h, w, c] = nhwc(layer, ctx.shape(x));
    const [fh, fw] = cfg.intPair('size', [2, 2]);
    const size = ctx.constI32(`${layer.name}/size`, [h * fh, w * fw]);
    const out = ctx.activation(layer.name, [1, h * fh, w * fw, c]);
    ctx.op('RESIZE_NEAREST_NEIGHBOR', layer, [x, size], [out], { alignCorners: false, halfPixelCenters: true });
    return out;
  },
};
