import { fail } from '../../util/index.js';
import type { Graph } from '../../ir/index.js';
import { checkClusterCount, clusterWeights, type ClusterInit } from './cluster-weights.js';
import { finetune } from './finetune.js';
import { readFinetuneData } from './finetune-data.js';
import type { RunConfig } from '../../data/index.js';
import type { FitData } from '../../learn/index.js';
import { checkChannelFraction, pruneChannels, type ChannelNorm } from './prune-channels.js';
import { checkSparsity, pruneMagnitude, weightTensors, type PruneScope } from './prune-magnitude.js';

/**
 * The optimisation passes `emit` runs on the float graph, in one ordered list
 * built from the options: structured pruning → magnitude pruning →
 * fine-tuning → clustering → fine-tuning; int8 quantisation follows in emit.
 * With --finetune, magnitude pruning is gradual: it happens during the first
 * fine-tuning (PolynomialDecay schedule) instead of one-shot before it.
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
  /** Adam's learning rate for fine-tuning (default 5e-4, half of training's). */
  finetuneLearningRate?: number;
  /** Fine-tuning data: a WAV dataset (with `run`) or a folder with train.npy (and optionally val.npy). */
  data?: string;
  /** The model's run config (tinypdm.json): features and split for a WAV `data` folder. */
  run?: RunConfig;
  /** Seeds k-means++ and the fine-tuning shuffles. */
  seed?: number;
  /** Stops fine-tuning between batches. */
  signal?: AbortSignal;
}

export interface PassContext {
  warn: (message: string) => void;
}

export interface Pass {
  name: string;
  run(graph: Graph, ctx: PassContext): Graph | Promise<Graph>;
}

export function buildPasses(opts: OptimizeOptions): Pass[] {
  checkOptions(opts);
  const seed = opts.seed ?? 1;
  const passes: Pass[] = [];
  const tuning = {
    ...(opts.finetuneLearningRate !== undefined ? { learningRate: opts.finetuneLearningRate } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  };
  let data: Promise<FitData> | undefined;
  const fitData = (g: Graph) => (data ??= readFinetuneData(opts.data!, g.tensors[g.inputs[0]!]!.shape, opts.run));
  const finetunePass = (holdClusters: boolean): Pass => ({
    name: holdClusters ? 'finetune-clusters' : 'finetune-pruned',
    run: async (g) => finetune(g, await fitData(g), { epochs: opts.finetune!, holdClusters, seed, ...tuning }),
  });
  if (opts.pruneChannels !== undefined) {
    const o = { fraction: opts.pruneChannels, norm: opts.pruneNorm ?? 'l1' } as const;
    passes.push({ name: 'prune-channels', run: (g, ctx) => pruneChannels(g, o, ctx.warn) });
  }
  if (opts.prune !== undefined) {
    const o = { sparsity: opts.prune, scope: opts.pruneScope ?? 'layer' } as const;
    if (opts.finetune === undefined) passes.push({ name: 'prune-magnitude', run: (g, ctx) => pruneMagnitude(g, o, ctx.warn) });
    else {
      passes.push({
        name: 'prune-magnitude-gradual',
        // Nothing to prune: pruneMagnitude warns and returns the model unchanged.
        run: async (g, ctx) =>
          weightTensors(g).length === 0
            ? pruneMagnitude(g, o, ctx.warn)
            : finetune(g, await fitData(g), { epochs: opts.finetune!, holdClusters: false, seed, prune: o, ...tuning }),
      });
    }
  } else if (opts.finetune !== undefined && opts.pruneChannels !== undefined) {
    passes.push(finetunePass(false));
  }
  if (opts.cluster !== undefined) {
    const o = { clusters: opts.cluster, init: opts.clusterInit ?? 'linear', seed } as const;
    passes.push({ name: 'cluster-weights', run: (g, ctx) => clusterWeights(g, o, ctx.warn) });
    if (opts.finetune !== undefined) passes.push(finetunePass(true));
  }
  return passes;
}

/**
 * Weight tensors that int8 quantisation should give one scale per layer:
 * every weight tensor once --cluster ran (clusterWeights clusters them all),
 * so each layer keeps its K shared values as K int8 codes.
 */
export function sharedScaleWeights(graph: Graph, opts: OptimizeOptions): Set<number> {
  return new Set(opts.cluster !== undefined ? weightTensors(graph).map(({ tensor }) => tensor.id) : []);
}

/** Runs the passes in order; `warn` receives their non-fatal findings (the CLI prints them). */
export async function runPasses(graph: Graph, passes: readonly Pass[], warn: (message: string) => void = () => {}): Promise<Graph> {
  let g = graph;
  for (const pass of passes) g = await pass.run(g, { warn });
  return g;
}

function checkOptions(opts: OptimizeOptions): void {
  if (opts.prune !== undefined) checkSparsity(opts.prune);
  if (opts.pruneChannels !== undefined) checkChannelFraction(opts.pruneChannels);
  if (opts.cluster !== undefined) checkClusterCount(opts.cluster);
  if (opts.finetune !== undefined) {
    if (!(Number.isInteger(opts.finetune) && opts.finetune > 0))
      fail('BAD_ARGUMENT', `--finetune ${opts.finetune}: the number of fine-tuning epochs must be a positive integer, e.g. --finetune 5`);
    if (opts.data === undefined)
      fail(
        'BAD_ARGUMENT',
        "--finetune needs --data DIR: the run's WAV dataset (normal/*.wav) or a folder with train.npy (normalised model inputs [N, H, W, 1]) and optionally val.npy",
      );
    if (opts.prune === undefined && opts.pruneChannels === undefined && opts.cluster === undefined) {
      fail('BAD_ARGUMENT', '--finetune retrains after --prune, --prune-channels or --cluster; add one of them or drop --finetune');
    }
    const lr = opts.finetuneLearningRate;
    if (lr !== undefined && !(Number.isFinite(lr) && lr > 0))
      fail('BAD_ARGUMENT', `--finetune-lr ${lr}: the learning rate must be a positive number, e.g. --finetune-lr 0.0005`);
  } else if (opts.finetuneLearningRate !== undefined) {
    fail('BAD_ARGUMENT', `--finetune-lr ${opts.finetuneLearningRate} is only used by --finetune E; add --finetune or drop --finetune-lr`);
  } else if (opts.data !== undefined) {
    fail('BAD_ARGUMENT', `--data ${opts.data} is only used by --finetune E; add --finetune or drop --data`);
  }
}
