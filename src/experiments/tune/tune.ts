import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { fail, readInput, writeOutputFolder } from '../../util/index.js';
import { fileIOHandler } from '../../compiler/index.js';
import {
  calibrationPathOf,
  defaultCacheDir,
  describeScoring,
  ERROR_MODEL_FILE,
  findRunConfig,
  readDataset,
  RUN_CONFIG_FILE,
  type DatasetOptions,
  type RunConfig,
} from '../../data/index.js';
import { runWindows } from '../../evaluate/index.js';
import {
  CALIBRATION_FILE,
  fitScoring,
  parsePool,
  parseWindowScore,
  percentileThreshold,
  saveLayersModel,
  THRESHOLD_PERCENTILE,
  train,
  type TrainOptions,
} from '../../learn/index.js';
import { deviceFigures } from '../sweep/figures.js';
import { evaluateCandidate, type ScoringChoice } from './candidate.js';
import { renderTuneCsv, renderTuneMarkdown, renderTunePlots, type TuneRow } from './report.js';
import { DISTILL_WEIGHT, POOL_CHOICES, recipes, SCORE_CHOICES, TEACHER, TUNE_AUGMENT, type Recipe, type TuneSpace } from './space.js';

/**
 * `tinypdm tune`: trains each recipe (architecture + features, normalisation,
 * augmentation, distillation; space.ts) on the user's data with the dataset's
 * split, scores every trained run under every window score × clip pooling,
 * ranks them on validation data (labelled validation anomalies when given,
 * else synthetic anomalies of the validation normals; candidate.ts), and
 * keeps the best one that fits the board. Writes tune.csv, tune.md, Pareto
 * plots and `best/`, a run folder with the winning scoring, ready for emit.
 */
export interface TuneOptions {
  data: string;
  rate: number;
  out: string;
  board?: string;
  space?: TuneSpace;
  archs?: string[];
  scores?: string[];
  pools?: string[];
  epochs?: number;
  seed?: number;
  /** Seeds per recipe (the rows show each; the winner is the best single run). */
  rounds?: number;
  valData?: string;
  cacheDir?: string;
  /** How to read `data` (layout, machine, channel, labels): every run trains on the dataset's own split where it defines one. */
  dataset?: DatasetOptions;
  log?: (line: string) => void;
  /** Stops between training runs, clips and batches: nothing is written, a previous output stays as it was. */
  signal?: AbortSignal;
}

/** Inference cost for the budget: M4 instructions per int8 MAC, an estimate until the C backend's QEMU counts land (TFLM + CMSIS-NN measured 2.2–3.4 on small models, generated code is expected lower). */
export const TUNE_INSTRUCTIONS_PER_MAC = 1.5;
/** The M4's clock: a window's front-end and inference must average under this many instructions per second of audio. */
export const M4_INSTRUCTIONS_PER_SECOND = 64e6;
export const TUNE_DEFAULT_EPOCHS = 30;

export interface TuneResult {
  rows: TuneRow[];
  winner?: TuneRow;
  files: string[];
}

export async function tune(opts: TuneOptions): Promise<TuneResult> {
  readDataset(opts.data, opts.dataset); // fail fast on an empty or missing folder
  const inputs = [
    { what: 'the dataset', path: opts.data },
    { what: 'the feature cache', path: opts.cacheDir ?? defaultCacheDir(opts.data) },
    opts.valData !== undefined ? { what: 'the --val-data folder', path: opts.valData } : undefined,
    ...(opts.dataset?.labels ?? []).map((l) => ({ what: 'the --labels ground truth', path: l })),
  ];
  // Everything (runs/, best/, the table) is built in the output writer's temp folder and swapped in at the end.
  return writeOutputFolder({ dest: opts.out, command: 'tune', inputs, ...(opts.signal ? { signal: opts.signal } : {}) }, (work) =>
    tuneInto(work, opts),
  );
}

async function tuneInto(work: string, opts: TuneOptions): Promise<TuneResult> {
  const log = opts.log ?? (() => {});
  const board = opts.board ?? 'nano33ble';
  const space = recipes(opts.space ?? 'quick', opts.archs);
  const choices: ScoringChoice[] = [];
  for (const score of opts.scores ?? SCORE_CHOICES) {
    parseWindowScore(score);
    for (const pool of opts.pools ?? POOL_CHOICES) choices.push({ score, pool: (parsePool(pool), pool) });
  }
  const rounds = opts.rounds ?? 1;
  (Number.isInteger(rounds) && rounds >= 1) || fail('BAD_ARGUMENT', `--rounds ${rounds} must be a positive integer`);
  const dataset = readDataset(opts.data, opts.dataset);
  // The test metrics (report only) need labelled anomalies: the layout's, or an evaluation set's --labels.
  const hasTest = dataset.clips.some((c) => c.label === 'anomaly');
  const epochs = opts.epochs ?? TUNE_DEFAULT_EPOCHS;
  const seed0 = opts.seed ?? 1;
  const runsDir = path.join(work, 'runs');
  const cacheDir = opts.cacheDir ?? defaultCacheDir(opts.data);
  const base = {
    data: opts.data,
    rate: opts.rate,
    epochs,
    cacheDir,
    ...(opts.dataset ? { dataset: opts.dataset } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  };
  const loadModel = (modelJson: string) => tf.loadLayersModel(fileIOHandler(modelJson));

  const rows: TuneRow[] = [];
  let criterion = 'synthetic anomalies';
  for (const recipe of space) {
    for (let round = 1; round <= rounds; round++) {
      const seed = seed0 + round - 1;
      const runDir = path.join(runsDir, `${recipe.id}-s${seed}`);
      log(`tune: training ${recipe.id} (seed ${seed})`);
      const teacher = recipe.distill ? await trainTeacher(recipe, { ...base, seed }, runsDir, log) : undefined;
      await train({
        ...base,
        seed,
        out: runDir,
        arch: recipe.arch,
        norm: recipe.norm,
        ...(recipe.augment ? { augmentGainDb: TUNE_AUGMENT.gainDb, augmentNoise: TUNE_AUGMENT.noise } : {}),
        ...(teacher ? { teacher: { run: teacher, loadModel }, distill: DISTILL_WEIGHT } : {}),
        log: (l) => log(`  ${l}`),
      });
      opts.signal?.throwIfAborted();
      const c = await evaluateCandidate({
        runDir,
        data: opts.data,
        cacheDir,
        choices,
        test: hasTest,
        ...(opts.valData ? { valData: opts.valData } : {}),
        ...(opts.dataset?.labels ? { labels: opts.dataset.labels } : {}),
      });
      criterion = c.criterion;
      const dev = deviceFigures(c.int8Graph, c.config.features, board);
      const count = c.config.inputShape.reduce((a, b) => a * b, 1);
      const windowsPerClip = windowsPerTrainingClip(c.config);
      const m4 = dev.frontEndInstructionsPerSecond + TUNE_INSTRUCTIONS_PER_MAC * dev.macs * dev.inferencesPerSecond;
      for (const ch of c.choices) {
        const w = parseWindowScore(ch.score);
        const pool = parsePool(ch.pool);
        // The scorer's RAM on the device (score-header.ts): standardised errors, the pool's ring and its sort scratch.
        const extraRam = (w.window === 'mahalanobis' ? 4 * count : 0) + 4 * windowsPerClip * (pool.method === 'percentile' ? 2 : 1);
        const ramBytes = 262_144 - dev.ramHeadroom + extraRam;
        rows.push({
          recipe: recipe.id,
          seedRound: round,
          score: ch.score,
          pool: ch.pool,
          rankAuc: ch.rankAuc,
          ...(ch.test ? { test: ch.test } : {}),
          ramBytes,
          flashBytes: dev.modelBytes + dev.frontEndFlashBytes + (w.window === 'mahalanobis' ? 4 * count * (2 + w.rank) : 0),
          m4InstructionsPerSecond: Math.round(m4),
          fits: dev.fitsFlash && dev.ramHeadroom - extraRam >= 0 && m4 <= M4_INSTRUCTIONS_PER_SECOND,
          rank: 0,
          winner: false,
        });
      }
      const best = c.choices.reduce((a, b) => (b.rankAuc > a.rankAuc ? b : a));
      log(
        `tune: ${recipe.id} (seed ${seed}): best ${best.score}/${best.pool} rank AUC ${best.rankAuc.toFixed(3)}${best.test ? `, test int8 AUC ${best.test.int8.auc.toFixed(3)}` : ''}; int8 scoring of ${c.testWindows} test windows took ${c.int8Seconds.toFixed(0)} s`,
      );
    }
  }
  // Rank: the criterion, then fewer M4 instructions, then less RAM.
  const order = rows
    .map((_, i) => i)
    .sort(
      (a, b) =>
        rows[b]!.rankAuc - rows[a]!.rankAuc ||
        rows[a]!.m4InstructionsPerSecond - rows[b]!.m4InstructionsPerSecond ||
        rows[a]!.ramBytes - rows[b]!.ramBytes,
    );
  order.forEach((i, r) => (rows[i]!.rank = r + 1));
  rows.sort((a, b) => a.rank - b.rank);
  const winner = rows.find((r) => r.fits);
  if (winner) winner.winner = true;
  else log(`tune: no configuration fits the ${board}; nothing written to best/`);

  const plots = await renderTunePlots(rows);
  const files: Record<string, string | Uint8Array> = {
    'tune.csv': renderTuneCsv(rows),
    'tune.md': renderTuneMarkdown(rows, { criterion, board, instructionsPerMac: TUNE_INSTRUCTIONS_PER_MAC, epochs }),
    'pareto-ram.svg': plots.ram.svg,
    'pareto-ram.png': plots.ram.png,
    'pareto-m4.svg': plots.m4.svg,
    'pareto-m4.png': plots.m4.png,
  };
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(work, name), content);
  if (winner) {
    const src = path.join(runsDir, `${winner.recipe}-s${seed0 + winner.seedRound - 1}`);
    await writeWinner(src, path.join(work, 'best'), winner, opts.data, cacheDir);
    log(
      `tune: winner ${winner.recipe} with ${winner.score}/${winner.pool}; run folder ${path.join(opts.out, 'best')} (tinypdm emit ${path.join(opts.out, 'best', 'model.json')} --board ${board})`,
    );
  }
  return { rows, ...(winner ? { winner } : {}), files: Object.keys(files).concat(winner ? ['best/'] : []) };
}

/** The teacher of a distilled recipe: a wide frame-stack autoencoder on the same features, trained once per normalisation and seed. */
async function trainTeacher(r: Recipe, base: Omit<TrainOptions, 'out'>, runsDir: string, log: (l: string) => void): Promise<string> {
  const out = path.join(runsDir, `teacher-${r.norm}-s${base.seed}`);
  if (await findRunConfig(out)) return out;
  log(`tune: training the teacher (frame-stack ${TEACHER.units} units, latent ${TEACHER.latent}) for ${r.id}`);
  await train({
    ...base,
    out,
    arch: `frame-stack:${TEACHER.units}x${TEACHER.depth}x${TEACHER.latent}`,
    norm: r.norm,
    log: (l) => log(`  ${l}`),
  });
  return out;
}

/**
 * Writes `best/`: the winning run's model with the winning scoring (error
 * model, clip-score threshold, `scoring` in tinypdm.json), a run folder as
 * train writes one (so `eval --run best` and `emit best/model.json` take it).
 */
async function writeWinner(src: string, dest: string, w: TuneRow, data: string, cacheDir: string): Promise<void> {
  const { config } = (await findRunConfig(src))!;
  const model = await tf.loadLayersModel(fileIOHandler(path.join(src, 'model.json')));
  try {
    const stack = async (files: readonly string[]) => (await runWindows(config, data, files, cacheDir)).w;
    const fitted = await fitScoring(model, config.inputShape, await stack(config.split.train), await stack(config.split.val), {
      ...parseWindowScore(w.score),
      pool: parsePool(w.pool),
      seed: config.seed,
    });
    const threshold = percentileThreshold(fitted.valClipScores, THRESHOLD_PERCENTILE, `clip scores (${describeScoring(fitted.scoring)})`);
    const { scoring: _old, ...rest } = config;
    const next: RunConfig = {
      ...rest,
      calibration: CALIBRATION_FILE,
      scoring: fitted.scoring,
      threshold,
      training: { ...config.training, tuned: { recipe: w.recipe, score: w.score, pool: w.pool, rankAuc: w.rankAuc } },
    };
    const calib = await readInput(await calibrationPathOf({ config, dir: src }), {
      what: "the winning run's calibration file",
      fix: 'run tinypdm tune again',
    });
    await writeOutputFolder({ dest, command: 'train', inputs: [{ what: 'the winning run', path: src }] }, async (tmp) => {
      // The winning run's model and calibration windows as train wrote them, with the winning scoring.
      await saveLayersModel(model, tmp);
      await writeFile(path.join(tmp, CALIBRATION_FILE), calib);
      if (fitted.errorModel) await writeFile(path.join(tmp, ERROR_MODEL_FILE), `${JSON.stringify(fitted.errorModel)}\n`);
      await writeFile(path.join(tmp, RUN_CONFIG_FILE), `${JSON.stringify(next, null, 2)}\n`);
    });
  } finally {
    model.dispose();
  }
}

function windowsPerTrainingClip(c: RunConfig): number {
  const f = c.features;
  const frames =
    c.training['valWindows'] !== undefined && c.split.val.length > 0
      ? Math.round(Number(c.training['valWindows']) / c.split.val.length)
      : 1;
  return f.wholeClip ? 1 : Math.max(1, frames);
}
