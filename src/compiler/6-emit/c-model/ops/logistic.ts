import type { Op } from '../../../../ir/index.js';
import { logisticParams } from '../../../../ops/index.js';
import { cStruct } from '../literals.js';
import type { EmitContext, Step } from '../types.js';
import { input, output, q8, size, unaryStep, unsupported } from './common.js';

/** LOGISTIC: firmware/kernels/logistic.h, in place when its input dies here. */
export function emitLogistic(op: Op, ctx: EmitContext): Step {
  const { graph, prefix } = ctx;
  const x = input(graph, op, 0);
  const out = output(graph, op);
  const outQ = q8(out, op);
  if (outQ.zeroPoint !== -128 || outQ.scale !== 1 / 256)
    unsupported(graph, op, `int8 output '${out.name}' must have scale 1/256 and zero point -128`);
  const inQ = q8(x, op);
  const p = logisticParams(inQ.scale);
  const params = cStruct('tp_logistic_params', `${prefix}_params`, {
    size: size(x),
    in_zp: inQ.zeroPoint,
    multiplier: p.multiplier,
    shift: p.leftShift,
    radius: p.radius,
  });
  return unaryStep(op, 'LOGISTIC', 'logistic', { read: x.id, write: out.id, inPlace: true }, params, prefix);
}
