import type * as tf from '@tensorflow/tfjs';
import type { PoolSpec } from '../../device/index.js';
import { poolScores } from '../../device/index.js';
import { scoreParams, type ErrorModel } from '../../device/index.js';
import { ERROR_MODEL_FILE, type ScoringConfig } from '../../data/index.js';
import type { StackedWindows } from '../../data/index.js';
import { createRng } from '../../util/index.js';
import { fitErrorModel } from './error-model.js';
import { floatWindowErrors, floatWindowScoresFor, mahalanobisScorer, MSE_SCORER, type WindowScorer } from './window-scores.js';

/**
 * A trained model's scoring: the error model fitted on the training windows'
 * reconstruction errors (for 'mahalanobis'), and the validation clips' scores
 * under it (float model), from which train sets the threshold.
 */
export interface FittedScoring {
  scoring: ScoringConfig;
  errorModel?: ErrorModel;
  scorer: WindowScorer;
  valClipScores: number[];
}

export interface FitScoringOptions {
  window: ScoringConfig['window'];
  rank: number;
  pool: PoolSpec;
  seed: number;
  /** Training windows the error model is fitted on (a seeded sample). */
  maxWindows?: number;
}

export const ERROR_MODEL_WINDOWS = 8192;

export async function fitScoring(
  model: tf.LayersModel,
  shape: [number, number, number],
  train: StackedWindows,
  val: StackedWindows,
  o: FitScoringOptions,
): Promise<FittedScoring> {
  const size = shape[0] * shape[1] * shape[2];
  let errorModel: ErrorModel | undefined;
  let scorer = MSE_SCORER;
  if (o.window === 'mahalanobis') {
    const max = o.maxWindows ?? ERROR_MODEL_WINDOWS;
    const all = Array.from({ length: train.count }, (_, i) => i);
    const rows =
      train.count <= max
        ? all
        : createRng(o.seed)
            .derive('error-model-windows')
            .shuffled(all)
            .slice(0, max)
            .sort((a, b) => a - b);
    const errors = await floatWindowErrors(model, train.x, rows, shape);
    errorModel = fitErrorModel(errors, rows.length, size, { rank: o.rank, seed: o.seed });
    scorer = mahalanobisScorer(`mahalanobis:${o.rank}`, scoreParams(errorModel));
  }
  const [valScores] = await floatWindowScoresFor(model, val.x, val.count, shape, [scorer]);
  const valClipScores = clipPool(val.clipOf, valScores!, o.pool);
  const scoring: ScoringConfig = {
    window: o.window,
    rank: o.window === 'mahalanobis' ? o.rank : 0,
    pool: o.pool,
    windowsPerClip: windowsPerClip(val.clipOf),
    ...(errorModel ? { errorModel: ERROR_MODEL_FILE } : {}),
  };
  return { scoring, ...(errorModel ? { errorModel } : {}), scorer, valClipScores };
}

/** Pools window scores clip by clip (clips in order of first window), as the device does after a clip's last window. */
export function clipPool(clipOf: Int32Array, scores: ArrayLike<number>, pool: PoolSpec): number[] {
  const groups = new Map<number, number[]>();
  for (let i = 0; i < clipOf.length; i++) {
    const c = clipOf[i]!;
    let g = groups.get(c);
    if (!g) groups.set(c, (g = []));
    g.push(scores[i]!);
  }
  return [...groups.values()].map((g) => poolScores(g, pool));
}

/** Windows of the first validation clip (at the device's hop): every clip has the same length (the front-end's windows need it). */
function windowsPerClip(clipOf: Int32Array): number {
  let n = 0;
  while (n < clipOf.length && clipOf[n] === clipOf[0]) n++;
  return Math.max(1, n);
}
