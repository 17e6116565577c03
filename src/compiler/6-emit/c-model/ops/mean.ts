import { fail } from '../../../../util/index.js';
import type { Op } from '../../../../ir/index.js';
import { meanMultiplier } from '../../../../ops/index.js';
import { cStruct } from '../literals.js';
import type { EmitContext, Step } from '../types.js';
import { constant, input, output, q8, rank4, size, unsupported } from './common.js';

/** MEAN: firmware/kernels/mean.h, summing into an int32 scratch buffer (one per output), as TFLM does. */
export function emitMean(op: Op, ctx: EmitContext): Step {
  const { graph, prefix } = ctx;
  const x = input(graph, op, 0);
  const out = output(graph, op);
  const axes = constant(graph, op, 1, Int32Array);
  const rank = x.shape.length;
  const reduced = new Array<boolean>(4).fill(false);
  for (const a of axes) {
    const axis = a < 0 ? a + rank : a;
    if (axis < 0 || axis >= rank) fail('BAD_ARGUMENT', `${graph.name}: op '${op.name}' (MEAN): axis ${a} is out of range for rank ${rank}`);
    reduced[4 - rank + axis] = true;
  }
  const shape = rank4(graph, op, x.shape);
  const outStride = [0, 0, 0, 0];
  let s = 1;
  for (let i = 3; i >= 0; i--) {
    outStride[i] = reduced[i] ? 0 : s;
    s *= reduced[i] ? 1 : shape[i]!;
  }
  const outSize = s;
  if (outSize !== size(out)) unsupported(graph, op, `output '${out.name}' has ${size(out)} values, the reduction gives ${outSize}`);
  const count = size(x) / outSize;
  const inQ = q8(x, op);
  const outQ = q8(out, op);
  const { multiplier, shift } = meanMultiplier(inQ.scale, outQ.scale, count);
  const params = cStruct('tp_mean_params', `${prefix}_params`, {
    shape,
    out_stride: outStride,
    out_size: outSize,
    count,
    in_zp: inQ.zeroPoint,
    out_zp: outQ.zeroPoint,
    multiplier,
    shift,
  });
  return {
    kinds: ['MEAN'],
    names: [op.name],
    reads: [x.id],
    write: out.id,
    scratchBytes: 4 * outSize,
    macs: size(x),
    declarations: [params],
    headers: ['mean.h'],
    call: (b) => `tp_mean(&${prefix}_params, ${b.reads[0]}, ${b.write}, (int32_t *)(void *)${b.scratch});`,
  };
}
