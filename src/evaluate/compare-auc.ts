import type { AucComparison, AucScorer } from '../compiler/index.js';
import type { Graph } from '../ir/index.js';
import type { RunConfig } from '../data/index.js';
import { runGraph } from '../runtime/index.js';
import { clipAuc, clipScores, int8WindowScores, loadTestSet, type TestSet } from './evaluate.js';

/**
 * ROC AUC before and after optimisation, on the run's own test split (its
 * test normals and every anomaly clip), scored exactly as `tinypdm eval`
 * scores: clip = mean of window MSEs; int8 through the TFLM-exact reference
 * interpreter with the device's score. Float scores use the reference
 * interpreter's float kernels on the IR, so the original and the optimised
 * graph are scored by the same code (the optimised graph has no TF.js model).
 */
export async function compareAuc(args: {
  config: RunConfig;
  data: string;
  original: { float: Graph; int8: Graph };
  optimized: { float: Graph; int8: Graph };
  cacheDir?: string;
}): Promise<AucComparison> {
  const set = await loadTestSet(args.config, args.data, args.cacheDir ? { cacheDir: args.cacheDir } : {});
  const frames = args.config.features.windowFrames;
  const auc = (windowScores: Float64Array) => clipAuc(set, clipScores(set, windowScores, 'mean', frames));
  const original = {
    float: auc(floatWindowScoresIr(args.original.float, set)),
    int8: auc(int8WindowScores(args.original.int8, set.windows)),
  };
  const optimized = {
    float: auc(floatWindowScoresIr(args.optimized.float, set)),
    int8: auc(int8WindowScores(args.optimized.int8, set.windows)),
  };
  return {
    clips: { normal: set.clips.filter((c) => c.label === 0).length, anomaly: set.clips.filter((c) => c.label === 1).length },
    windows: set.windows.count,
    original,
    optimized,
    lossVsInt8: original.int8 - optimized.int8,
    lossVsFloat: original.float - optimized.int8,
  };
}

/** The scorer `emit` calls for --eval-data: AUC before and after on the run's test split, clips read from `data`. */
export function aucScorer(data: string, cacheDir?: string): AucScorer {
  return (config, graphs) => compareAuc({ config, data, ...graphs, ...(cacheDir ? { cacheDir } : {}) });
}

/** Window MSE between the normalised input and the float graph's reconstruction. */
export function floatWindowScoresIr(graph: Graph, set: Pick<TestSet, 'windows'>): Float64Array {
  const w = set.windows;
  const size = w.x.length / Math.max(1, w.count);
  const out = new Float64Array(w.count);
  for (let i = 0; i < w.count; i++) {
    const x = w.x.subarray(i * size, (i + 1) * size);
    const y = runGraph(graph, [x]).outputs[0] as Float32Array;
    let sum = 0;
    for (let k = 0; k < size; k++) sum += (x[k]! - y[k]!) ** 2;
    out[i] = sum / size;
  }
  return out;
}
