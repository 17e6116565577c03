import { assertInternal } from '../../../util/index.js';
import { isConstant } from '../../../ir/index.js';
import { FIX_MODEL, formatShape, type ValidationContext } from '../../../ops/index.js';

/**
 * The graph's wiring, checked before any op rule looks at a shape:
 *  - it has inputs and outputs, every index names a tensor, inputs are not constants;
 *  - every tensor has one producer: a graph input, a constant, or exactly one op;
 *  - ops are in execution order: each op reads only tensors defined before it
 *    (the TFLite runtime and TFLM run ops in their stored order, so a model
 *    whose ops are out of order reads garbage). A read of a later op's output
 *    is reported as a cycle when that op depends on this one, else as an
 *    ordering error;
 *  - every graph output is computed.
 */
export function checkStructure(ctx: ValidationContext): void {
  const g = ctx.graph;
  const n = g.tensors.length;
  const valid = (id: unknown): id is number => Number.isInteger(id) && (id as number) >= 0 && (id as number) < n;
  g.tensors.forEach((t, i) => assertInternal(t.id === i, `tensor ${i} '${t.name}' carries id ${t.id}; a loader built the graph wrongly`));
  for (const t of g.tensors) checkDims(ctx, t.name, t.shape, !isConstant(t));

  if (g.inputs.length === 0) {
    ctx.fail('INVALID_GRAPH', `the graph '${g.name}' has no inputs`, 'a model needs an input tensor to run; re-export it with its input');
  }
  if (g.outputs.length === 0) {
    ctx.fail('INVALID_GRAPH', `the graph '${g.name}' has no outputs`, 'a model needs an output tensor; re-export it with its output');
  }
  const producers = new Map<number, string>();
  const producerOp = new Map<number, number>();
  g.inputs.forEach((id, k) => {
    if (!valid(id)) ctx.fail('INVALID_GRAPH', `graph input ${k} is tensor ${String(id)}, but there are ${n} tensors`, FIX_MODEL);
    const t = ctx.tensor(id);
    if (isConstant(t)) {
      ctx.fail(
        'INVALID_GRAPH',
        `graph input ${k} '${t.name}' is a constant (it has data)`,
        'a model input must be a tensor the caller fills; re-export the model',
      );
    }
    if (producers.has(id)) ctx.fail('INVALID_GRAPH', `tensor '${t.name}' is listed twice as a graph input`, FIX_MODEL);
    producers.set(id, `graph input ${k}`);
  });
  g.outputs.forEach((id, k) => {
    if (!valid(id)) ctx.fail('INVALID_GRAPH', `graph output ${k} is tensor ${String(id)}, but there are ${n} tensors`, FIX_MODEL);
  });

  g.ops.forEach((op, i) => {
    op.inputs.forEach((id, k) => {
      if (id !== -1 && !valid(id)) ctx.failOp(op, 'INVALID_GRAPH', `input ${k} is tensor ${String(id)}, but there are ${n} tensors`);
    });
    if (op.outputs.length !== 1) ctx.failOp(op, 'INVALID_GRAPH', `has ${op.outputs.length} outputs, expected 1`);
    const id = op.outputs[0]!;
    if (!valid(id)) ctx.failOp(op, 'INVALID_GRAPH', `output 0 is tensor ${String(id)}, but there are ${n} tensors`);
    const t = ctx.tensor(id);
    if (isConstant(t)) ctx.failOp(op, 'INVALID_GRAPH', `writes its output into '${t.name}', a constant (weights or an operand)`);
    const before = producers.get(id);
    if (before !== undefined) {
      ctx.failOp(op, 'INVALID_GRAPH', `produces '${t.name}', which ${before} already produces; every tensor must have one producer`);
    }
    producers.set(id, ctx.describeOp(op, i));
    producerOp.set(id, i);
  });

  const defined = new Set<number>(g.inputs);
  g.ops.forEach((op, i) => {
    for (const id of op.inputs) {
      if (id === -1 || defined.has(id) || isConstant(ctx.tensor(id))) continue;
      reportUndefinedRead(ctx, i, id, producerOp);
    }
    defined.add(op.outputs[0]!);
  });
  g.outputs.forEach((id, k) => {
    const t = ctx.tensor(id);
    if (!defined.has(id)) {
      ctx.fail(
        'INVALID_GRAPH',
        `graph output ${k} '${t.name}' is never computed (${isConstant(t) ? 'it is a constant' : 'no op produces it'})`,
        FIX_MODEL,
      );
    }
  });
}

function checkDims(ctx: ValidationContext, name: string, shape: readonly number[], activation: boolean): void {
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0 || (activation && d === 0)) {
      ctx.fail(
        'SHAPE_MISMATCH',
        `tensor '${name}' has shape ${formatShape(shape)}; dimensions must be whole numbers${activation ? ' of at least 1' : ''}`,
        FIX_MODEL,
      );
    }
  }
}

/** Op `i` reads `id` before it is defined: say whether that is a cycle, an ordering error or a tensor nothing produces. */
function reportUndefinedRead(ctx: ValidationContext, i: number, id: number, producerOp: ReadonlyMap<number, number>): never {
  const op = ctx.graph.ops[i]!;
  const t = ctx.tensor(id);
  const p = producerOp.get(id);
  if (p === undefined) {
    ctx.failOp(op, 'INVALID_GRAPH', `reads '${t.name}', which nothing produces (not a graph input, a constant or any op's output)`);
  }
  if (p === i) ctx.failOp(op, 'INVALID_GRAPH', `reads its own output '${t.name}' (a cycle)`);
  const path = dependencyPath(ctx, p, i, producerOp);
  if (path) {
    const cycle = [i, ...path].map((k) => `op ${k}`).join(' ← ');
    ctx.failOp(
      op,
      'INVALID_GRAPH',
      `reads '${t.name}' from op ${p}, which depends on this op's output: the ops form a cycle (${cycle}, ← = reads from)`,
    );
  }
  return ctx.failOp(op, 'INVALID_GRAPH', `reads '${t.name}' before op ${p} produces it; the ops are not in execution order`);
}

/**
 * Ops from `from` back to `to` along producers of inputs, if `from` depends on
 * `to`'s output (iterative DFS, each op visited once, so a hostile graph
 * cannot blow the stack or loop).
 */
function dependencyPath(ctx: ValidationContext, from: number, to: number, producerOp: ReadonlyMap<number, number>): number[] | undefined {
  const parent = new Map<number, number>([[from, -1]]);
  const stack = [from];
  while (stack.length > 0) {
    const k = stack.pop()!;
    for (const id of ctx.graph.ops[k]!.inputs) {
      const p = id < 0 ? undefined : producerOp.get(id);
      if (p === undefined || parent.has(p)) continue;
      parent.set(p, k);
      if (p === to) {
        const path: number[] = [];
        for (let at: number = k; at !== -1; at = parent.get(at)!) path.push(at);
        return [...path.reverse(), to];
      }
      stack.push(p);
    }
  }
  return undefined;
}
