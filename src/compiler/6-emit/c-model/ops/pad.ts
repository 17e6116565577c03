import { fail } from '../../../../util/index.js';
import type { Graph, Op } from '../../../../ir/index.js';
import { cStruct } from '../literals.js';
import type { EmitContext, Step } from '../types.js';
import { constant, input, output, q8, rank4, unsupported } from './common.js';

/** The (before, after) paddings per axis, checked against the shapes. */
export function padAmounts(op: Op, graph: Graph): { before: number[]; after: number[] } {
  const x = input(graph, op, 0);
  const out = output(graph, op);
  const p = constant(graph, op, 1, Int32Array);
  const rank = x.shape.length;
  if (p.length !== 2 * rank || p.some((v) => v < 0)) {
    fail(
      'BAD_ARGUMENT',
      `${graph.name}: op '${op.name}' (PAD): paddings must be ${rank}x2 non-negative values, got [${Array.from(p).join(', ')}]`,
    );
  }
  const before = x.shape.map((_, i) => p[2 * i]!);
  const after = x.shape.map((_, i) => p[2 * i + 1]!);
  if (out.shape.length !== rank || out.shape.some((d, i) => d !== x.shape[i]! + before[i]! + after[i]!)) {
    unsupported(graph, op, `output [${out.shape.join(', ')}] differs from the padded input`);
  }
  return { before, after };
}

/** PAD: firmware/kernels/pad.h, filling with the output zero point (on cortex-m4 a conv consumer reads through it instead). */
export function emitPad(op: Op, ctx: EmitContext): Step {
  const { graph, prefix } = ctx;
  const x = input(graph, op, 0);
  const out = output(graph, op);
  const { before } = padAmounts(op, graph);
  const params = cStruct('tp_pad_params', `${prefix}_params`, {
    in_shape: rank4(graph, op, x.shape),
    out_shape: rank4(graph, op, out.shape),
    before: [0, 0, 0, 0, ...before].slice(-4),
    fill: q8(out, op).zeroPoint,
  });
  return {
    kinds: ['PAD'],
    names: [op.name],
    reads: [x.id],
    write: out.id,
    scratchBytes: 0,
    macs: 0,
    declarations: [params],
    headers: ['pad.h'],
    call: (b) => `tp_pad(&${prefix}_params, ${b.reads[0]}, ${b.write});`,
  };
}
