import type { Activation } from '../../../../ir/index.js';
import { leakyReluOp } from './leaky-relu.js';
import type { LayerLowering } from './lowering.js';

/**
 * ReLU layer → the fused activation of the op before it where it can fold,
 * else a RELU / RELU6 op. Only plain ReLU and ReLU capped at 6 are accepted
 * (TFLite's two ReLU ops), and ReLU with a negative_slope alone, which is a
 * leaky ReLU (Keras' relu calls the backend's leaky_relu for it).
 */
export const relu: LayerLowering = {
  classNames: ['ReLU'],
  lower(layer, ctx) {
    const cfg = layer.config;
    const maxValue = cfg.has('max_value') ? cfg.number('max_value') : undefined;
    const slope = cfg.number('negative_slope', 0);
    const threshold = cfg.number('threshold', 0);
    if (slope !== 0 && threshold === 0 && maxValue === undefined) return leakyReluOp(layer, ctx, ctx.input(layer), slope);
    if (slope !== 0 || threshold !== 0 || (maxValue !== undefined && maxValue !== 6)) {
      cfg.unsupported(
        `ReLU with max_value=${maxValue ?? 'None'}, negative_slope=${slope}, threshold=${threshold} is not supported`,
        'use a plain ReLU, ReLU(max_value=6) or ReLU(negative_slope=a) alone (TFLite RELU / RELU6 / LEAKY_RELU)',
      );
    }
    const act: Activation = maxValue === 6 ? 'RELU6' : 'RELU';
    return ctx.fuseActivation(layer, ctx.input(layer), act);
  },
};
