import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthesizeDataset } from '../../src/data/index.js';
import { runCli } from '../helpers/cli.js';

/**
 * train --score/--pool writes the run's scoring and error model; eval scores
 * with them by default and with --score/--pool on request (refitting an error
 * model of another rank on the run's training clips). Tiny synthetic set.
 */
const SMALL = [
  '--rate',
  '3000',
  '--n-mels',
  '8',
  '--frames',
  '8',
  '--window-hop',
  '4',
  '--n-fft',
  '256',
  '--hop',
  '64',
  '--epochs',
  '2',
  '--batch-size',
  '16',
];
let tmp: string;
let data: string;
let run: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'tinypdm-scoring-'));
  data = path.join(tmp, 'data');
  await synthesizeDataset({ outDir: data, seed: 5, normal: 8, anomaliesPerType: 1, durationSec: 1.5, difficulty: 0.3 });
  run = path.join(tmp, 'run');
  const r = await runCli(['train', '--data', data, '--out', run, '--score', 'mahalanobis:2', '--pool', 'p90', ...SMALL]);
  expect(r.stderr).toBe('');
  expect(r.exitCode).toBe(0);
}, 180_000);
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe('run scoring through train and eval', () => {
  it('train writes the scoring, an error model of the window size and a clip-score threshold', async () => {
    const c = JSON.parse(await readFile(path.join(run, 'tinypdm.json'), 'utf8'));
    expect(c.scoring).toEqual({
      window: 'mahalanobis',
      rank: 2,
      pool: { method: 'percentile', permille: 900 },
      windowsPerClip: expect.any(Number),
      errorModel: 'error-model.json',
    });
    expect(c.scoring.windowsPerClip).toBeGreaterThan(1);
    expect(c.threshold.method).toMatch(/clip scores \(90th percentile of \d+ windows\)/);
    const em = JSON.parse(await readFile(path.join(run, 'error-model.json'), 'utf8'));
    expect(em.count).toBe(64);
    expect(em.basis).toHaveLength(2);
    expect(em.invStd.every((v: number) => v > 0)).toBe(true);
  });

  it('eval uses the run scoring, and --score/--pool change the clip scores', async () => {
    const own = await runCli(['eval', '--run', run, '--data', data, '--out', path.join(tmp, 'e1')]);
    expect(own.exitCode).toBe(0);
    const mse = await runCli(['eval', '--run', run, '--data', data, '--out', path.join(tmp, 'e2'), '--score', 'mse', '--pool', 'max']);
    expect(mse.exitCode).toBe(0);
    const refit = await runCli(['eval', '--run', run, '--data', data, '--out', path.join(tmp, 'e3'), '--score', 'mahalanobis:1']);
    expect(refit.exitCode).toBe(0);
    const [a, b, c] = await Promise.all(
      ['e1', 'e2', 'e3'].map(async (d) => JSON.parse(await readFile(path.join(tmp, d, 'eval.json'), 'utf8'))),
    );
    expect(a.score).toMatch(/90th percentile of the window Mahalanobis distance .*rank 2/);
    expect(b.score).toMatch(/clip max of the window MSE/);
    expect(c.score).toMatch(/rank 1/);
    const scores = (r: { clips: Array<{ int8: number }> }) => r.clips.map((x) => x.int8);
    expect(scores(a)).not.toEqual(scores(b));
    expect(scores(a)).not.toEqual(scores(c));
  }, 240_000);

  it('refuses a bad --score or --pool before training', async () => {
    const r = await runCli(['train', '--data', data, '--out', path.join(tmp, 'bad'), '--pool', 'p0', ...SMALL]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/BAD_ARGUMENT.*--pool/);
  });
});
