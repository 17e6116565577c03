import { fail } from '../../../../util/index.js';
import type { Op, OpOf } from '../../../../ir/index.js';
import { activationRangeInt8, roundHalfAwayFromZero } from '../../../../ops/index.js';
import { cStruct } from '../literals.js';
import type { EmitContext, Step } from '../types.js';
import { array, input, output, q8, unsupported } from './common.js';

/**
 * CONCATENATION: firmware/kernels/concatenation.h. An input whose params
 * differ from the output's gets a 256-entry table of the interpreter's
 * ConcatenationWithScaling arithmetic (float32, then round half away).
 */
export function emitConcatenation(op: Op, ctx: EmitContext): Step {
  const cat = op as OpOf<'CONCATENATION'>;
  const { graph, prefix } = ctx;
  const out = output(graph, op);
  const rank = out.shape.length;
  const axis = cat.options.axis < 0 ? cat.options.axis + rank : cat.options.axis;
  if (axis < 0 || axis >= rank)
    fail('BAD_ARGUMENT', `${graph.name}: op '${op.name}' (CONCATENATION): axis ${cat.options.axis} is out of range for rank ${rank}`);
  const parts = op.inputs.map((_, i) => input(graph, op, i));
  let along = 0;
  for (const t of parts) {
    if (t.shape.length !== rank || t.shape.some((d, k) => k !== axis && d !== out.shape[k]))
      unsupported(graph, op, `input '${t.name}' [${t.shape.join(', ')}] does not fit output [${out.shape.join(', ')}]`);
    along += t.shape[axis]!;
  }
  if (along !== out.shape[axis]) unsupported(graph, op, `inputs add up to ${along} along axis ${axis}, output has ${out.shape[axis]}`);
  const outer = out.shape.slice(0, axis).reduce((p, d) => p * d, 1);
  const inner = out.shape.slice(axis + 1).reduce((p, d) => p * d, 1);
  const outQ = q8(out, op);
  const range = activationRangeInt8(cat.options.activation, outQ.scale, outQ.zeroPoint);
  const inverseOut = Math.fround(1 / outQ.scale);
  const declarations: string[] = [];
  const tables = parts.map((t, i) => {
    const q = q8(t, op);
    if (q.scale === outQ.scale && q.zeroPoint === outQ.zeroPoint) return 'NULL';
    const scale = Math.fround(q.scale * inverseOut);
    const bias = Math.fround(-q.zeroPoint * scale);
    const lut = Int8Array.from({ length: 256 }, (_, k) => {
      const v = roundHalfAwayFromZero(Math.fround(Math.fround((k - 128) * scale) + bias)) + outQ.zeroPoint;
      return v < -128 ? -128 : v > 127 ? 127 : v;
    });
    const table = array(prefix, `requantize_${i}`, 'int8_t', lut);
    declarations.push(table.decl);
    return table.symbol;
  });
  const sizes = array(
    prefix,
    'copy_size',
    'int32_t',
    parts.map((t) => t.shape[axis]! * inner),
  );
  declarations.push(sizes.decl, `static const int8_t *const ${prefix}_requantize[${parts.length}] = {${tables.join(', ')}};`);
  declarations.push(
    cStruct('tp_concatenation_params', `${prefix}_params`, {
      inputs: parts.length,
      outer,
      copy_size: sizes.symbol,
      requantize: `${prefix}_requantize`,
      act_min: range.min,
      act_max: range.max,
    }),
  );
  return {
    kinds: ['CONCATENATION'],
    names: [op.name],
    reads: parts.map((t) => t.id),
    write: out.id,
    scratchBytes: 0,
    macs: 0,
    declarations,
    headers: ['concatenation.h'],
    call: (b) =>
      `{\n    const int8_t *const ins[${parts.length}] = {${b.reads.join(', ')}};\n    tp_concatenation(&${prefix}_params, ins, ${b.write});\n  }`,
  };
}
