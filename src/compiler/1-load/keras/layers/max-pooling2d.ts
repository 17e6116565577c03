import type { LayerConfig } from '../config.js';
import type { LoweringContext } from '../context.js';
import type { FlatLayer } from '../flatten.js';
import { nhwc, padding, requirePositive, windowOutput } from './geometry.js';
import type { LayerLowering } from './lowering.js';

/** Shared by MaxPooling2D and AveragePooling2D: Keras strides default to the pool size. */
export function lowerPool(kind: 'MAX_POOL_2D' | 'AVERAGE_POOL_2D', layer: FlatLayer, ctx: LoweringContext): number {
  const cfg: LayerConfig = layer.config;
  cfg.requireChannelsLast();
  const x = ctx.input(layer);
  const [, h, w, c] = nhwc(layer, ctx.shape(x));
  const [ph, pw] = cfg.intPair('pool_size', [2, 2]);
  const [sh, sw] = cfg.intPair('strides', [ph, pw]);
  const pad = padding(cfg);
  const shape = requirePositive(layer, [1, windowOutput(h, ph, sh, 1, pad), windowOutput(w, pw, sw, 1, pad), c]);
  const out = ctx.activation(layer.name, shape);
  ctx.op(kind, layer, [x], [out], { padding: pad, strideH: sh, strideW: sw, filterH: ph, filterW: pw, activation: 'NONE' });
  return out;
}

export const maxPooling2d: LayerLowering = {
  classNames: ['MaxPooling2D', 'MaxPool2D'],
  lower: (layer, ctx) => lowerPool('MAX_POOL_2D', layer, ctx),
};
