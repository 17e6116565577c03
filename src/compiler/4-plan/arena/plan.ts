import { bytesPerElement, isConstant, tensorSize, type Graph, type Op } from '../../../ir/index.js';
import { greedyPlan, type BufferRequest } from './greedy-planner.js';
import { alignUp, ARENA_ALIGNMENT } from './target.js';

/**
 * One buffer in the arena head. Lifetimes are TFLM allocation scopes
 * (micro_allocation_info.cc): scope 0 is the start of Invoke, op i runs in
 * scope i + 1, and a graph output stays live to the last scope.
 */
export interface PlannedBuffer {
  /** The tensor, or -1 for a kernel's scratch buffer. */
  tensorId: number;
  /** For a scratch buffer: the op that requested it. */
  opIndex?: number;
  offset: number;
  /** Bytes, rounded up to 16. */
  size: number;
  firstUse: number;
  lastUse: number;
}

export interface ArenaPlan {
  /** The non-persistent head the planner needs: the end of the highest buffer. */
  headBytes: number;
  buffers: PlannedBuffer[];
}

export interface PlanOptions {
  /** Scratch bytes an op requests (one number per request); none by default. */
  scratch?: (op: Op, opIndex: number, graph: Graph) => number | readonly number[];
}

interface Lifetime {
  first: number;
  last: number;
}

const UNSET = -1;

/**
 * Tensor lifetimes as TFLM's AllocationInfoBuilder::MarkAllocationLifetimes
 * marks them: graph inputs are created at scope 0; an op's outputs are created
 * in its scope (if not created before); its inputs and outputs are last used in
 * its scope; graph outputs are last used in the final scope. Because an op's
 * inputs and outputs are all live in its scope, the planner never lets them
 * share memory: TFLM has no in-place ops without an offline plan (RESHAPE
 * copies when its input and output pointers differ, kernels/reshape.cc).
 */
export function tensorLifetimes(graph: Graph): Lifetime[] {
  const life: Lifetime[] = graph.tensors.map(() => ({ first: UNSET, last: UNSET }));
  const create = (id: number, scope: number) => {
    if (life[id]!.first === UNSET) life[id]!.first = scope;
  };
  for (const id of graph.inputs) {
    create(id, 0);
    life[id]!.last = 0;
  }
  graph.ops.forEach((op, i) => {
    const scope = i + 1;
    for (const id of op.outputs) create(id, scope);
    for (const id of op.inputs) if (id >= 0) life[id]!.last = scope;
    for (const id of op.outputs) life[id]!.last = scope;
  });
  const end = graph.ops.length;
  for (const id of graph.outputs) {
    create(id, end);
    life[id]!.last = end;
  }
  return life;
}

/**
 * The arena head as TFLM plans it: every non-constant tensor with a non-zero
 * size (in tensor order), then the scratch requests (in op order), each
 * rounded up to 16 bytes and placed by the greedy planner.
 */
export function planArena(graph: Graph, opts: PlanOptions = {}): ArenaPlan {
  const life = tensorLifetimes(graph);
  const buffers: Omit<PlannedBuffer, 'offset'>[] = [];
  for (const t of graph.tensors) {
    const bytes = tensorSize(t.shape) * bytesPerElement(t.dtype);
    if (isConstant(t) || bytes === 0) continue;
    buffers.push({ tensorId: t.id, size: alignUp(bytes, ARENA_ALIGNMENT), firstUse: life[t.id]!.first, lastUse: life[t.id]!.last });
  }
  if (opts.scratch) {
    graph.ops.forEach((op, i) => {
      const requested = opts.scratch!(op, i, graph);
      for (const bytes of typeof requested === 'number' ? [requested] : requested) {
        if (bytes > 0) buffers.push({ tensorId: -1, opIndex: i, size: alignUp(bytes, ARENA_ALIGNMENT), firstUse: i + 1, lastUse: i + 1 });
      }
    });
  }
  const requests: BufferRequest[] = buffers.map((b) => ({ size: b.size, firstUse: b.firstUse, lastUse: b.lastUse }));
  const { offsets, headBytes } = greedyPlan(requests);
  return { headBytes, buffers: buffers.map((b, i) => ({ ...b, offset: offsets[i]! })) };
}

/** Pairs of buffers that are live at the same time and share bytes: always empty for a correct plan. */
export function findOverlaps(plan: ArenaPlan): Array<[PlannedBuffer, PlannedBuffer]> {
  const out: Array<[PlannedBuffer, PlannedBuffer]> = [];
  const bs = plan.buffers;
  for (let i = 0; i < bs.length; i++) {
    for (let j = i + 1; j < bs.length; j++) {
      const a = bs[i]!;
      const b = bs[j]!;
      const live = !(a.firstUse > b.lastUse || b.firstUse > a.lastUse);
      const shared = a.offset < b.offset + b.size && b.offset < a.offset + a.size;
      if (live && shared) out.push([a, b]);
    }
  }
  return out;
}

/** Ops whose input and output share arena bytes, i.e. would run in place: always empty under TFLM's rules. */
export function findInPlaceOps(graph: Graph, plan: ArenaPlan): number[] {
  const byTensor = new Map(plan.buffers.filter((b) => b.tensorId >= 0).map((b) => [b.tensorId, b]));
  const hits: number[] = [];
  graph.ops.forEach((op, i) => {
    const ins = op.inputs
      .filter((id) => id >= 0)
      .map((id) => byTensor.get(id))
      .filter((b) => b !== undefined);
    const outs = op.outputs.map((id) => byTensor.get(id)).filter((b) => b !== undefined);
    if (ins.some((a) => outs.some((b) => a.offset < b.offset + b.size && b.offset < a.offset + a.size))) hits.push(i);
  });
  return hits;
}
