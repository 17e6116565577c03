import type { Op, OpOf } from '../../../../ir/index.js';
import { leakyReluParams } from '../../../../ops/index.js';
import { cStruct } from '../literals.js';
import type { EmitContext, Step } from '../types.js';
import { input, output, q8, size, unaryStep } from './common.js';

/** LEAKY_RELU: firmware/kernels/leaky_relu.h, the interpreter's two multipliers (float32-formed, as TFLM's Prepare), in place when its input dies here. */
export function emitLeakyRelu(op: Op, ctx: EmitContext): Step {
  const { graph, prefix } = ctx;
  const x = input(graph, op, 0);
  const out = output(graph, op);
  const inQ = q8(x, op);
  const outQ = q8(out, op);
  const p = leakyReluParams(inQ, outQ, (op as OpOf<'LEAKY_RELU'>).options.alpha);
  const params = cStruct('tp_leaky_relu_params', `${prefix}_params`, {
    size: size(x),
    in_zp: inQ.zeroPoint,
    out_zp: outQ.zeroPoint,
    identity_multiplier: p.identity.multiplier,
    identity_shift: p.identity.shift,
    alpha_multiplier: p.alpha.multiplier,
    alpha_shift: p.alpha.shift,
  });
  return unaryStep(op, 'LEAKY_RELU', 'leaky_relu', { read: x.id, write: out.id, inPlace: true }, params, prefix);
}
