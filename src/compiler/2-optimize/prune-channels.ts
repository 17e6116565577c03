import { fail } from '../../util/index.js';
import { cloneGraph } from '../../ir/index.js';
import { tensorSize, type Graph, type Op } from '../../ir/index.js';
import { OPS } from '../../ops/index.js';

/**
 * Structured pruning: removes whole CONV_2D filters (output channels) with
 * the smallest L1 or L2 norm (Li et al. 2017, "Pruning Filters for Efficient
 * ConvNets"), so the model really gets smaller and faster: the conv's weights
 * and bias lose those rows, and every consumer loses the matching input
 * channels.
 *
 * A removal is propagated through ops that keep channels apart
 * (MAX_POOL_2D, AVERAGE_POOL_2D, RESIZE_NEAREST_NEIGHBOR, PAD without channel
 * padding) to the input channels of the next CONV_2D or TRANSPOSE_CONV.
 * Where it cannot be (a graph output, or a consumer that mixes or reshapes
 * channels: ADD, CONCATENATION, RESHAPE, FULLY_CONNECTED, DEPTHWISE_CONV_2D,
 * MEAN, ...), that conv keeps all its filters and a warning says why.
 */
export type ChannelNorm = 'l1' | 'l2';

export interface PruneChannelsOptions {
  /** Fraction of each conv's filters to remove, in [0, 1); at least one filter always stays. */
  fraction: number;
  norm: ChannelNorm;
}

/** Where removing a conv's output channels must also act. */
interface Propagation {
  /** Activation tensors whose last dimension shrinks (the conv's output and everything passed through). */
  activations: number[];
  /** Weight tensors that lose input channels (their last axis: OHWI for CONV_2D and TRANSPOSE_CONV). */
  consumerFilters: number[];
}

export function checkChannelFraction(fraction: number): void {
  if (!(Number.isFinite(fraction) && fraction >= 0 && fraction < 1)) {
    fail('BAD_ARGUMENT', `--prune-channels ${fraction}: the fraction of filters to remove must be in [0, 1), e.g. --prune-channels 0.5`);
  }
}

export function pruneChannels(graph: Graph, opts: PruneChannelsOptions, warn: (message: string) => void = () => {}): Graph {
  checkChannelFraction(opts.fraction);
  const out = cloneGraph(graph);
  const convs = out.ops.filter((op) => op.kind === 'CONV_2D');
  if (convs.length === 0) {
    warn(`${graph.name}: --prune-channels ${opts.fraction} has nothing to prune (no CONV_2D layer); the model is unchanged`);
    return out;
  }
  const users = weightUsers(out);
  for (const op of convs) {
    const filter = out.tensors[op.inputs[1]!]!;
    if (filter.dtype !== 'float32' || (users.get(filter.id) ?? 0) > 1) {
      warn(
        `${op.name}: filters kept; ${filter.dtype !== 'float32' ? 'the weights are already quantised' : 'its weights are shared with another op'}`,
      );
      continue;
    }
    const plan = propagate(out, op.outputs[0]!, users);
    if (typeof plan === 'string') {
      warn(`${op.name}: filters kept; removing them cannot be propagated: ${plan}`);
      continue;
    }
    const cout = filter.shape[0]!;
    const removeCount = Math.min(Math.floor(opts.fraction * cout), cout - 1);
    if (removeCount === 0) continue;
    const keep = filtersToKeep(filter.data as Float32Array, cout, removeCount, opts.norm);

    sliceAxisInPlace(out, filter.id, 0, keep);
    const biasId = op.inputs[2] ?? -1;
    if (biasId >= 0) sliceAxisInPlace(out, biasId, 0, keep);
    for (const id of plan.activations) {
      const t = out.tensors[id]!;
      t.shape = [...t.shape.slice(0, -1), keep.length];
    }
    for (const id of plan.consumerFilters) sliceAxisInPlace(out, id, out.tensors[id]!.shape.length - 1, keep);
  }
  return out;
}

/** Indices of the filters that stay, ascending: all but the `removeCount` smallest norms (ties: lower index goes first). */
export function filtersToKeep(w: Float32Array, cout: number, removeCount: number, norm: ChannelNorm): number[] {
  const per = w.length / cout;
  const norms = Array.from({ length: cout }, (_, c) => {
    let s = 0;
    for (let i = c * per; i < (c + 1) * per; i++) s += norm === 'l1' ? Math.abs(w[i]!) : w[i]! * w[i]!;
    return { c, s };
  });
  const removed = new Set(
    norms
      .sort((a, b) => a.s - b.s || a.c - b.c)
      .slice(0, removeCount)
      .map((n) => n.c),
  );
  return Array.from({ length: cout }, (_, c) => c).filter((c) => !removed.has(c));
}

/** Follows a conv's output through channel-preserving ops; a string says why it cannot be pruned. */
function propagate(g: Graph, tensorId: number, users: Map<number, number>): Propagation | string {
  const plan: Propagation = { activations: [], consumerFilters: [] };
  const stack = [tensorId];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (g.outputs.includes(id)) return `'${g.tensors[id]!.name}' is a model output, whose shape must stay`;
    plan.activations.push(id);
    for (const c of g.ops.filter((o) => o.inputs.includes(id))) {
      const dataSlot = c.kind === 'TRANSPOSE_CONV' ? 2 : 0;
      const asData = c.inputs.indexOf(id) === dataSlot && c.inputs.lastIndexOf(id) === dataSlot;
      if (asData && OPS[c.kind].passesChannelsThrough && !(c.kind === 'PAD' && padsChannels(g, c))) {
        stack.push(c.outputs[0]!);
      } else if (asData && (c.kind === 'CONV_2D' || c.kind === 'TRANSPOSE_CONV') && (users.get(c.inputs[1]!) ?? 0) === 1) {
        plan.consumerFilters.push(c.inputs[1]!);
      } else {
        return `'${c.name}' (${c.kind}) consumes '${g.tensors[id]!.name}' and cannot drop input channels`;
      }
    }
  }
  return plan;
}

function padsChannels(g: Graph, pad: Op): boolean {
  const p = g.tensors[pad.inputs[1]!]!;
  const d = p.data;
  if (!d || p.shape[0] === undefined) return true;
  const last = p.shape[0] - 1;
  return Number(d[last * 2]) !== 0 || Number(d[last * 2 + 1]) !== 0;
}

function weightUsers(g: Graph): Map<number, number> {
  const n = new Map<number, number>();
  for (const op of g.ops) for (const id of op.inputs) if (id >= 0 && g.tensors[id]!.data) n.set(id, (n.get(id) ?? 0) + 1);
  return n;
}

/** Keeps only the `keep` indices along `axis` of a constant float tensor. */
function sliceAxisInPlace(g: Graph, id: number, axis: number, keep: number[]): void {
  const t = g.tensors[id]!;
  const src = t.data as Float32Array;
  const outer = tensorSize(t.shape.slice(0, axis));
  const dim = t.shape[axis]!;
  const inner = tensorSize(t.shape.slice(axis + 1));
  const dst = new Float32Array(outer * keep.length * inner);
  for (let o = 0; o < outer; o++) {
    keep.forEach((k, j) => dst.set(src.subarray((o * dim + k) * inner, (o * dim + k + 1) * inner), (o * keep.length + j) * inner));
  }
  t.data = dst;
  t.shape = t.shape.map((d, a) => (a === axis ? keep.length : d));
}
