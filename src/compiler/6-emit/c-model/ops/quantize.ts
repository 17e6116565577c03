import type { Op } from '../../../../ir/index.js';
import { quantizeMultiplier } from '../../../../ops/index.js';
import { cStruct } from '../literals.js';
import type { EmitContext, Step } from '../types.js';
import { input, output, q8, size, unaryStep, unsupported } from './common.js';

/** QUANTIZE: firmware/kernels/quantize.h; float32 → int8 (the model's float input) or int8 → int8 (in place when possible). */
export function emitQuantize(op: Op, ctx: EmitContext): Step {
  const { graph, prefix } = ctx;
  const x = input(graph, op, 0);
  const out = output(graph, op);
  if (out.dtype !== 'int8') unsupported(graph, op, `output '${out.name}' is ${out.dtype}; only int8 outputs are supported`);
  const outQ = q8(out, op);
  if (x.dtype === 'float32') {
    const params = cStruct('tp_quantize_params', `${prefix}_params`, {
      size: size(x),
      scale: { float: outQ.scale },
      in_zp: 0,
      out_zp: outQ.zeroPoint,
      multiplier: 0,
      shift: 0,
    });
    return step(op, prefix, x.id, out.id, params, 'tp_quantize_f32', false);
  }
  if (x.dtype !== 'int8') unsupported(graph, op, `input '${x.name}' is ${x.dtype}; only float32 or int8 inputs are supported`);
  const inQ = q8(x, op);
  const { multiplier, shift } = quantizeMultiplier(inQ.scale / outQ.scale);
  const params = cStruct('tp_quantize_params', `${prefix}_params`, {
    size: size(x),
    scale: { float: 1 },
    in_zp: inQ.zeroPoint,
    out_zp: outQ.zeroPoint,
    multiplier,
    shift,
  });
  return step(op, prefix, x.id, out.id, params, 'tp_quantize_s8', true);
}

function step(op: Op, prefix: string, read: number, write: number, params: string, fn: string, inPlace: boolean): Step {
  return unaryStep(op, 'QUANTIZE', 'quantize', { read, write, inPlace }, params, prefix, fn);
}
