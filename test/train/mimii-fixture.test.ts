import { access, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planSplit, readDataset } from '../../src/data/datasets/index.js';
import { harmonicMean } from '../../src/evaluate/metrics/index.js';
import { runCli } from '../helpers/cli.js';

/**
 * Real machine sound in CI: the MIMII fan id_00 sample (20 normal, 20
 * abnormal 10 s clips, 16 kHz; test/fixtures/mimii/README.md) read through
 * the MIMII layout, split, trained on, evaluated and compiled for the Nano
 * through the real CLI, at the Nano's native 16000 Hz. Kept quick: a small
 * conv autoencoder, 3 epochs. Nothing here judges detection quality (40 clips
 * are too few to); the tests check that every step uses the split it claims.
 */
const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/mimii');
const SMALL_ARCH = [
  { type: 'conv2d', filters: 8 },
  { type: 'maxpool', size: 2 },
  { type: 'conv2d', filters: 8 },
  { type: 'upsample', size: 2 },
  { type: 'conv2d', filters: 1 },
];
let tmp: string;
let data: string;
let run: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'tinypdm-mimii-'));
  // A copy, so the feature cache (DATA/.cache) never lands in the repository.
  data = path.join(tmp, 'mimii');
  await cp(FIXTURE, data, { recursive: true });
  await writeFile(path.join(tmp, 'arch.json'), JSON.stringify(SMALL_ARCH));
  run = path.join(tmp, 'run');
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe('the MIMII fixture', () => {
  it('is read as MIMII: machine fan, section id_00, 20 normal and 20 abnormal clips; the seeded split', () => {
    const d = readDataset(data);
    expect([d.layout, d.machine, d.channel, d.definesSplit]).toEqual(['mimii', 'fan', 0, false]);
    expect(d.clips.filter((c) => c.label === 'normal')).toHaveLength(20);
    expect(d.clips.filter((c) => c.label === 'anomaly')).toHaveLength(20);
    expect(new Set(d.clips.map((c) => c.section))).toEqual(new Set(['id_00']));
    const s = planSplit(d, 1);
    expect([s.train.length, s.val.length, s.test.length, s.testClips.length]).toEqual([12, 4, 4, 24]);
    expect(new Set([...s.train, ...s.val, ...s.test]).size).toBe(20);
    expect(s.testClips.filter((c) => c.label === 'anomaly').every((c) => c.file.startsWith('id_00/abnormal/'))).toBe(true);
  });

  it('train → tinypdm.json records the layout, the split, the section and the whole test set', async () => {
    const r = await runCli([
      'train',
      '--data',
      data,
      '--rate',
      '16000',
      '--out',
      run,
      '--arch',
      path.join(tmp, 'arch.json'),
      '--epochs',
      '3',
      '--seed',
      '1',
    ]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(
      /dataset: mimii \(machine fan\); seeded split: 12 train \/ 4 validation normals; 24 test clips \(4 normal, 20 anomalous\); sections id_00/,
    );
    const c = JSON.parse(await readFile(path.join(run, 'tinypdm.json'), 'utf8'));
    // The Nano's native rate gets the 1.37 s window too: hop 683, n_fft 2048.
    expect([c.features.sampleRate, c.features.hop, c.features.nFft]).toEqual([16000, 683, 2048]);
    expect(c.dataset).toMatchObject({
      layout: 'mimii',
      machine: 'fan',
      channel: 0,
      wavChannel: 0,
      split: 'seeded',
      sections: ['id_00'],
      domains: [],
    });
    expect(c.dataset.test).toHaveLength(24);
    expect(c.dataset.test.filter((t: { label: string }) => t.label === 'normal').map((t: { file: string }) => t.file)).toEqual(
      c.split.test,
    );
    const planned = planSplit(readDataset(data), 1);
    expect([c.split.train, c.split.val, c.split.test]).toEqual([planned.train, planned.val, planned.test]);
  }, 600_000);

  it('eval scores exactly the recorded test set, per section, with the official score; float and int8', async () => {
    const r = await runCli(['eval', '--run', run, '--data', data]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/section id_00: AUC float \d\.\d{4} int8 \d\.\d{4}; pAUC/);
    expect(r.stdout).toMatch(/official score \(DCASE\): float \d\.\d{4} int8 \d\.\d{4}/);
    const e = JSON.parse(await readFile(path.join(run, 'eval', 'eval.json'), 'utf8'));
    const c = JSON.parse(await readFile(path.join(run, 'tinypdm.json'), 'utf8'));
    expect(e.clips.map((x: { file: string }) => x.file)).toEqual(c.dataset.test.map((t: { file: string }) => t.file));
    expect(e.dataset).toMatchObject({ layout: 'mimii', machine: 'fan', testSet: 'seeded split', sections: ['id_00'], domains: [] });
    expect(e.perType).toEqual({}); // MIMII names no anomaly types
    for (const which of ['float', 'int8'] as const) {
      const [s] = e.dcase.sections;
      // One section: its AUC is the overall one, and the official score is hmean(AUC, pAUC McClish).
      expect(s[which].auc).toBeCloseTo(e[which].auc, 12);
      expect(s[which].partialAucMcClish).toBeCloseTo(e[which].partialAucMcClish, 12);
      expect(e.dcase.official[which].value).toBeCloseTo(harmonicMean([s[which].auc, s[which].partialAucMcClish]), 12);
    }
    expect(await readFile(path.join(run, 'eval', 'eval.md'), 'utf8')).toMatch(
      /## Per section \(DCASE\)[\s\S]*\| id_00 \| int8 \| 4 \/ 20 \|/,
    );
  }, 600_000);

  it('emit --board nano33ble compiles the run; --eval-data re-reads the same test set and finds the AUC eval found', async () => {
    const out = path.join(tmp, 'build');
    const r = await runCli(['emit', path.join(run, 'model.json'), '--board', 'nano33ble', '--eval-data', data, '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    await access(path.join(out, 'tinypdm_detector', 'tinypdm_detector.ino'));
    expect(await readFile(path.join(out, 'tinypdm_detector', 'tinypdm_config.h'), 'utf8')).toMatch(/683/);
    const report = JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8'));
    const e = JSON.parse(await readFile(path.join(run, 'eval', 'eval.json'), 'utf8'));
    expect(report.optimization.auc.clips).toEqual({ normal: 4, anomaly: 20 });
    expect(report.optimization.auc.original.int8).toBeCloseTo(e.int8.auc, 12);
  }, 600_000);

  it('eval --test DIR scores every clip of another folder (MIMII defines no split), in RUN/eval-<folder>', async () => {
    const r = await runCli(['eval', '--run', run, '--test', data]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const e = JSON.parse(await readFile(path.join(run, 'eval-mimii', 'eval.json'), 'utf8'));
    expect(e.dataset).toMatchObject({ layout: 'mimii', testSet: 'all clips', folder: 'mimii' });
    expect([e.float.clips.normal, e.float.clips.anomaly]).toEqual([20, 20]);
    const both = await runCli(['eval', '--run', run, '--test', data, '--data', data]);
    expect(both.exitCode).toBe(1);
    expect(both.stderr).toMatch(/BAD_ARGUMENT.*--data DIR .* or --test DIR/);
  }, 600_000);
});
