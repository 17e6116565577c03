import { fail } from '../../util/index.js';
import { cloneGraph } from '../../ir/index.js';
import type { Graph } from '../../ir/index.js';
import { createRng, type Rng } from '../../util/index.js';
import { weightTensors } from './prune-magnitude.js';

/**
 * Weight clustering (weight sharing, Han et al. 2016; the TF Model
 * Optimization Toolkit's `cluster_weights`): each layer's weights are
 * replaced by the nearest of K centroids found by 1-D k-means.
 *
 * Sparsity-preserving: when a tensor holds zeros (it was pruned), 0 is kept as
 * one of the K values and only the non-zero weights are clustered into K − 1
 * centroids, so zeros stay zero and the tensor keeps at most K distinct values.
 *
 * Why at most K distinct int8 values per channel after quantisation: every
 * channel's values are a subset of the K centroids, and symmetric per-channel
 * quantisation maps each real value to exactly one int8 value (two centroids
 * may round to the same one, never one centroid to two).
 */
export type ClusterInit = 'linear' | 'density' | 'kmeans++';

export interface ClusterOptions {
  /** Centroids per layer, 2..256 (int8 can hold at most 256 values). */
  clusters: number;
  init: ClusterInit;
  /** Seeds k-means++'s draws; linear and density initialisation are deterministic anyway. */
  seed: number;
  /** Lloyd iterations at most; stops earlier when no assignment changes. */
  maxIterations?: number;
}

export function checkClusterCount(k: number): void {
  if (!(Number.isInteger(k) && k >= 2 && k <= 256)) {
    fail(
      'BAD_ARGUMENT',
      `--cluster ${k}: the number of centroids per layer must be an integer from 2 to 256 (int8 holds 256 values), e.g. --cluster 16`,
    );
  }
}

export function clusterWeights(graph: Graph, opts: ClusterOptions, warn: (message: string) => void = () => {}): Graph {
  checkClusterCount(opts.clusters);
  const out = cloneGraph(graph);
  const targets = weightTensors(out);
  if (targets.length === 0) {
    warn(
      `${graph.name}: --cluster ${opts.clusters} has nothing to cluster (no float CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED or TRANSPOSE_CONV weights); the model is unchanged`,
    );
    return out;
  }
  const rng = createRng(opts.seed).derive('cluster-weights');
  targets.forEach(({ tensor }, i) => {
    tensor.data = clusterValues(tensor.data as Float32Array, opts.clusters, opts.init, rng.derive(i), opts.maxIterations ?? 100);
  });
  return out;
}

/** Replaces every value by its centroid; see the file comment for how zeros are kept. */
export function clusterValues(w: Float32Array, k: number, init: ClusterInit, rng: Rng, maxIterations: number): Float32Array {
  const hasZeros = w.some((v) => v === 0);
  const free = hasZeros ? Array.from(w).filter((v) => v !== 0) : Array.from(w);
  const kFree = hasZeros ? k - 1 : k;
  if (new Set(free).size <= kFree) return w.slice();
  const sorted = Float64Array.from(free).sort();
  const centroids = kmeans1d(sorted, initialCentroids(sorted, kFree, init, rng), maxIterations);
  const out = new Float32Array(w.length);
  for (let i = 0; i < w.length; i++) out[i] = w[i] === 0 && hasZeros ? 0 : centroids[nearest(centroids, w[i]!)]!;
  return out;
}

function initialCentroids(sorted: Float64Array, k: number, init: ClusterInit, rng: Rng): Float64Array {
  const n = sorted.length;
  const lo = sorted[0]!;
  const hi = sorted[n - 1]!;
  switch (init) {
    case 'linear':
      // Evenly spaced over [min, max]: keeps the rare large weights their own centroids.
      return Float64Array.from({ length: k }, (_, j) => lo + ((hi - lo) * j) / (k - 1));
    case 'density':
      // Evenly spaced over the empirical CDF: more centroids where weights are dense.
      return Float64Array.from({ length: k }, (_, j) => sorted[Math.min(n - 1, Math.round(((n - 1) * j) / (k - 1)))]!);
    case 'kmeans++': {
      // Arthur & Vassilvitskii 2007: each next centroid drawn with probability ∝ squared distance.
      const c = [sorted[rng.int(n)]!];
      const d2 = Float64Array.from(sorted, (v) => (v - c[0]!) ** 2);
      while (c.length < k) {
        const total = d2.reduce((a, b) => a + b, 0);
        if (total === 0) break;
        let r = rng.next() * total;
        let pick = 0;
        while (pick < n - 1 && (r -= d2[pick]!) > 0) pick++;
        c.push(sorted[pick]!);
        for (let i = 0; i < n; i++) d2[i] = Math.min(d2[i]!, (sorted[i]! - sorted[pick]!) ** 2);
      }
      return Float64Array.from(c).sort();
    }
  }
}

/** Lloyd's algorithm on sorted 1-D data; an empty cluster keeps its centroid. */
function kmeans1d(sorted: Float64Array, init: Float64Array, maxIterations: number): Float64Array {
  let c = Float64Array.from(init).sort();
  const assign = new Int32Array(sorted.length).fill(-1);
  for (let it = 0; it < maxIterations; it++) {
    let changed = false;
    const sum = new Float64Array(c.length);
    const count = new Float64Array(c.length);
    for (let i = 0; i < sorted.length; i++) {
      const j = nearest(c, sorted[i]!);
      if (assign[i] !== j) changed = true;
      assign[i] = j;
      sum[j]! += sorted[i]!;
      count[j]! += 1;
    }
    if (!changed) break;
    c = Float64Array.from(c, (v, j) => (count[j]! > 0 ? sum[j]! / count[j]! : v)).sort();
  }
  // Rounded once to float32, the dtype the weights are stored in.
  return Float64Array.from(new Float32Array(c));
}

/** Index of the centroid nearest to v (ties: the lower one), by binary search on sorted centroids. */
function nearest(c: Float64Array, v: number): number {
  let lo = 0;
  let hi = c.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v - c[mid]! > c[mid + 1]! - v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
