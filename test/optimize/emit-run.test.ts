import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFinetuneData } from '../../src/compiler/2-optimize/index.js';
import { parseRunConfig, type RunConfig } from '../../src/data/run-config.js';
import { train } from '../../src/learn/index.js';
import { runCli } from '../helpers/cli.js';
import { synthesizeDataset } from '../../src/data/index.js';

/**
 * Optimisation with a training run: fine-tuning on the run's WAV dataset and
 * the AUC before/after (`emit --eval-data`), on a tiny synthetic set (1.5 s
 * clips at 3000 Hz, 8 Mel × 8-frame windows, 2 epochs).
 */
let tmp: string;
let data: string;
let run: string;
let config: RunConfig;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'tinypdm-opt-run-'));
  data = path.join(tmp, 'data');
  run = path.join(tmp, 'run');
  await synthesizeDataset({ outDir: data, seed: 5, normal: 6, anomaliesPerType: 2, durationSec: 1.5, difficulty: 0.3 });
  await train({ data, rate: 3000, out: run, nMels: 8, frames: 8, windowHop: 4, nFft: 256, hop: 64, epochs: 2, batchSize: 16, seed: 3 });
  config = parseRunConfig(await readFile(path.join(run, 'tinypdm.json'), 'utf8'), 'tinypdm.json');
}, 300_000);
afterAll(() => rm(tmp, { recursive: true, force: true }));

interface OptReport {
  passes: string[];
  ratios: { macs: number; flatbufferBytes: number; flatbufferGzipBytes: number };
  auc: {
    clips: { normal: number; anomaly: number };
    original: { float: number; int8: number };
    optimized: { float: number; int8: number };
    lossVsInt8: number;
  };
}

async function emitReport(out: string, flags: string[]): Promise<OptReport> {
  const r = await runCli(['emit', path.join(run, 'model.json'), '--out', out, ...flags]);
  expect(r.exitCode, r.stderr).toBe(0);
  return JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8')).optimization as OptReport;
}

describe('fine-tuning data from a WAV dataset', () => {
  it('gives exactly the windows train trained and validated on', async () => {
    const d = await readFinetuneData(data, [1, ...config.inputShape], config);
    const per = config.inputShape.reduce((a, b) => a * b, 1);
    expect(d.train.length / per).toBe(config.training['trainWindows']);
    expect(d.val.length / per).toBe(config.training['valWindows']);
    // Normalised device inputs: dequantised int8 codes in [0, 1].
    for (const v of d.train) expect(Math.abs(v * 255 - Math.round(v * 255))).toBeLessThan(1e-3);
  });

  it('a WAV dataset without the run config is a one-line error', async () => {
    const lone = path.join(tmp, 'lone');
    await cp(run, lone, { recursive: true });
    await rm(path.join(lone, 'tinypdm.json'));
    const r = await runCli([
      'emit',
      path.join(lone, 'model.json'),
      '--calib',
      path.join(lone, 'calib.npy'),
      '--out',
      path.join(tmp, 'lone-out'),
      '--prune',
      '0.5',
      '--finetune',
      '1',
      '--data',
      data,
    ]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/RUN_MISMATCH.*WAV dataset needs the model's tinypdm\.json/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('emit --eval-data', () => {
  it('without passes: the original int8 AUC is the one tinypdm eval reports, and nothing changes', async () => {
    const o = await emitReport(path.join(tmp, 'plain'), ['--eval-data', data]);
    const ev = await runCli(['eval', '--run', run, '--data', data]);
    expect(ev.exitCode, ev.stderr).toBe(0);
    const e = JSON.parse(await readFile(path.join(run, 'eval', 'eval.json'), 'utf8'));
    expect(o.auc.original.int8).toBe(e.int8.auc);
    expect(o.auc.original.float).toBeCloseTo(e.float.auc, 2);
    expect(o.auc.clips).toEqual({ normal: config.split.test.length, anomaly: 8 });
    expect(o.auc.optimized).toEqual(o.auc.original);
    expect(o.passes).toEqual([]);
    expect(o.ratios).toEqual({ macs: 1, flatbufferBytes: 1, flatbufferGzipBytes: 1 });
  }, 300_000);

  it('prune + cluster fine-tuned on the WAV dataset: AUC fields in [0, 1], table and AUC in report.md, verify passes', async () => {
    const out = path.join(tmp, 'opt');
    const o = await emitReport(out, ['--prune', '0.5', '--cluster', '4', '--finetune', '1', '--data', data, '--eval-data', data]);
    expect(o.passes).toEqual(['prune-magnitude-gradual', 'cluster-weights', 'finetune-clusters']);
    for (const v of [o.auc.original.float, o.auc.original.int8, o.auc.optimized.float, o.auc.optimized.int8]) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
    expect(o.auc.lossVsInt8).toBeCloseTo(o.auc.original.int8 - o.auc.optimized.int8, 12);
    expect(o.ratios.flatbufferGzipBytes).toBeLessThan(1);
    const md = await readFile(path.join(out, 'report.md'), 'utf8');
    expect(md).toMatch(/## Optimisation/);
    expect(md).toMatch(/\| optimised \| [01]\.\d{4} \| [01]\.\d{4} \|/);
    const v = await runCli(['verify', path.join(out, 'model.tflite'), '--calib', path.join(run, 'calib.npy')]);
    expect(v.exitCode, v.stdout + v.stderr).toBe(0);
  }, 300_000);
});
