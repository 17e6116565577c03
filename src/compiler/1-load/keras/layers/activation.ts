import { parseActivation } from '../activation.js';
import type { LayerLowering } from './lowering.js';

/**
 * Activation layer: 'softmax'/'sigmoid' become SOFTMAX/LOGISTIC ops, 'relu'/'relu6'
 * fuse into the op before it (or become a RELU/RELU6 op where they cannot),
 * 'linear' disappears.
 */
export const activation: LayerLowering = {
  classNames: ['Activation'],
  passThrough: (config) => {
    const a = parseActivation(config);
    return a.fused === 'NONE' && a.then === undefined;
  },
  lower(layer, ctx) {
    const act = parseActivation(layer.config);
    const x = ctx.input(layer);
    if (act.then) return ctx.finishActivation(layer, x, act);
    return ctx.fuseActivation(layer, x, act.fused);
  },
};
