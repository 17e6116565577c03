import { fail } from '../../../../util/index.js';
import type { LayerLowering } from './lowering.js';

/** Add → ADD; TFLite ADD takes two operands, so n inputs become a chain of n - 1 ADDs. */
export const add: LayerLowering = {
  classNames: ['Add'],
  lower(layer, ctx) {
    const inputs = ctx.inputs(layer);
    if (inputs.length < 2) fail('NOT_A_MODEL', `layer '${layer.name}' (Add) needs at least two inputs, got ${inputs.length}`);
    const shape = ctx.shape(inputs[0]!);
    for (const id of inputs.slice(1)) {
      const s = ctx.shape(id);
      if (s.length !== shape.length || s.some((d, i) => d !== shape[i])) {
        fail(
          'SHAPE_MISMATCH',
          `layer '${layer.name}' (Add) adds shapes [${shape.join(', ')}] and [${s.join(', ')}]; broadcasting is not supported, make the inputs the same shape`,
        );
      }
    }
    let acc = inputs[0]!;
    inputs.slice(1).forEach((id, i) => {
      const last = i === inputs.length - 2;
      const out = ctx.activation(last ? layer.name : `${layer.name}/partial_${i}`, shape);
      ctx.op('ADD', layer, [acc, id], [out], { activation: 'NONE' });
      acc = out;
    });
    return acc;
  },
};
