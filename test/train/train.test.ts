import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNpy } from '../../src/util/npy.js';
import { encodeWav16 } from '../../src/audio/wav.js';
import { runCli } from '../helpers/cli.js';
import { synthesizeDataset } from '../../src/data/index.js';

/**
 * train and eval through the real CLI on a tiny synthetic set: 1.5 s clips at
 * 3000 Hz, 8 Mel × 8-frame windows, 2 epochs — seconds, not minutes.
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

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'tinypdm-train-'));
  data = path.join(tmp, 'data');
  await synthesizeDataset({ outDir: data, seed: 5, normal: 6, anomaliesPerType: 1, durationSec: 1.5, difficulty: 0.3 });
}, 120_000);
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe('tinypdm train', () => {
  it('writes a run folder; the same seed gives byte-identical weights and config', async () => {
    const a = await runCli(['train', '--data', data, '--out', path.join(tmp, 'runA'), '--seed', '3', ...SMALL]);
    expect(a.stderr).toBe('');
    expect(a.exitCode).toBe(0);
    expect(a.stdout).toMatch(/backend: wasm|backend: tensorflow/);
    const b = await runCli(['train', '--data', data, '--out', path.join(tmp, 'runB'), '--seed', '3', ...SMALL]);
    expect(b.exitCode).toBe(0);
    for (const f of ['model.json', 'group1-shard1of1.bin', 'tinypdm.json', 'calib.npy']) {
      expect(Buffer.compare(await readFile(path.join(tmp, 'runA', f)), await readFile(path.join(tmp, 'runB', f))), f).toBe(0);
    }
  }, 180_000);

  it('records the features, normalisation, split and history, and calibrates on device int8 inputs', async () => {
    const c = JSON.parse(await readFile(path.join(tmp, 'runA', 'tinypdm.json'), 'utf8'));
    expect(c.features).toMatchObject({
      mode: 'fixed',
      sampleRate: 3000,
      pdmRate: 16000,
      nFft: 256,
      hop: 64,
      nMels: 8,
      windowFrames: 8,
      windowHop: 4,
      topDb: 80,
    });
    expect(c.inputShape).toEqual([8, 8, 1]);
    expect(c.inputQuant).toEqual({ scale: 1 / 255, zeroPoint: -128 });
    expect(c.normalization.a * c.normalization.dbMin + c.normalization.b).toBeCloseTo(0, 9);
    expect(c.normalization.a * c.normalization.dbMax + c.normalization.b).toBeCloseTo(1, 9);
    // 6 normals: 60/20/20 → 3 / 1 / 2, disjoint, covering every normal clip.
    expect([c.split.train.length, c.split.val.length, c.split.test.length]).toEqual([3, 1, 2]);
    expect(new Set([...c.split.train, ...c.split.val, ...c.split.test]).size).toBe(6);
    expect(c.history.loss).toHaveLength(2);
    expect(c.history.valLoss).toHaveLength(2);
    expect(c.threshold.value).toBeGreaterThan(0);
    expect(c.threshold.method).toMatch(/p99/);
    expect(c.seed).toBe(3);
    const calib = parseNpy(new Uint8Array(await readFile(path.join(tmp, 'runA', c.calibration))), 'calib.npy');
    expect(calib.shape.slice(1)).toEqual([8, 8, 1]);
    // Every training value is an int8 code dequantised: (q + 128) / 255 for an integer q.
    for (const v of calib.data) {
      const code = v * 255;
      expect(Math.abs(code - Math.round(code))).toBeLessThan(1e-3);
      expect(code).toBeGreaterThanOrEqual(0);
      expect(code).toBeLessThanOrEqual(255);
    }
  });
});

describe('tinypdm eval', () => {
  it('scores test normals and every anomaly; metrics match an independent recomputation', async () => {
    const r = await runCli(['eval', '--run', path.join(tmp, 'runA'), '--data', data]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const dir = path.join(tmp, 'runA', 'eval');
    const report = JSON.parse(await readFile(path.join(dir, 'eval.json'), 'utf8'));
    const c = JSON.parse(await readFile(path.join(tmp, 'runA', 'tinypdm.json'), 'utf8'));
    expect(report.clips.filter((x: { label: number }) => x.label === 0).map((x: { file: string }) => x.file)).toEqual(c.split.test);
    expect(report.clips.filter((x: { label: number }) => x.label === 1)).toHaveLength(4);
    for (const which of ['float', 'int8'] as const) {
      expect(report[which].auc).toBeCloseTo(mannWhitneyAuc(report.clips, which), 12);
      for (const type of ['belt-slip', 'damaged-roller', 'dry-bearing', 'loose-part']) {
        const subset = report.clips.filter((x: { label: number; type: string }) => x.label === 0 || x.type === type);
        expect(report.perType[type][which].auc).toBeCloseTo(mannWhitneyAuc(subset, which), 12);
      }
    }
    // A clip score is the mean of positive window MSEs in normalised units.
    for (const clip of report.clips) {
      expect(clip.windows).toBeGreaterThan(0);
      expect(clip.float).toBeGreaterThan(0);
      expect(clip.int8).toBeGreaterThan(0);
    }
    const png = await readFile(path.join(dir, 'roc.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(await readFile(path.join(dir, 'roc.svg'), 'utf8')).toMatch(/<svg/);
    expect(await readFile(path.join(dir, 'eval.md'), 'utf8')).toMatch(/\| int8, all \|/);
  }, 180_000);

  it('a damaged feature cache changes nothing: every entry damaged a different way, eval and train give the same files', async () => {
    const cache = path.join(data, '.cache', 'tinypdm');
    const entries = (await readdir(cache)).sort();
    expect(entries.length).toBeGreaterThan(5);
    const evalBefore = await readFile(path.join(tmp, 'runA', 'eval', 'eval.json'));
    for (const [i, name] of entries.entries()) {
      const file = path.join(cache, name);
      const bytes = new Uint8Array(await readFile(file));
      const damaged = [
        () => bytes.map((v, k) => (k === bytes.length - 1 ? v ^ 0x40 : v)), // payload
        () => bytes.map((v, k) => (k === 16 ? v ^ 0x01 : v)), // frame count
        () => bytes.subarray(0, 30), // torn write
      ][i % 3]!();
      await writeFile(file, damaged);
    }
    const r = await runCli(['eval', '--run', path.join(tmp, 'runA'), '--data', data]);
    expect(r.exitCode).toBe(0);
    expect(Buffer.compare(await readFile(path.join(tmp, 'runA', 'eval', 'eval.json')), evalBefore)).toBe(0);
    // Damage them again (eval rewrote the entries it used): train reads the training clips' entries.
    for (const name of entries) await writeFile(path.join(cache, name), new Uint8Array(40));
    const t = await runCli(['train', '--data', data, '--out', path.join(tmp, 'runC'), '--seed', '3', ...SMALL]);
    expect(t.exitCode).toBe(0);
    for (const f of ['group1-shard1of1.bin', 'tinypdm.json', 'calib.npy']) {
      expect(Buffer.compare(await readFile(path.join(tmp, 'runA', f)), await readFile(path.join(tmp, 'runC', f))), f).toBe(0);
    }
  }, 240_000);
});

describe('bad input', () => {
  it('an empty folder', async () => {
    const empty = path.join(tmp, 'empty');
    await mkdir(empty, { recursive: true });
    const r = await runCli(['train', '--data', empty, '--out', path.join(tmp, 'x'), ...SMALL]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/BAD_DATASET.*no normal\/\*\.wav/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  }, 60_000);

  it('a rate above what the data holds names the file and its rate', async () => {
    const low = path.join(tmp, 'low');
    await mkdir(path.join(low, 'normal'), { recursive: true });
    for (let i = 0; i < 5; i++)
      await writeFile(
        path.join(low, 'normal', `n${i}.wav`),
        encodeWav16(
          new Float32Array(8000).map((_, k) => 0.1 * Math.sin(k * (0.1 + i))),
          8000,
        ),
      );
    const r = await runCli(['train', '--data', low, '--out', path.join(tmp, 'x'), ...SMALL.map((a) => (a === '3000' ? '12000' : a))]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/BAD_RATE.*n\d\.wav: sampled at 8000 Hz/);
  }, 60_000);

  it('eval without anomalies', async () => {
    const normalsOnly = path.join(tmp, 'normals-only');
    await cp(path.join(data, 'normal'), path.join(normalsOnly, 'normal'), { recursive: true });
    const r = await runCli(['eval', '--run', path.join(tmp, 'runA'), '--data', normalsOnly]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/BAD_DATASET.*no anomaly clips/);
  }, 60_000);

  it('a run config that does not match the model', async () => {
    const bad = path.join(tmp, 'runBad');
    await cp(path.join(tmp, 'runA'), bad, { recursive: true });
    const c = JSON.parse(await readFile(path.join(bad, 'tinypdm.json'), 'utf8'));
    c.features.nMels = 16;
    c.inputShape = [16, 8, 1];
    await writeFile(path.join(bad, 'tinypdm.json'), JSON.stringify(c));
    const r = await runCli(['eval', '--run', bad, '--data', data]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/RUN_MISMATCH.*model takes \[8, 8, 1\] but tinypdm\.json says \[16, 8, 1\]/);
    const none = await runCli(['eval', '--run', path.join(tmp, 'empty'), '--data', data]);
    expect(none.exitCode).toBe(1);
    expect(none.stderr).toMatch(/RUN_MISMATCH.*no tinypdm\.json/);
  }, 60_000);
});

/** AUC as the Mann–Whitney U statistic: P(anomaly score > normal score) + ½ P(tie). */
function mannWhitneyAuc(clips: Array<{ label: number; float: number; int8: number }>, which: 'float' | 'int8'): number {
  const pos = clips.filter((c) => c.label === 1).map((c) => c[which]);
  const neg = clips.filter((c) => c.label === 0).map((c) => c[which]);
  let u = 0;
  for (const p of pos) for (const n of neg) u += p > n ? 1 : p === n ? 0.5 : 0;
  return u / (pos.length * neg.length);
}
