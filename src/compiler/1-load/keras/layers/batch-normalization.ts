import { fail } from '../../../../util/index.js';
import type { LayerLowering } from './lowering.js';

/**
 * BatchNormalization (inference form) folded into the Conv2D / DepthwiseConv2D /
 * Dense before it: y = gamma * (x - mean) / sqrt(var + eps) + beta
 *                    = x * scale + (beta - mean * scale), scale = gamma / sqrt(var + eps).
 * With center=false there is no beta (0); with scale=false no gamma (1).
 */
export const batchNormalization: LayerLowering = {
  classNames: ['BatchNormalization'],
  lower(layer, ctx) {
    const cfg = layer.config;
    const x = ctx.input(layer);
    const shape = ctx.shape(x);
    const rank = shape.length;
    const raw = cfg.raw['axis'];
    const axis = Array.isArray(raw) && raw.length === 1 ? raw[0] : (raw ?? -1);
    if (axis !== -1 && axis !== rank - 1) {
      fail(
        'UNSUPPORTED_LAYER',
        `layer '${layer.name}' (BatchNormalization): axis ${JSON.stringify(raw)} is not the channel axis; only axis=-1 (channels_last) can be folded`,
      );
    }
    const channels = shape[rank - 1]!;
    const eps = cfg.number('epsilon', 1e-3);
    const gamma = cfg.boolean('scale', true) ? ctx.weight(layer, 'gamma', [channels]).data : undefined;
    const beta = cfg.boolean('center', true) ? ctx.weight(layer, 'beta', [channels]).data : undefined;
    const mean = ctx.weight(layer, 'moving_mean', [channels]).data;
    const variance = ctx.weight(layer, 'moving_variance', [channels]).data;
    const scale = new Float32Array(channels);
    const shift = new Float32Array(channels);
    for (let c = 0; c < channels; c++) {
      const s = (gamma ? gamma[c]! : 1) / Math.sqrt(variance[c]! + eps);
      scale[c] = s;
      shift[c] = (beta ? beta[c]! : 0) - mean[c]! * s;
    }
    return ctx.foldChannelAffine(layer, x, scale, shift);
  },
};
