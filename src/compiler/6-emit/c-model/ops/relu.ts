import type { Op } from '../../../../ir/index.js';
import { reluParams } from '../../../../ops/index.js';
import { cStruct } from '../literals.js';
import type { EmitContext, Step } from '../types.js';
import { input, output, q8, size, unaryStep } from './common.js';

/** RELU (standalone): firmware/kernels/relu.h, requantising, in place when its input dies here. */
export function emitRelu(op: Op, ctx: EmitContext): Step {
  const { graph, prefix } = ctx;
  const x = input(graph, op, 0);
  const out = output(graph, op);
  const inQ = q8(x, op);
  const outQ = q8(out, op);
  const p = reluParams(inQ, outQ);
  const params = cStruct('tp_relu_params', `${prefix}_params`, {
    size: size(x),
    in_zp: inQ.zeroPoint,
    out_zp: outQ.zeroPoint,
    multiplier: p.multiplier,
    shift: p.shift,
    act_min: p.min,
    act_max: p.max,
  });
  return unaryStep(op, 'RELU', 'relu', { read: x.id, write: out.id, inPlace: true }, params, prefix);
}
