import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { Graph } from '../../ir/index.js';
import { fileIOHandler } from '../../compiler/index.js';
import {
  createWindower,
  extractClips,
  findRunConfig,
  listDataset,
  stackWindows,
  type RunConfig,
  type StackedWindows,
} from '../../data/index.js';
import { poolScores, scoreParams } from '../../device/index.js';
import { fail, createRng } from '../../util/index.js';
import { loadTestSet, quantizedGraph, rocAuc, runWindows, type TestSet } from '../../evaluate/index.js';
import {
  ERROR_MODEL_WINDOWS,
  fitErrorModel,
  floatWindowErrors,
  floatWindowScoresFor,
  int8WindowScoresFor,
  mahalanobisScorer,
  MSE_SCORER,
  parsePool,
  parseWindowScore,
  type WindowScorer,
} from '../../learn/index.js';
import { clipMetrics, type ClipMetrics } from './domain-metrics.js';
import { proxyAnomalies } from './proxy-anomalies.js';

/**
 * One trained run under every scoring choice: the ranking criterion on
 * validation data (AUC of validation normals against labelled validation
 * anomalies when given, else against synthetic anomalies of the validation
 * normals) and, when the dataset has anomalies, the test metrics (float and
 * int8 as the device computes them) for the report.
 */
export interface ScoringChoice {
  score: string;
  pool: string;
}

export interface ScoredChoice extends ScoringChoice {
  /** The ranking criterion (float model). */
  rankAuc: number;
  test?: { float: ClipMetrics; int8: ClipMetrics };
}

export interface CandidateResult {
  run: string;
  config: RunConfig;
  int8Graph: Graph;
  criterion: 'validation anomalies' | 'synthetic anomalies';
  choices: ScoredChoice[];
  /** Test windows scored (int8) and the seconds the int8 interpreter took, for the log. */
  testWindows: number;
  int8Seconds: number;
}

export interface CandidateOptions {
  runDir: string;
  data: string;
  cacheDir: string;
  choices: readonly ScoringChoice[];
  /** A labelled folder (normal/, anomaly/<type>/) to rank on instead of synthetic anomalies. */
  valData?: string;
  /** Score the run's test set (as eval does: the dataset's test split, or the run's test normals and every anomaly). */
  test: boolean;
  /** Ground truth for an evaluation set's unlabelled test clips (`--labels`). */
  labels?: readonly string[];
}

export async function evaluateCandidate(o: CandidateOptions): Promise<CandidateResult> {
  const found = await findRunConfig(o.runDir);
  found || fail('RUN_MISMATCH', `${o.runDir}: no tinypdm.json`);
  const { config, dir } = found!;
  const model = await tf.loadLayersModel(fileIOHandler(path.join(dir, 'model.json')));
  try {
    const f = config.features;
    const windower = createWindower(f, config.normalization);
    // The labelled --val-data folder is tinypdm's layout; the run's own clips are read as train read them.
    const stack = async (root: string, files: readonly string[]) => {
      const db = await extractClips(root, files, f, { cacheDir: o.cacheDir });
      return { db, w: stackWindows(db.map((c, i) => windower(c, files[i]!))) };
    };
    const own = (files: readonly string[]) => runWindows(config, o.data, files, o.cacheDir);
    // Scorers: one error model per Mahalanobis rank, fitted on training reconstructions.
    const train = await own(config.split.train);
    const rows = sample(train.w.count, ERROR_MODEL_WINDOWS, config.seed);
    const size = config.inputShape.reduce((a, b) => a * b, 1);
    const windowScores = [...new Set(o.choices.map((c) => c.score))];
    let errors: Float32Array | undefined;
    const scorers: WindowScorer[] = [];
    for (const s of windowScores) {
      const w = parseWindowScore(s);
      if (w.window === 'mse') scorers.push({ ...MSE_SCORER, name: s });
      else {
        errors ??= await floatWindowErrors(model, train.w.x, rows, config.inputShape);
        scorers.push(mahalanobisScorer(s, scoreParams(fitErrorModel(errors, rows.length, size, { rank: w.rank, seed: config.seed }))));
      }
    }
    // Ranking data: validation normals against validation anomalies or their synthetic anomalies.
    const val = await own(config.split.val);
    let neg: StackedWindows = val.w;
    let pos: StackedWindows;
    let criterion: CandidateResult['criterion'] = 'synthetic anomalies';
    if (o.valData) {
      const vd = listDataset(o.valData);
      const normals = await stack(o.valData, vd.normal);
      const anomalies = await stack(
        o.valData,
        vd.anomalies.map((a) => a.file),
      );
      neg = normals.w;
      pos = anomalies.w;
      criterion = 'validation anomalies';
    } else {
      const proxies = proxyAnomalies(val.db, createRng(config.seed).derive('tune-proxy'));
      pos = stackWindows(proxies.map((p, i) => windower(p.clip, `${config.split.val[i]} (${p.kind})`)));
    }
    const negScores = await floatWindowScoresFor(model, neg.x, neg.count, config.inputShape, scorers);
    const posScores = await floatWindowScoresFor(model, pos.x, pos.count, config.inputShape, scorers);
    const int8Graph = await quantizedGraph(dir, config);
    let test: { clips: TestSet['clips']; float: Float64Array[]; int8: Float64Array[]; w: StackedWindows } | undefined;
    let int8Seconds = 0;
    if (o.test) {
      const ts = await loadTestSet(config, o.data, { cacheDir: o.cacheDir, ...(o.labels ? { labels: o.labels } : {}) });
      const float = await floatWindowScoresFor(model, ts.windows.x, ts.windows.count, config.inputShape, scorers);
      const t0 = performance.now();
      const int8 = int8WindowScoresFor(int8Graph, ts.windows, scorers);
      int8Seconds = (performance.now() - t0) / 1000;
      test = { clips: ts.clips, float, int8, w: ts.windows };
    }
    const choices = o.choices.map((c) => {
      const k = windowScores.indexOf(c.score);
      const pool = parsePool(c.pool);
      const pooled = (w: StackedWindows, scores: Float64Array) =>
        groupByClip(w).map((idx) =>
          poolScores(
            idx.map((i) => scores[i]!),
            pool,
          ),
        );
      const n = pooled(neg, negScores[k]!);
      const p = pooled(pos, posScores[k]!);
      const rankAuc = rocAuc([...n, ...p], [...n.map(() => 0 as const), ...p.map(() => 1 as const)]);
      const out: ScoredChoice = { ...c, rankAuc };
      if (test)
        out.test = {
          float: clipMetrics(test.clips, pooled(test.w, test.float[k]!)),
          int8: clipMetrics(test.clips, pooled(test.w, test.int8[k]!)),
        };
      return out;
    });
    return { run: path.basename(dir), config, int8Graph, criterion, choices, testWindows: test?.w.count ?? 0, int8Seconds };
  } finally {
    model.dispose();
  }
}

/** Window indices of each clip, clips in order. */
function groupByClip(w: StackedWindows): number[][] {
  const groups: number[][] = [];
  for (let i = 0; i < w.count; i++) (groups[w.clipOf[i]!] ??= []).push(i);
  return groups.filter((g) => g !== undefined);
}

function sample(n: number, max: number, seed: number): number[] {
  const all = Array.from({ length: n }, (_, i) => i);
  return n <= max
    ? all
    : createRng(seed)
        .derive('error-model-windows')
        .shuffled(all)
        .slice(0, max)
        .sort((a, b) => a - b);
}
