import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { synthesizeDataset } from '../../src/data/index.js';

/** A two-rate, one-round sweep on 10 s clips at low rates (cheap features), 1 epoch, two worker processes. */
let tmp: string;
let data: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'tinypdm-sweep-'));
  data = path.join(tmp, 'data');
  await synthesizeDataset({ outDir: data, seed: 9, normal: 5, anomaliesPerType: 1, durationSec: 10, difficulty: 0.3 });
}, 120_000);
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe('tinypdm sweep', () => {
  it('trains and evaluates each rate in workers and writes CSV, Markdown and plots', async () => {
    const out = path.join(tmp, 'sweep');
    const r = await runCli(['sweep', '--data', data, '--rates', '1500,375', '--rounds', '1', '--epochs', '1', '--jobs', '2', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const csv = (await readFile(path.join(out, 'sweep.csv'), 'utf8')).trim().split('\n');
    expect(csv).toHaveLength(3);
    const head = csv[0]!.split(',');
    const rows = csv.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [head[i]!, v])));
    expect(rows.map((x) => Number(x['rate']))).toEqual([1500, 375]);
    // hop scales with the rate (1500 Hz: 64, 375 Hz: 16), so both windows span the same 1.37 s.
    expect(rows.map((x) => Number(x['hop']))).toEqual([64, 16]);
    for (const row of rows) {
      for (const k of ['aucFloat', 'aucInt8']) {
        expect(Number(row[k])).toBeGreaterThanOrEqual(0);
        expect(Number(row[k])).toBeLessThanOrEqual(1);
      }
      // Same 32×32 paper model at both rates: identical MACs; the arena ≈ 40·M·F (the paper model's activations).
      expect(Number(row['macs'])).toBe(Number(rows[0]!['macs']));
      expect(Number(row['arenaBytes'])).toBeGreaterThan(40 * 32 * 32);
      expect(Number(row['arenaBytes'])).toBeLessThan(60 * 32 * 32);
      expect(row['fitsRam']).toBe('true');
    }
    for (const row of rows) expect(Number(row['frontEndInstructionsPerSecond'])).toBeGreaterThan(0);
    const md = await readFile(path.join(out, 'sweep.md'), 'utf8');
    expect(md).toMatch(/\| 1500 \| 32 × 32 \| 256 \/ 64 \|/);
    expect(md).toMatch(/\| 375 \| 32 × 32 \| 64 \/ 16 \|/);
    for (const f of ['auc-vs-rate.png', 'compute-vs-rate.png'])
      expect((await readFile(path.join(out, f))).subarray(1, 4).toString()).toBe('PNG');
  }, 400_000);
});
