import { fail } from '../../../../util/index.js';
import { tensorSize } from '../../../../ir/index.js';
import type { LoweringContext } from '../context.js';
import type { FlatLayer } from '../flatten.js';
import type { LayerLowering } from './lowering.js';

/** Adds a RESHAPE to [1, ...target] with the new shape as an int32 constant, as TFLite does. */
export function lowerReshape(layer: FlatLayer, ctx: LoweringContext, target: number[]): number {
  const x = ctx.input(layer);
  const size = tensorSize(ctx.shape(x));
  const known = target.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  const unknown = target.filter((d) => d === -1).length;
  const resolved = unknown === 1 ? target.map((d) => (d === -1 ? size / known : d)) : target;
  const shape = [1, ...resolved];
  if (unknown > 1 || tensorSize(shape) !== size || resolved.some((d) => !Number.isInteger(d) || d <= 0)) {
    fail(
      'SHAPE_MISMATCH',
      `layer '${layer.name}' (${layer.config.className}) reshapes [${ctx.shape(x).join(', ')}] to [batch, ${target.join(', ')}], which does not hold ${size} values`,
    );
  }
  const shapeConst = ctx.constI32(`${layer.name}/shape`, shape);
  const out = ctx.activation(layer.name, shape);
  ctx.op('RESHAPE', layer, [x, shapeConst], [out], {});
  return out;
}

export const reshape: LayerLowering = {
  classNames: ['Reshape'],
  lower(layer, ctx) {
    const target = layer.config.raw['target_shape'];
    if (!Array.isArray(target) || !target.every((d) => typeof d === 'number')) {
      fail('NOT_A_MODEL', `layer '${layer.name}' (Reshape): target_shape ${JSON.stringify(target)} is not a list of numbers`);
    }
    return lowerReshape(layer, ctx, target);
  },
};
