import type { Op } from '../../../../ir/index.js';
import { cStruct } from '../literals.js';
import type { EmitContext, Step } from '../types.js';
import { input, output, q8, size, unaryStep, unsupported } from './common.js';

/** DEQUANTIZE int8 → float32 (the model's float output): firmware/kernels/dequantize.h. */
export function emitDequantize(op: Op, ctx: EmitContext): Step {
  const { graph, prefix } = ctx;
  const x = input(graph, op, 0);
  const out = output(graph, op);
  if (x.dtype !== 'int8' || out.dtype !== 'float32')
    unsupported(graph, op, `${x.dtype} → ${out.dtype} is not supported; only int8 → float32`);
  const q = q8(x, op);
  const params = cStruct('tp_dequantize_params', `${prefix}_params`, { size: size(x), zp: q.zeroPoint, scale: { float: q.scale } });
  return unaryStep(op, 'DEQUANTIZE', 'dequantize', { read: x.id, write: out.id, inPlace: false }, params, prefix);
}
