import type { FlatLayer } from '../flatten.js';
import type { LoweringContext } from '../context.js';
import type { LayerLowering } from './lowering.js';

/**
 * LeakyReLU layer → LEAKY_RELU. The slope is `alpha` in tf.keras 2 and TF.js
 * and `negative_slope` in Keras 3; each defaults to 0.3. TFLite has no fused
 * leaky activation, so it is always an op of its own.
 */
export const leakyRelu: LayerLowering = {
  classNames: ['LeakyReLU'],
  lower(layer, ctx) {
    const cfg = layer.config;
    const alpha = cfg.has('negative_slope') ? cfg.number('negative_slope') : cfg.number('alpha', 0.3);
    return leakyReluOp(layer, ctx, ctx.input(layer), alpha);
  },
};

/** A LEAKY_RELU op on `id`; alpha is stored as the float32 the flatbuffer (and TFLite's kernel) will hold. */
export function leakyReluOp(layer: FlatLayer, ctx: LoweringContext, id: number, alpha: number): number {
  const out = ctx.activation(layer.name, ctx.shape(id));
  ctx.op('LEAKY_RELU', layer, [id], [out], { alpha: Math.fround(alpha) });
  return out;
}
