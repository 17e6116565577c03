import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paretoFront } from '../../src/experiments/sweep/pareto.js';
import { runCli } from '../helpers/cli.js';
import { synthesizeDataset } from '../../src/data/index.js';

let tmp: string;
let data: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'tinypdm-sweep-opt-'));
  data = path.join(tmp, 'data');
  // 10 s clips at 375 Hz: cheap features, several 32-frame windows per clip.
  await synthesizeDataset({ outDir: data, seed: 9, normal: 5, anomaliesPerType: 1, durationSec: 10, difficulty: 0.3 });
}, 120_000);
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe('paretoFront', () => {
  it('keeps the points no other point beats in both cost and score', () => {
    const pts = [
      { cost: 10, score: 0.9 }, // front: the best score
      { cost: 5, score: 0.8 }, // front
      { cost: 6, score: 0.7 }, // dominated by (5, 0.8)
      { cost: 1, score: 0.5 }, // front: the cheapest
      { cost: 5, score: 0.8 }, // a tie with a front point is not dominated
      { cost: 12, score: 0.9 }, // dominated by (10, 0.9)
    ];
    expect(paretoFront(pts)).toEqual([true, true, false, true, true, false]);
  });
});

describe('tinypdm sweep --opt', () => {
  it('optimises the trained run over filters × prune × cluster and writes CSV, Markdown and Pareto plots', async () => {
    const out = path.join(tmp, 'sweep');
    const r = await runCli([
      'sweep',
      '--data',
      data,
      '--rates',
      '375',
      '--rounds',
      '1',
      '--epochs',
      '1',
      '--jobs',
      '2',
      '--out',
      out,
      '--opt',
      '--prune',
      '0,0.5',
      '--cluster',
      '0,8',
      '--prune-channels',
      '0,0.5',
      '--finetune',
      '1',
    ]);
    expect(r.exitCode, r.stderr).toBe(0);
    const csv = (await readFile(path.join(out, 'opt-sweep.csv'), 'utf8')).trim().split('\n');
    const head = csv[0]!.split(',');
    const rows = csv.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [head[i]!, Number(v)])));
    expect(rows.map((x) => [x['pruneChannels'], x['prune'], x['cluster']])).toEqual([
      [0, 0, 0],
      [0, 0, 8],
      [0, 0.5, 0],
      [0, 0.5, 8],
      [0.5, 0, 0],
      [0.5, 0, 8],
      [0.5, 0.5, 0],
      [0.5, 0.5, 8],
    ]);
    const plain = rows[0]!;
    for (const row of rows.slice(4)) {
      // Filter pruning really shrinks the flatbuffer, the MACs and the compute.
      expect(row['modelBytes']).toBeLessThan(0.6 * plain['modelBytes']!);
      expect(row['macs']).toBeLessThan(0.6 * plain['macs']!);
      expect(row['m4InstructionsPerSecond']).toBeLessThan(plain['m4InstructionsPerSecond']!);
    }
    for (const row of rows.slice(0, 4)) {
      for (const k of ['aucInt8', 'aucFloat', 'baselineAucInt8']) {
        expect(row[k]).toBeGreaterThanOrEqual(0);
        expect(row[k]).toBeLessThanOrEqual(1);
      }
      // Unstructured pruning and clustering keep the dense flatbuffer and MACs; they pay off in gzip.
      expect(row['modelBytes']).toBe(plain['modelBytes']);
      expect(row['macs']).toBe(plain['macs']);
      expect(row['m4InstructionsPerSecond']).toBe(plain['m4InstructionsPerSecond']);
      expect(row['inferenceInstructions']).toBeGreaterThan(0);
    }
    expect(rows[3]!['gzipBytes']).toBeLessThan(0.6 * plain['gzipBytes']!);
    const md = await readFile(path.join(out, 'opt-sweep.md'), 'utf8');
    expect(md).toMatch(/\| 375 \| 0\.5 \| 0\.5 \| 8 \| 1 \| [01]\.\d{3} \|/);
    expect(md).toMatch(/◆/);
    for (const row of rows) expect(row['baselineAucInt8']).toBe(plain['aucInt8']);
    for (const f of ['pareto-flash.png', 'pareto-m4.png'])
      expect((await readFile(path.join(out, f))).subarray(1, 4).toString()).toBe('PNG');
    expect(await readFile(path.join(out, 'pareto-flash.svg'), 'utf8')).toMatch(/Pareto front/);
  }, 600_000);
});
