import type * as tf from '@tensorflow/tfjs';
import { fail } from '../util/index.js';
import { poolScores, scoreParams, type ErrorModel } from '../device/index.js';
import type { Graph } from '../ir/index.js';
import { describeScoring, type RunConfig, type ScoringConfig, type StackedWindows } from '../data/index.js';
import {
  fitScoring,
  floatWindowScoresFor,
  int8WindowScoresFor,
  mahalanobisScorer,
  MSE_SCORER,
  parsePool,
  parseWindowScore,
  readErrorModel,
  type WindowScorer,
} from '../learn/index.js';
import { runWindows } from './run-windows.js';

/**
 * eval's scoring: the run's `scoring`, or the one `--score` / `--pool` ask
 * for. A Mahalanobis score with a rank the run has no error model for is
 * fitted here on the run's training clips, as train would have.
 */
export function requestedScoring(
  config: RunConfig,
  score?: string,
  pool?: string,
): Pick<ScoringConfig, 'window' | 'rank' | 'pool'> | undefined {
  if (score === undefined && pool === undefined) return config.scoring;
  const w =
    score !== undefined
      ? parseWindowScore(score)
      : config.scoring
        ? { window: config.scoring.window, rank: config.scoring.rank }
        : { window: 'mse' as const, rank: 0 };
  return { ...w, pool: pool !== undefined ? parsePool(pool) : (config.scoring?.pool ?? { method: 'mean' }) };
}

export interface TestScores {
  describe: string;
  float: number[];
  int8: number[];
  /** Host time of the float model's and of the int8 interpreter's window scores (the error model's fit, when one is fitted, is in neither). */
  seconds: { float: number; int8: number };
}

/** The run being scored; `data` is its dataset, where a missing error model is fitted (undefined under `eval --test`). */
export interface ScoredRun {
  config: RunConfig;
  dir: string;
  data: string | undefined;
  cacheDir?: string;
}

/** Clip scores of the test windows (clips in `clipOf` order, as `clipCount` clips) for the float model and the int8 graph. */
export async function scoreTestSet(
  s: Pick<ScoringConfig, 'window' | 'rank' | 'pool'>,
  run: ScoredRun,
  model: tf.LayersModel,
  int8Graph: Graph,
  w: StackedWindows,
  clipCount: number,
): Promise<TestScores> {
  const scorer = await scorerFor(s, run, model);
  let t = performance.now();
  const [fl] = await floatWindowScoresFor(model, w.x, w.count, run.config.inputShape, [scorer]);
  const floatSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const [i8] = int8WindowScoresFor(int8Graph, w, [scorer]);
  const int8Seconds = (performance.now() - t) / 1000;
  const byClip: number[][] = Array.from({ length: clipCount }, () => []);
  for (let i = 0; i < w.count; i++) byClip[w.clipOf[i]!]!.push(i);
  byClip.forEach(
    (idx, c) =>
      idx.length > 0 ||
      fail(
        'BAD_DATASET',
        `test clip ${c + 1} of ${clipCount} is shorter than one ${run.config.features.windowFrames}-frame window; use clips as long as the training clips`,
      ),
  );
  const pool = (arr: Float64Array) =>
    byClip.map((idx) =>
      poolScores(
        idx.map((i) => arr[i]!),
        s.pool,
      ),
    );
  return {
    describe: `${describeScoring(s)}; int8 as the device computes it (firmware/core/scorer.c)`,
    float: pool(fl!),
    int8: pool(i8!),
    seconds: { float: floatSeconds, int8: int8Seconds },
  };
}

async function scorerFor(s: Pick<ScoringConfig, 'window' | 'rank' | 'pool'>, run: ScoredRun, model: tf.LayersModel): Promise<WindowScorer> {
  if (s.window === 'mse') return MSE_SCORER;
  const own = run.config.scoring;
  let em: ErrorModel | undefined =
    own?.window === 'mahalanobis' && own.rank === s.rank ? await readErrorModel(run.dir, run.config) : undefined;
  if (!em) {
    const data =
      run.data ??
      fail(
        'BAD_ARGUMENT',
        `--score mahalanobis:${s.rank}: the run has no error model of that rank, and one is fitted on its training clips; pass --data (the run's dataset) instead of --test, or train with --score mahalanobis:${s.rank}`,
      );
    const stack = async (files: string[]) => (await runWindows(run.config, data, files, run.cacheDir)).w;
    const fitted = await fitScoring(
      model,
      run.config.inputShape,
      await stack(run.config.split.train),
      await stack(run.config.split.val.slice(0, 1)),
      { window: 'mahalanobis', rank: s.rank, pool: s.pool, seed: run.config.seed },
    );
    em = fitted.errorModel!;
  }
  return mahalanobisScorer(`mahalanobis:${s.rank}`, scoreParams(em));
}
