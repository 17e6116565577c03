import type { Op, OpOf } from '../../../../ir/index.js';
import { softmaxParams } from '../../../../ops/index.js';
import { cStruct } from '../literals.js';
import type { EmitContext, Step } from '../types.js';
import { input, output, q8, size, unaryStep, unsupported } from './common.js';

/** Rows longer than this could sum their exps past 2^28 (12 integer bits), where the final shift reaches 32. */
const MAX_SOFTMAX_DEPTH = 511;

/** SOFTMAX over the last axis: firmware/kernels/softmax.h. */
export function emitSoftmax(op: Op, ctx: EmitContext): Step {
  const { graph, prefix } = ctx;
  const x = input(graph, op, 0);
  const out = output(graph, op);
  const outQ = q8(out, op);
  if (outQ.zeroPoint !== -128 || outQ.scale !== 1 / 256)
    unsupported(graph, op, `int8 output '${out.name}' must have scale 1/256 and zero point -128`);
  const depth = x.shape[x.shape.length - 1] ?? 1;
  if (depth > MAX_SOFTMAX_DEPTH) unsupported(graph, op, `rows of ${depth} values are longer than the kernel's ${MAX_SOFTMAX_DEPTH}`);
  const p = softmaxParams((op as OpOf<'SOFTMAX'>).options.beta, q8(x, op).scale);
  const params = cStruct('tp_softmax_params', `${prefix}_params`, {
    outer: size(x) / depth,
    depth,
    multiplier: p.multiplier,
    left_shift: p.leftShift,
    diff_min: p.diffMin,
  });
  return unaryStep(op, 'SOFTMAX', 'softmax', { read: x.id, write: out.id, inPlace: false }, params, prefix);
}
