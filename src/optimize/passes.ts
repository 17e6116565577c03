import { fail } from '../errors.js';
import type { Graph } from '../model/ir.js';
import { checkClusterCount, clusterWeights, type ClusterInit } from './cluster-weights.js';
import { finetune, readFinetuneData } from './finetune.js';
import { checkChannelFraction, pruneChannels, type ChannelNorm } from './prune-channels.js';
import { checkSparsity, pruneMagnitude, type PruneScope } from './prune-magnitude.js';

/**
 * The optimisation passes `emit` runs on the float graph, in one ordered list
 * built from the options: structured pruning → magnitude pruning →
 * fine-tuning → clustering → fine-tuning; int8 quantisation follows in emit.
 * This is the TF Model Optimization Toolkit's collaborative-optimisation
 * order: clustering after pruning keeps the zeros, and quantisation after
 * clustering keeps at most K values per channel.
 */
export interface OptimizeOptions {
  /** Unstructured sparsity in [0, 1). */
  prune?: number;
  pruneScope?: PruneScope;
  /** Fraction of conv filters to remove, in [0, 1). */
  pruneChannels?: number;
  pruneNorm?: ChannelNorm;
  /** Centroids per layer, 2..256. */
  cluster?: number;
  clusterInit?: ClusterInit;
  /** Fine-tuning epochs after each of pruning and clustering; needs `data`. */
  finetune?: number;
  /** Folder with train.npy (and optionally val.npy) for fine-tuning. */
  data?: string;
  /** Seeds k-means++ and the fine-tuning shuffles. */
  seed?: number;
}

export interface PassContext {
  warn(message: string): void;
}

export interface Pass {
  name: string;
  run(graph: Graph, ctx: PassContext): Graph | Promise<Graph>;
}

export function buildPasses(opts: OptimizeOptions): Pass[] {
  checkOptions(opts);
  const seed = opts.seed ?? 1;
  const passes: Pass[] = [];
  const finetunePass = (holdClusters: boolean): Pass => ({
    name: holdClusters ? 'finetune-clusters' : 'finetune-pruned',
    run: async (g) => finetune(g, await readFinetuneData(opts.data!, g.tensors[g.inputs[0]!]!.shape), { epochs: opts.finetune!, holdClusters, seed }),
  });
  if (opts.pruneChannels !== undefined) {
    const o = { fraction: opts.pruneChannels, norm: opts.pruneNorm ?? 'l1' } as const;
    passes.push({ name: 'prune-channels', run: (g, ctx) => pruneChannels(g, o, ctx.warn) });
  }
  if (opts.prune !== undefined) {
    const o = { sparsity: opts.prune, scope: opts.pruneScope ?? 'layer' } as const;
    passes.push({ name: 'prune-magnitude', run: (g, ctx) => pruneMagnitude(g, o, ctx.warn) });
  }
  const pruned = opts.pruneChannels !== undefined || opts.prune !== undefined;
  if (opts.finetune !== undefined && pruned) passes.push(finetunePass(false));
  if (opts.cluster !== undefined) {
    const o = { clusters: opts.cluster, init: opts.clusterInit ?? 'linear', seed } as const;
    passes.push({ name: 'cluster-weights', run: (g, ctx) => clusterWeights(g, o, ctx.warn) });
    if (opts.finetune !== undefined) passes.push(finetunePass(true));
  }
  return passes;
}

export async function runPasses(graph: Graph, passes: readonly Pass[], warn: (message: string) => void = warnOnStderr): Promise<Graph> {
  let g = graph;
  for (const pass of passes) g = await pass.run(g, { warn });
  return g;
}

function warnOnStderr(message: string): void {
  process.stderr.write(`warning: ${message}\n`);
}

function checkOptions(opts: OptimizeOptions): void {
  if (opts.prune !== undefined) checkSparsity(opts.prune);
  if (opts.pruneChannels !== undefined) checkChannelFraction(opts.pruneChannels);
  if (opts.cluster !== undefined) checkClusterCount(opts.cluster);
  if (opts.finetune !== undefined) {
    if (!(Number.isInteger(opts.finetune) && opts.finetune > 0)) fail('BAD_ARGUMENT', `--finetune ${opts.finetune}: the number of fine-tuning epochs must be a positive integer, e.g. --finetune 5`);
    if (opts.data === undefined) fail('BAD_ARGUMENT', '--finetune needs --data DIR, a folder with train.npy (normalised model inputs [N, H, W, 1]) and optionally val.npy');
    if (opts.prune === undefined && opts.pruneChannels === undefined && opts.cluster === undefined) {
      fail('BAD_ARGUMENT', '--finetune retrains after --prune, --prune-channels or --cluster; add one of them or drop --finetune');
    }
  } else if (opts.data !== undefined) {
    fail('BAD_ARGUMENT', `--data ${opts.data} is only used by --finetune E; add --finetune or drop --data`);
  }
}
