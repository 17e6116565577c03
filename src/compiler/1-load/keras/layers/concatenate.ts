import { fail } from '../../../../util/index.js';
import type { LayerLowering } from './lowering.js';

/** Concatenate → CONCATENATION, with Keras' (often negative) axis made a positive NHWC axis. */
export const concatenate: LayerLowering = {
  classNames: ['Concatenate'],
  lower(layer, ctx) {
    const inputs = ctx.inputs(layer);
    const shapes = inputs.map((id) => ctx.shape(id));
    const rank = shapes[0]!.length;
    const rawAxis = layer.config.number('axis', -1);
    const axis = rawAxis < 0 ? rank + rawAxis : rawAxis;
    if (axis <= 0 || axis >= rank) {
      fail(
        'UNSUPPORTED_LAYER',
        `layer '${layer.name}' (Concatenate): axis ${rawAxis} is the batch axis or out of range for rank ${rank}; concatenate along a feature axis`,
      );
    }
    for (const s of shapes) {
      if (s.length !== rank || s.some((d, i) => i !== axis && d !== shapes[0]![i])) {
        fail(
          'SHAPE_MISMATCH',
          `layer '${layer.name}' (Concatenate) joins shapes ${shapes.map((x) => `[${x.join(', ')}]`).join(' and ')} along axis ${axis}; all other dimensions must match`,
        );
      }
    }
    const shape = [...shapes[0]!];
    shape[axis] = shapes.reduce((sum, s) => sum + s[axis]!, 0);
    const out = ctx.activation(layer.name, shape);
    ctx.op('CONCATENATION', layer, inputs, [out], { axis, activation: 'NONE' });
    return out;
  },
};
