import { fail } from '../../util/index.js';
import { cloneGraph } from '../../ir/index.js';
import type { Graph, Op, Tensor } from '../../ir/index.js';
import { OPS } from '../../ops/index.js';

/**
 * Unstructured magnitude pruning (Zhu & Gupta 2017, the TF Model Optimization
 * Toolkit's `prune_low_magnitude`): the smallest-|w| weights are set to 0.
 * Only weight tensors of CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED and
 * TRANSPOSE_CONV are pruned, never biases: a bias is one value per channel
 * and costs nothing to keep.
 *
 * TFLM stores tensors dense, so the model keeps its size in flash; the zeros
 * pay off in compressed size (and zeros stay exactly 0 through int8, because
 * weights are symmetric with zero point 0).
 */
export type PruneScope = 'layer' | 'global';

export interface PruneMagnitudeOptions {
  /** Fraction of weights set to zero, in [0, 1). */
  sparsity: number;
  /** 'layer': every layer reaches the sparsity; 'global': one threshold over all layers. */
  scope: PruneScope;
}

/** The distinct float weight tensors of the graph's weighted ops, in op order. */
export function weightTensors(graph: Graph): Array<{ op: Op; tensor: Tensor }> {
  const seen = new Set<number>();
  const out: Array<{ op: Op; tensor: Tensor }> = [];
  for (const op of graph.ops) {
    const slot = OPS[op.kind].weights?.slot;
    if (slot === undefined) continue;
    const t = graph.tensors[op.inputs[slot]!]!;
    if (seen.has(t.id) || t.dtype !== 'float32' || !(t.data instanceof Float32Array)) continue;
    seen.add(t.id);
    out.push({ op, tensor: t });
  }
  return out;
}

export function checkSparsity(sparsity: number, flag = '--prune'): void {
  if (!(Number.isFinite(sparsity) && sparsity >= 0 && sparsity < 1)) {
    fail('BAD_ARGUMENT', `${flag} ${sparsity}: the sparsity must be in [0, 1) (the fraction of weights set to zero), e.g. ${flag} 0.5`);
  }
}

export function pruneMagnitude(graph: Graph, opts: PruneMagnitudeOptions, warn: (message: string) => void = () => {}): Graph {
  checkSparsity(opts.sparsity);
  const out = cloneGraph(graph);
  const targets = weightTensors(out);
  if (targets.length === 0) {
    warn(
      `${graph.name}: --prune ${opts.sparsity} has nothing to prune (no float CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED or TRANSPOSE_CONV weights); the model is unchanged`,
    );
    return out;
  }
  if (opts.scope === 'layer') {
    for (const { tensor } of targets) zeroSmallest([tensor.data as Float32Array], opts.sparsity);
  } else {
    zeroSmallest(
      targets.map(({ tensor }) => tensor.data as Float32Array),
      opts.sparsity,
    );
  }
  return out;
}

/**
 * Zeroes exactly floor(sparsity · n) of the n values across `arrays`, smallest
 * |w| first; ties break by position so the result is deterministic. Values
 * that are already 0 count towards the target.
 */
export function zeroSmallest(arrays: Float32Array[], sparsity: number): void {
  const total = arrays.reduce((a, w) => a + w.length, 0);
  const count = Math.floor(sparsity * total);
  if (count === 0) return;
  const refs = new Array<{ a: number; i: number; m: number }>(total);
  let k = 0;
  arrays.forEach((w, a) => {
    for (let i = 0; i < w.length; i++) refs[k++] = { a, i, m: Math.abs(w[i]!) };
  });
  refs.sort((x, y) => x.m - y.m || x.a - y.a || x.i - y.i);
  for (let r = 0; r < count; r++) arrays[refs[r]!.a]![refs[r]!.i] = 0;
}
