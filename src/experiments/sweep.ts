import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { fail, writeOutputFolder } from '../util/index.js';
import { defaultCacheDir, readDataset, type DatasetOptions } from '../data/index.js';
import { renderLinePlot } from '../evaluate/index.js';
import { searchFit, type FitCandidate } from './sweep/fit-search.js';
import type { PointResult, PointSpec } from './sweep/point.js';
import { aggregate, renderCsv, renderMarkdown, type SweepRow } from './sweep/report.js';
import { optLabel, type OptPointResult, type OptPointSpec } from './sweep/opt-point.js';
import { aggregateOpt, renderOptCsv, renderOptMarkdown, renderOptPlots, type OptRow } from './sweep/opt-report.js';
import { pointDir } from './sweep/point.js';
import { checkChannelFraction, checkClusterCount, checkSparsity } from '../compiler/index.js';
import { resultOfWorker } from './sweep/worker-report.js';
import { TRAIN_DEFAULTS } from '../defaults.js';

/**
 * `tinypdm sweep`: the paper's Table 1 and Figures 2–3. For every rate and
 * round (seed = round + 1) a worker process trains and evaluates one point;
 * `jobs` points run at once. With `fit`, each rate also gets the largest
 * n_mels × frames input that fits the board (sized without training), trained
 * and evaluated beside the default. The whole sweep (runs, opt points and
 * summaries) is built in the output writer's temp folder and swapped in at the
 * end, like every other output: there is no resume, every point is retrained.
 */
import { SWEEP_DEFAULT_RATES } from '../defaults.js';

export interface SweepOptions {
  data: string;
  /** How to read `data` (layout, machine, channel, labels); every point trains on the dataset's own split where it defines one. */
  dataset?: DatasetOptions;
  rates?: readonly number[];
  rounds?: number;
  jobs?: number;
  epochs?: number;
  fit?: string;
  out: string;
  cacheDir?: string;
  /** `--opt`: also optimise every trained run over this prune × cluster grid (0 = off). */
  opt?: { prune: readonly number[]; cluster: readonly number[]; pruneChannels: readonly number[]; finetune: number };
  log?: (line: string) => void;
  /** Stops the sweep: running workers are ended, none is started, nothing is written. */
  signal?: AbortSignal;
}

export interface SweepResult {
  rows: SweepRow[];
  points: PointResult[];
  opt?: { rows: OptRow[]; points: OptPointResult[] };
  fit: Record<number, { candidates: FitCandidate[]; best?: FitCandidate }>;
  files: string[];
}

export type { SweepRow };

/**
 * The worker is the file beside this module with its extension: worker.js (plain node) when tinypdm runs
 * compiled from dist/, worker.ts when this module itself runs as TypeScript (vitest, tsx).
 */
const SOURCE_EXT = path.extname(fileURLToPath(import.meta.url));
const WORKER = fileURLToPath(new URL(`./sweep/worker${SOURCE_EXT}`, import.meta.url));

/**
 * Node flags for a worker. TypeScript needs tsx's loader, a dev dependency, resolved only then (an install
 * without dev dependencies never looks for it) and by absolute URL so workers resolve it wherever they run.
 */
function workerNodeFlags(): string[] {
  return SOURCE_EXT === '.ts' ? ['--import', import.meta.resolve('tsx')] : [];
}

export async function sweep(opts: SweepOptions): Promise<SweepResult> {
  const rates = opts.rates ?? SWEEP_DEFAULT_RATES;
  const rounds = opts.rounds ?? 3;
  const jobs = opts.jobs ?? Math.max(1, Math.min(2, os.availableParallelism()));
  (Number.isInteger(rounds) && rounds >= 1) || fail('BAD_ARGUMENT', `--rounds must be a positive integer, got ${rounds}`);
  (Number.isInteger(jobs) && jobs >= 1) || fail('BAD_ARGUMENT', `--jobs must be a positive integer, got ${jobs}`);
  rates.length > 0 || fail('BAD_ARGUMENT', `--rates is empty; pass e.g. 24000,6000,1500`);
  readDataset(opts.data, opts.dataset); // fail fast on an empty or missing folder
  if (opts.opt) {
    opts.opt.prune.forEach((p) => checkSparsity(p));
    opts.opt.pruneChannels.forEach((f) => checkChannelFraction(f));
    opts.opt.cluster.forEach((k) => k === 0 || checkClusterCount(k));
  }
  const inputs = [
    { what: 'the dataset', path: opts.data },
    { what: 'the feature cache', path: opts.cacheDir ?? defaultCacheDir(opts.data) },
  ];
  const signal = opts.signal;
  return writeOutputFolder({ dest: opts.out, command: 'sweep', inputs, ...(signal ? { signal } : {}) }, (dir) =>
    sweepInto(dir, opts, rates, rounds, jobs),
  );
}

async function sweepInto(outDir: string, opts: SweepOptions, rates: readonly number[], rounds: number, jobs: number): Promise<SweepResult> {
  const log = opts.log ?? (() => {});
  const signal = opts.signal;
  const data = path.resolve(opts.data);
  const dataset = opts.dataset
    ? { ...opts.dataset, ...(opts.dataset.labels ? { labels: opts.dataset.labels.map((l) => path.resolve(l)) } : {}) }
    : undefined;
  const base = {
    data,
    outDir,
    epochs: opts.epochs ?? TRAIN_DEFAULTS.epochs,
    ...(opts.cacheDir ? { cacheDir: path.resolve(opts.cacheDir) } : {}),
    ...(dataset ? { dataset } : {}),
  };

  const fit: SweepResult['fit'] = {};
  const best = new Set<string>();
  const specs: PointSpec[] = [];
  for (const rate of rates) {
    const configs: Array<{ label: string; input: PointSpec['input'] }> = [{ label: 'nano', input: {} }];
    if (opts.fit) {
      fit[rate] = await searchFit(rate, opts.fit);
      const b = fit[rate].best;
      if (b) {
        best.add(`${rate}|${b.nMels}x${b.frames}`);
        if (b.nMels !== 32 || b.frames !== 32)
          configs.push({ label: `fit-${b.nMels}x${b.frames}`, input: { nMels: b.nMels, frames: b.frames } });
        log(
          `${rate} Hz: best fit on ${opts.fit}: ${b.nMels} Mel × ${b.frames} frames (arena ${b.arenaBytes} B, RAM headroom ${b.ramHeadroom} B)`,
        );
      } else log(`${rate} Hz: no n_mels × frames candidate fits ${opts.fit}`);
    }
    for (const c of configs) for (let round = 0; round < rounds; round++) specs.push({ ...base, rate, round, seed: round + 1, ...c });
  }
  log(`sweep: ${specs.length} points on ${jobs} worker(s)`);
  const points = await runPool(specs, jobs, signal, (p, done) =>
    log(
      `[${done}/${specs.length}] ${p.rate} Hz ${p.label} round ${p.round}: AUC float ${p.aucFloat.toFixed(3)}, int8 ${p.aucInt8.toFixed(3)}`,
    ),
  );
  const rows = aggregate(points, best);
  const files = await writeSummary(outDir, points, rows, opts.fit ?? 'nano33ble');
  if (!opts.opt) return { rows, points, fit, files };
  const o = opts.opt;
  const optSpecs: OptPointSpec[] = specs
    .filter((s) => s.label === 'nano')
    .flatMap((s) =>
      o.pruneChannels.flatMap((pruneChannels) =>
        o.prune.flatMap((prune) =>
          o.cluster.map((cluster) => ({
            kind: 'opt' as const,
            run: pointDir(s),
            data,
            outDir,
            rate: s.rate,
            round: s.round,
            prune,
            cluster,
            pruneChannels,
            finetune: o.finetune,
          })),
        ),
      ),
    );
  log(
    `sweep --opt: ${optSpecs.length} optimised points (prune-channels ${o.pruneChannels.join(',')} × prune ${o.prune.join(',')} × cluster ${o.cluster.join(',')}) on ${jobs} worker(s)`,
  );
  const optPoints = await runPool(optSpecs, jobs, signal, (p, done) =>
    log(
      `[${done}/${optSpecs.length}] ${p.rate} Hz ${optLabel(p)} round ${p.round}: AUC int8 ${p.aucInt8.toFixed(3)} (plain ${p.baselineAucInt8.toFixed(3)}), ${p.modelBytes} B, gzip ${p.gzipBytes} B`,
    ),
  );
  const optRows = aggregateOpt(optPoints);
  const plots = await renderOptPlots(optRows);
  const optFiles: Record<string, string | Uint8Array> = {
    'opt-sweep.csv': renderOptCsv(optPoints),
    'opt-sweep.md': renderOptMarkdown(optRows, o.finetune),
    'opt-sweep.json': `${JSON.stringify({ rows: optRows, points: optPoints }, null, 2)}\n`,
    'pareto-flash.svg': plots.flash.svg,
    'pareto-flash.png': plots.flash.png,
    'pareto-m4.svg': plots.m4.svg,
    'pareto-m4.png': plots.m4.png,
  };
  for (const [name, content] of Object.entries(optFiles)) await writeFile(path.join(outDir, name), content);
  return { rows, points, fit, files: [...files, ...Object.keys(optFiles)], opt: { rows: optRows, points: optPoints } };
}

/**
 * Runs the specs on `jobs` workers. After a failure or an abort no new worker
 * starts, and the pool settles only once every running worker has ended, so
 * the caller's temp folder is never removed under a worker still writing it.
 */
async function runPool<S extends PointSpec | OptPointSpec, R = S extends OptPointSpec ? OptPointResult : PointResult>(
  specs: S[],
  jobs: number,
  signal: AbortSignal | undefined,
  onDone: (p: R, done: number) => void,
): Promise<R[]> {
  const results = new Array<R>(specs.length);
  let next = 0;
  let done = 0;
  let failed: { error: unknown } | undefined;
  const worker = async () => {
    while (next < specs.length && !failed && !signal?.aborted) {
      const i = next++;
      try {
        results[i] = (await runWorker(specs[i]!, signal)) as R;
        onDone(results[i], ++done);
      } catch (error) {
        failed ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, specs.length) }, worker));
  signal?.throwIfAborted();
  if (failed) throw failed.error;
  return results;
}

async function runWorker(spec: PointSpec | OptPointSpec, signal: AbortSignal | undefined): Promise<PointResult | OptPointResult> {
  const r = await execa(process.execPath, [...workerNodeFlags(), WORKER, JSON.stringify(spec)], {
    reject: false,
    stdin: 'ignore',
    ...(signal ? { cancelSignal: signal } : {}),
  });
  signal?.throwIfAborted();
  return resultOfWorker(`sweep worker for ${spec.rate} Hz round ${spec.round}`, String(r.stdout), r.exitCode, String(r.stderr));
}

async function writeSummary(outDir: string, points: PointResult[], rows: SweepRow[], board: string): Promise<string[]> {
  const byLabel = (label: string) => rows.filter((r) => r.label === label).sort((a, b) => a.rate - b.rate);
  const nano = byLabel('nano');
  const auc = await renderLinePlot({
    title: 'AUC vs sample rate',
    xTitle: 'sample rate (Hz)',
    yTitle: 'ROC AUC',
    logX: true,
    series: [
      { label: 'float', x: nano.map((r) => r.rate), y: nano.map((r) => r.aucFloat.mean) },
      { label: 'int8', x: nano.map((r) => r.rate), y: nano.map((r) => r.aucInt8.mean) },
    ],
  });
  const compute = await renderLinePlot({
    title: 'Cortex-M4 compute vs sample rate (estimate)',
    xTitle: 'sample rate (Hz)',
    yTitle: 'million instructions per second of audio',
    logX: true,
    series: [
      { label: 'front-end', x: nano.map((r) => r.rate), y: nano.map((r) => r.frontEndInstructionsPerSecond / 1e6) },
      { label: 'inference', x: nano.map((r) => r.rate), y: nano.map((r) => (r.inferenceInstructions * r.inferencesPerSecond) / 1e6) },
    ],
  });
  const files: Record<string, string | Uint8Array> = {
    'sweep.csv': renderCsv(points),
    'sweep.md': renderMarkdown(rows, board),
    'sweep.json': `${JSON.stringify({ rows, points }, null, 2)}\n`,
    'auc-vs-rate.svg': auc.svg,
    'auc-vs-rate.png': auc.png,
    'compute-vs-rate.svg': compute.svg,
    'compute-vs-rate.png': compute.png,
  };
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(outDir, name), content);
  return Object.keys(files);
}
