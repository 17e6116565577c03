import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRunConfig } from '../../src/data/run-config.js';
import { readErrorModel } from '../../src/learn/index.js';
import { evaluate } from '../../src/evaluate/index.js';
import { OUTPUT_MARKER } from '../../src/util/index.js';
import { synthesizeDataset } from '../../src/data/index.js';
import { createRng } from '../../src/util/random.js';
import { proxyAnomaly, tune, type TuneResult } from '../../src/experiments/tune/index.js';
import type { ClipDb } from '../../src/data/features/index.js';

describe('synthetic anomalies for ranking without labelled anomalies', () => {
  const clip: ClipDb = { kind: 'q8', nMels: 64, nFrames: 100, data: new Int16Array(6400).fill(-40 * 256) };
  const changed = (c: ClipDb) => {
    const bands = new Set<number>();
    const frames = new Set<number>();
    let maxDb = 0;
    for (let m = 0; m < 64; m++)
      for (let t = 0; t < 100; t++) {
        const d = (c.data[m * 100 + t]! - clip.data[m * 100 + t]!) / 256;
        if (d !== 0) {
          bands.add(m);
          frames.add(t);
          maxDb = Math.max(maxDb, Math.abs(d));
        }
      }
    return { bands: bands.size, frames: frames.size, maxDb };
  };

  it('each kind departs from the clip where and as much as it says', () => {
    expect(changed(proxyAnomaly(clip, 'tone', createRng(1)))).toEqual({ bands: 2, frames: 100, maxDb: 12 });
    const tilt = changed(proxyAnomaly(clip, 'tilt', createRng(1)));
    expect(tilt.bands).toBeGreaterThanOrEqual(63);
    expect(tilt.maxDb).toBeCloseTo(8, 1);
    expect(changed(proxyAnomaly(clip, 'knocks', createRng(1)))).toEqual({ bands: 64, frames: 5, maxDb: 15 });
    expect(changed(proxyAnomaly(clip, 'noise', createRng(1)))).toEqual({ bands: 11, frames: 50, maxDb: 8 });
  });
});

describe('tinypdm tune (tiny synthetic set, paper autoencoder, 1 epoch)', () => {
  let tmp: string;
  let data: string;
  let out: string;
  let r: TuneResult;
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'tinypdm-tune-'));
    data = path.join(tmp, 'data');
    await synthesizeDataset({ outDir: data, seed: 5, normal: 8, anomaliesPerType: 1, durationSec: 1.5, difficulty: 0.3 });
    out = path.join(tmp, 'tune');
    r = await tune({ data, rate: 3000, out, archs: ['paper'], scores: ['mse', 'mahalanobis'], pools: ['mean', 'max'], epochs: 1 });
  }, 300_000);
  afterAll(() => rm(tmp, { recursive: true, force: true }));

  it('ranks every recipe × scoring by the validation criterion and marks the best fitting one', () => {
    expect(r.rows).toHaveLength(2 * 4);
    expect(new Set(r.rows.map((x) => x.recipe))).toEqual(new Set(['paper-global', 'paper-band']));
    expect(r.rows.map((x) => x.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (let i = 1; i < r.rows.length; i++) expect(r.rows[i]!.rankAuc).toBeLessThanOrEqual(r.rows[i - 1]!.rankAuc);
    expect(r.winner).toBe(r.rows.find((x) => x.fits));
    expect(r.rows.every((x) => x.test !== undefined && x.ramBytes > 0 && x.m4InstructionsPerSecond > 0)).toBe(true);
    // Per-band normalisation costs its tables in flash: an int32 mult and an int64 add for each of the 32 Mel bands.
    for (const g of r.rows.filter((x) => x.recipe === 'paper-global')) {
      const band = r.rows.find((x) => x.recipe === 'paper-band' && x.score === g.score && x.pool === g.pool)!;
      expect(band.flashBytes - g.flashBytes).toBe(12 * 32);
    }
  });

  it('writes the table, the plots and best/ with the winning scoring', async () => {
    const files = await readdir(out);
    for (const f of ['tune.csv', 'tune.md', 'pareto-ram.png', 'pareto-m4.png', 'best', 'runs']) expect(files).toContain(f);
    expect((await readFile(path.join(out, 'tune.csv'), 'utf8')).trim().split('\n')).toHaveLength(9);
    expect(await readFile(path.join(out, 'tune.md'), 'utf8')).toMatch(/synthetic anomalies/);
    const best = (await findRunConfig(path.join(out, 'best')))!.config;
    const w = r.winner!;
    expect(best.scoring!.window).toBe(w.score === 'mse' ? 'mse' : 'mahalanobis');
    expect(best.scoring!.pool.method).toBe(w.pool);
    expect(best.threshold.method).toMatch(/clip scores/);
    const em = await readErrorModel(path.join(out, 'best'), best);
    expect(em === undefined).toBe(w.score === 'mse');
  });

  it('writes through the output writer: best/ is a run folder, an eval inside it does not make the folder foreign, other folders are refused', async () => {
    const marker = async (dir: string) =>
      JSON.parse(await readFile(path.join(dir, OUTPUT_MARKER), 'utf8')) as { command: string; files: Array<{ path: string }> };
    const top = await marker(out);
    expect(top.command).toBe('tune');
    expect(top.files.map((f) => f.path)).toContain('best/tinypdm.json');
    expect((await marker(path.join(out, 'best'))).command).toBe('train');
    await evaluate({ run: path.join(out, 'best'), data });
    // A later tune may replace this folder (its own output plus an eval it allows); a folder of the user's it refuses before training.
    const { whyNotOurs } = await import('../../src/util/output/marker.js');
    expect(await whyNotOurs(out, 'tune')).toBeUndefined();
    const mine = path.join(tmp, 'mine');
    await mkdir(mine);
    await writeFile(path.join(mine, 'notes.txt'), 'mine');
    await expect(tune({ data, rate: 3000, out: mine, archs: ['paper'], epochs: 1 })).rejects.toMatchObject({
      code: 'OUTPUT_NOT_OURS',
      message: expect.stringMatching(/mine: it has no \.tinypdm-output\.json/),
    });
  }, 120_000);
});
