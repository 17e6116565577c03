import { fail } from '../../../../util/index.js';
import type { LayerLowering } from './lowering.js';

/** Softmax layer → SOFTMAX (beta 1). TFLite normalises over the last axis only. */
export const softmax: LayerLowering = {
  classNames: ['Softmax'],
  lower(layer, ctx) {
    const x = ctx.input(layer);
    const rank = ctx.shape(x).length;
    const raw = layer.config.raw['axis'];
    const axis = Array.isArray(raw) && raw.length === 1 ? raw[0] : (raw ?? -1);
    if (axis !== -1 && axis !== rank - 1) {
      fail(
        'UNSUPPORTED_LAYER',
        `layer '${layer.name}' (Softmax): axis ${JSON.stringify(raw)} is not supported; TFLite SOFTMAX normalises over the last axis, use axis=-1`,
      );
    }
    const out = ctx.activation(layer.name, ctx.shape(x));
    ctx.op('SOFTMAX', layer, [x], [out], { beta: 1 });
    return out;
  },
};
