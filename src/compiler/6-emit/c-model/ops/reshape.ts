import type { Op } from '../../../../ir/index.js';
import type { EmitContext, Step } from '../types.js';
import { input, output, size, unsupported } from './common.js';

/** RESHAPE: the output takes the input's bytes (no code); firmware/kernels/reshape.h copies only where the planner cannot share them. */
export function emitReshape(op: Op, ctx: EmitContext): Step {
  const { graph } = ctx;
  const x = input(graph, op, 0);
  const out = output(graph, op);
  if (size(x) !== size(out) || x.dtype !== out.dtype)
    unsupported(graph, op, `input [${x.shape.join(', ')}] and output [${out.shape.join(', ')}] differ in size or type`);
  return {
    kinds: ['RESHAPE'],
    names: [op.name],
    reads: [x.id],
    write: out.id,
    scratchBytes: 0,
    aliasOf: 0,
    macs: 0,
    declarations: [],
    headers: ['reshape.h'],
    call: (b) => (b.aliased ? "/* shares its input's bytes */" : `tp_reshape(${b.reads[0]}, ${b.write}, ${size(out)});`),
  };
}
