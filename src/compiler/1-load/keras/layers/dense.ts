import { parseActivation } from '../activation.js';
import type { LayerLowering } from './lowering.js';
import { transpose } from './transpose.js';

/**
 * Dense → FULLY_CONNECTED. Keras kernels are [in, units]; TFLite wants [units, in].
 * Keras applies Dense to the last axis of any input; TFLite's FULLY_CONNECTED
 * flattens leading axes into a batch, and keep_num_dims restores them, which is
 * what the TFLite converter emits for a Dense on a rank > 2 input.
 */
export const dense: LayerLowering = {
  classNames: ['Dense'],
  lower(layer, ctx) {
    const cfg = layer.config;
    const x = ctx.input(layer);
    const inShape = ctx.shape(x);
    const depth = inShape[inShape.length - 1]!;
    const units = cfg.number('units');
    const act = parseActivation(cfg);

    const kernel = ctx.weight(layer, 'kernel', [depth, units]);
    const t = transpose(kernel.data, kernel.shape, [1, 0]);
    const filterId = ctx.constF32(`${layer.name}/kernel`, t.shape, t.data);
    const biasId = cfg.boolean('use_bias', true)
      ? ctx.constF32(`${layer.name}/bias`, [units], ctx.weight(layer, 'bias', [units]).data.slice())
      : -1;

    const out = ctx.opOutput(layer, [...inShape.slice(0, -1), units], act);
    ctx.op('FULLY_CONNECTED', layer, [x, filterId, biasId], [out], { activation: act.fused, keepNumDims: inShape.length > 2 });
    return ctx.finishActivation(layer, out, act);
  },
};
