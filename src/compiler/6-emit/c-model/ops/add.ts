import { fail } from '../../../../util/index.js';
import type { Op, OpOf } from '../../../../ir/index.js';
import { activationRangeInt8, addParams, broadcastShape } from '../../../../ops/index.js';
import { cStruct } from '../literals.js';
import type { EmitContext, Step } from '../types.js';
import { input, output, q8, rank4, size, unsupported } from './common.js';

/** Strides of an input over the rank-4 output, 0 along broadcast axes. */
function strides(shape: readonly number[]): number[] {
  const s4 = [1, 1, 1, 1, ...shape].slice(-4);
  const out = [0, 0, 0, 0];
  let s = 1;
  for (let i = 3; i >= 0; i--) {
    out[i] = s4[i] === 1 ? 0 : s;
    s *= s4[i]!;
  }
  return out;
}

/** ADD: firmware/kernels/add.h; in place over an input of the output's size when that input dies here. */
export function emitAdd(op: Op, ctx: EmitContext): Step {
  const { graph, prefix } = ctx;
  const a = input(graph, op, 0);
  const b = input(graph, op, 1);
  const out = output(graph, op);
  const shape = broadcastShape(a.shape, b.shape);
  if (!shape || shape.length !== out.shape.length || shape.some((d, i) => d !== out.shape[i])) {
    unsupported(
      graph,
      op,
      `inputs [${a.shape.join(', ')}] and [${b.shape.join(', ')}] do not broadcast to output [${out.shape.join(', ')}]`,
    );
  }
  const qa = q8(a, op);
  const qb = q8(b, op);
  const qo = q8(out, op);
  const p = addParams(qa.scale, qb.scale, qo.scale);
  if (!(p.realOut < 1))
    fail(
      'QUANTIZATION',
      `${graph.name}: op '${op.name}' (ADD): output scale ${qo.scale} is too small for input scales ${qa.scale}, ${qb.scale}; widen the output range`,
    );
  const range = activationRangeInt8((op as OpOf<'ADD'>).options.activation, qo.scale, qo.zeroPoint);
  const params = cStruct('tp_add_params', `${prefix}_params`, {
    out_shape: rank4(graph, op, out.shape),
    a_stride: strides(a.shape),
    b_stride: strides(b.shape),
    a_zp: qa.zeroPoint,
    b_zp: qb.zeroPoint,
    out_zp: qo.zeroPoint,
    act_min: range.min,
    act_max: range.max,
    a_multiplier: p.a.multiplier,
    a_shift: p.a.shift,
    b_multiplier: p.b.multiplier,
    b_shift: p.b.shift,
    out_multiplier: p.out.multiplier,
    out_shift: p.out.shift,
  });
  const inPlace = size(a) === size(out) ? 0 : size(b) === size(out) ? 1 : undefined;
  return {
    kinds: ['ADD'],
    names: [op.name],
    reads: [a.id, b.id],
    write: out.id,
    scratchBytes: 0,
    ...(inPlace !== undefined ? { inPlaceOf: inPlace } : {}),
    macs: 0,
    declarations: [params],
    headers: ['add.h'],
    call: (bufs) => `tp_add(&${prefix}_params, ${bufs.reads[0]}, ${bufs.reads[1]}, ${bufs.write});`,
  };
}
