import { isObject } from '../config.js';
import { nhwc } from './geometry.js';
import type { LayerLowering } from './lowering.js';

/** ZeroPadding2D → PAD with an int32 [4, 2] paddings constant (batch and channels unpadded). */
export const zeroPadding2d: LayerLowering = {
  classNames: ['ZeroPadding2D'],
  lower(layer, ctx) {
    const cfg = layer.config;
    cfg.requireChannelsLast();
    const [[top, bottom], [left, right]] =
      paddingPairs(cfg.raw['padding']) ??
      cfg.unsupported(
        `padding ${JSON.stringify(cfg.raw['padding'])} is not understood`,
        'use an int, [rows, cols] or [[top, bottom], [left, right]]',
      );
    const x = ctx.input(layer);
    const [, h, w, c] = nhwc(layer, ctx.shape(x));
    const paddings = ctx.constI32(`${layer.name}/paddings`, [0, 0, top, bottom, left, right, 0, 0], [4, 2]);
    const out = ctx.activation(layer.name, [1, h + top + bottom, w + left + right, c]);
    ctx.op('PAD', layer, [x, paddings], [out], {});
    return out;
  },
};

type Pairs = [[number, number], [number, number]];

/** Keras accepts 1, [1, 2] (symmetric per axis) or [[1, 1], [2, 2]]. */
function paddingPairs(v: unknown): Pairs | undefined {
  const ok = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;
  if (ok(v))
    return [
      [v, v],
      [v, v],
    ];
  if (!Array.isArray(v) || v.length !== 2 || isObject(v)) return undefined;
  const [a, b] = v as unknown[];
  if (ok(a) && ok(b))
    return [
      [a, a],
      [b, b],
    ];
  const pair = (p: unknown): [number, number] | undefined =>
    Array.isArray(p) && p.length === 2 && ok(p[0]) && ok(p[1]) ? [p[0], p[1]] : undefined;
  const pa = pair(a);
  const pb = pair(b);
  return pa && pb ? [pa, pb] : undefined;
}
