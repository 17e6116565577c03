import type { Graph, Op, OpOf } from '../../../ir/index.js';
import { convIsMonotone, convIsOptimisable } from './ops/conv-2d.js';
import { padAmounts } from './ops/pad.js';
import { resizeMaps } from './ops/resize-nearest-neighbor.js';
import { q8 } from './ops/common.js';
import type { Fusion, InputView, KernelTarget } from './types.js';

/**
 * Which ops the cortex-m4 kernels absorb, so their outputs are never stored:
 *  - a MAX_POOL_2D whose windows tile its input (filter = stride), fed only
 *    by an optimisable CONV_2D (the conv computes each window and stores its
 *    requantised maximum);
 *  - RESIZE_NEAREST_NEIGHBOR and spatial PAD ops whose only readers are
 *    optimisable CONV_2Ds (the convs read through the composed row/column maps).
 * Nothing is fused for the reference target, and nothing whose output is a
 * model output. Pure: the graph is not changed.
 */
export interface FusionPlan {
  fusions: Map<Op, Fusion>;
  absorbed: Set<Op>;
}

function consumersOf(graph: Graph): Map<number, Op[]> {
  const m = new Map<number, Op[]>();
  for (const op of graph.ops) {
    for (const id of new Set(op.inputs)) if (id >= 0 && !graph.tensors[id]!.data) m.set(id, [...(m.get(id) ?? []), op]);
  }
  return m;
}

function producersOf(graph: Graph): Map<number, Op> {
  const m = new Map<number, Op>();
  for (const op of graph.ops) for (const id of op.outputs) m.set(id, op);
  return m;
}

const isRank4Batch1 = (graph: Graph, id: number) => {
  const s = graph.tensors[id]!.shape;
  return s.length === 4 && s[0] === 1;
};

/** A stored-coordinate map per view coordinate through one RESIZE or PAD, or undefined when it cannot be a view. */
function viewStep(op: Op, graph: Graph, convInputZp: number): { rows: Int32Array; cols: Int32Array } | undefined {
  const src = op.inputs[0]!;
  const out = op.outputs[0]!;
  if (!isRank4Batch1(graph, src) || !isRank4Batch1(graph, out) || graph.tensors[src]!.dtype !== 'int8') return undefined;
  if (op.kind === 'RESIZE_NEAREST_NEIGHBOR') return resizeMaps(op, graph);
  if (op.kind !== 'PAD') return undefined;
  // PAD fills with its output zero point; the conv's padding reads its own input zero point: they must agree.
  if (q8(graph.tensors[out]!, op).zeroPoint !== convInputZp) return undefined;
  const { before, after } = padAmounts(op, graph);
  if (before[0] !== 0 || after[0] !== 0 || before[3] !== 0 || after[3] !== 0) return undefined;
  const [, h, w] = graph.tensors[src]!.shape as [number, number, number];
  const map = (n: number, b: number, inSize: number) =>
    Int32Array.from({ length: n }, (_, v) => (v - b >= 0 && v - b < inSize ? v - b : -1));
  const [, oh, ow] = graph.tensors[out]!.shape as [number, number, number];
  return { rows: map(oh, before[1]!, h), cols: map(ow, before[2]!, w) };
}

/** MAX_POOL_2D copies values: TFLM requires its input and output to share quantisation parameters. */
function sameParams(graph: Graph, pool: Op): boolean {
  const a = q8(graph.tensors[pool.inputs[0]!]!, pool);
  const b = q8(graph.tensors[pool.outputs[0]!]!, pool);
  return Math.abs(a.scale - b.scale) <= 1e-6 && a.zeroPoint === b.zeroPoint;
}

function compose(outer: Int32Array, inner: Int32Array): Int32Array {
  return outer.map((u) => (u < 0 ? -1 : inner[u]!));
}

export function planFusions(graph: Graph, target: KernelTarget): FusionPlan {
  const fusions = new Map<Op, Fusion>();
  const absorbed = new Set<Op>();
  if (target === 'reference') return { fusions, absorbed };
  const consumers = consumersOf(graph);
  const producers = producersOf(graph);
  const isOutput = (id: number) => graph.outputs.includes(id);
  const optimisableConv = (op: Op) => op.kind === 'CONV_2D' && convIsOptimisable(op, graph);

  for (const op of graph.ops) {
    if (!optimisableConv(op)) continue;
    const fusion: Fusion = {};
    // Input views: walk back through RESIZE / PAD producers read only by views of this kind.
    const t = op.inputs[0]!;
    const convInputZp = q8(graph.tensors[t]!, op).zeroPoint;
    let id = t;
    let rows: Int32Array | undefined;
    let cols: Int32Array | undefined;
    const viewOps: Op[] = [];
    for (;;) {
      const producer = producers.get(id);
      const readers = consumers.get(id) ?? [];
      const onlyViewers =
        id === t ? readers.every((r) => optimisableConv(r) && r.inputs[0] === id && !r.inputs.slice(1).includes(id)) : readers.length === 1;
      if (!producer || isOutput(id) || !onlyViewers) break;
      const step = viewStep(producer, graph, convInputZp);
      if (!step) break;
      const [, h, w] = graph.tensors[id]!.shape as [number, number, number];
      rows = rows ? compose(rows, step.rows) : step.rows;
      cols = cols ? compose(cols, step.cols) : step.cols;
      if (rows.length !== h || cols.length !== w) break;
      viewOps.unshift(producer);
      id = producer.inputs[0]!;
    }
    if (viewOps.length > 0) {
      fusion.view = { source: id, rows: rows!, cols: cols!, ops: viewOps } satisfies InputView;
      for (const v of viewOps) absorbed.add(v);
    }
    // A tiling max pool that is the conv output's only reader.
    const out = op.outputs[0]!;
    const readers = consumers.get(out) ?? [];
    const pool = readers[0];
    if (
      readers.length === 1 &&
      pool!.kind === 'MAX_POOL_2D' &&
      !isOutput(out) &&
      pool.options.filterH === pool.options.strideH &&
      pool.options.filterW === pool.options.strideW &&
      sameParams(graph, pool) &&
      convIsMonotone(op as OpOf<'CONV_2D'>, graph)
    ) {
      fusion.pool = pool!;
      absorbed.add(pool);
    }
    if (fusion.view || fusion.pool) fusions.set(op, fusion);
  }
  return { fusions, absorbed };
}
