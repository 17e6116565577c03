import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harmonicMean } from '../../src/evaluate/metrics/index.js';
import { writeDcase2020, writeDcase2023, writeDcase2023Eval, writeToyadmos } from '../helpers/dataset-layouts.js';
import { runCli } from '../helpers/cli.js';

/**
 * DCASE-named folders through the real CLI, on tiny generated clips (1.5 s at
 * 8 kHz, 8 Mel × 8 frames, 2 epochs): the official split is what train
 * trains on and eval scores, sections and domains reach eval.json, and an
 * evaluation set needs --labels, given at train or at eval time.
 */
const SMALL = [
  '--rate',
  '4000',
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
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'tinypdm-dcase-cli-'));
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe('DCASE 2023 development set', () => {
  it('train uses train/ only; eval scores test/ exactly, per section and domain, with the official score', async () => {
    const root = path.join(tmp, 'dev');
    await writeDcase2023(root, { machine: 'ToyCar', sections: ['00', '01'], trainPerDomain: [8, 2], testPerDomain: 3 });
    await writeDcase2023(root, { machine: 'fan', sections: ['00'], trainPerDomain: [3, 1], testPerDomain: 1 });
    const run = path.join(tmp, 'run23');
    const refused = await runCli(['train', '--data', root, '--out', run, ...SMALL]);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/BAD_DATASET.*holds 2 DCASE machines \(ToyCar, fan\).*pass --machine ToyCar/);
    const t = await runCli(['train', '--data', root, '--machine', 'ToyCar', '--out', run, ...SMALL]);
    expect(t.stderr).toBe('');
    expect(t.exitCode).toBe(0);
    expect(t.stdout).toMatch(
      /dataset: dcase \(machine ToyCar\); its own split: 18 train \/ 2 validation normals from its training clips; 24 test clips \(12 normal, 12 anomalous\); sections 00, 01; domains source, target/,
    );
    const c = JSON.parse(await readFile(path.join(run, 'tinypdm.json'), 'utf8'));
    expect([...c.split.train, ...c.split.val].every((f: string) => f.startsWith('train/'))).toBe(true);
    expect(c.split.test.every((f: string) => f.startsWith('test/'))).toBe(true);
    expect(c.dataset).toMatchObject({
      layout: 'dcase',
      machine: 'ToyCar',
      split: 'dataset',
      sections: ['00', '01'],
      domains: ['source', 'target'],
    });

    const e = await runCli(['eval', '--run', run, '--data', root]);
    expect(e.stderr).toBe('');
    expect(e.exitCode).toBe(0);
    expect(e.stdout).toMatch(/section 01: AUC float .*AUC \(source\) float .*AUC \(target\) float/);
    const r = JSON.parse(await readFile(path.join(run, 'eval', 'eval.json'), 'utf8'));
    expect(r.clips.map((x: { file: string }) => x.file)).toEqual(c.dataset.test.map((x: { file: string }) => x.file));
    expect(
      r.clips.every(
        (x: { section: string; domain: string }) => ['00', '01'].includes(x.section) && ['source', 'target'].includes(x.domain),
      ),
    ).toBe(true);
    expect(Object.keys(r.perDomain)).toEqual(['source', 'target']);
    expect(r.perDomain.target.float.clips).toEqual({ normal: 6, anomaly: 12 }); // target normals vs every anomaly
    for (const which of ['float', 'int8'] as const) {
      const terms = r.dcase.sections.flatMap((s: Record<string, { domains: Array<{ auc: number }>; partialAucMcClish: number }>) => [
        ...s[which]!.domains.map((d) => d.auc),
        s[which]!.partialAucMcClish,
      ]);
      expect(terms).toHaveLength(6);
      expect(r.dcase.official[which].value).toBeCloseTo(harmonicMean(terms), 12);
    }
    expect(r.dcase.official.definition).toMatch(/DCASE 2022–2024/);

    // emit's fine-tuning reads the run's training clips, and --eval-data its test set, the way train read them.
    const out = path.join(tmp, 'build23');
    const m = await runCli([
      'emit',
      path.join(run, 'model.json'),
      '--prune',
      '0.5',
      '--finetune',
      '1',
      '--data',
      root,
      '--eval-data',
      root,
      '--out',
      out,
    ]);
    expect(m.stderr).toBe('');
    expect(m.exitCode).toBe(0);
    const rep = JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8'));
    expect(rep.optimization.auc.clips).toEqual({ normal: 12, anomaly: 12 });
    expect(rep.optimization.auc.original.int8).toBeCloseTo(r.int8.auc, 12);
  }, 600_000);
});

describe('DCASE 2023 evaluation set', () => {
  it('eval refuses unlabelled test clips; --labels (the evaluator folder) at eval time fills labels and domains', async () => {
    const ev = await writeDcase2023Eval(path.join(tmp, 'eval'));
    const run = path.join(tmp, 'run-eval');
    const t = await runCli(['train', '--data', ev.machine, '--out', run, ...SMALL]);
    expect(t.exitCode).toBe(0);
    expect(t.stdout).toMatch(/8 test clips \(0 normal, 0 anomalous, 8 unlabelled: pass --labels to eval\)/);
    const refused = await runCli(['eval', '--run', run, '--data', ev.machine]);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/MISSING_LABELS.*8 test clip\(s\) carry no label .*pass --labels/);
    const e = await runCli(['eval', '--run', run, '--data', ev.machine, '--labels', ev.evaluator]);
    expect(e.stderr).toBe('');
    expect(e.exitCode).toBe(0);
    const r = JSON.parse(await readFile(path.join(run, 'eval', 'eval.json'), 'utf8'));
    expect(r.clips.map((x: { file: string; label: number; domain: string }) => [x.file, x.label, x.domain])).toEqual(
      ev.truth.map((x) => [`test/${x.name}`, x.anomaly ? 1 : 0, x.domain]),
    );
    // Flags that would read the run's dataset differently are refused.
    const other = await runCli(['eval', '--run', run, '--data', ev.machine, '--layout', 'mimii']);
    expect(other.stderr).toMatch(/BAD_ARGUMENT.*read its dataset with --layout dcase, not mimii/);
  }, 600_000);
});

describe('eval --test on other layouts', () => {
  it('a DCASE 2020 folder and a ToyADMOS folder, with a run trained on a DCASE 2023 set', async () => {
    const dev = await writeDcase2023(path.join(tmp, 'dev-b'), { trainPerDomain: [6, 2], testPerDomain: 2 });
    const run = path.join(tmp, 'run-b');
    expect((await runCli(['train', '--data', dev, '--out', run, ...SMALL])).exitCode).toBe(0);
    const d20 = await writeDcase2020(path.join(tmp, 'd20'));
    const a = await runCli(['eval', '--run', run, '--test', d20]);
    expect(a.stderr).toBe('');
    expect(a.exitCode).toBe(0);
    const ra = JSON.parse(await readFile(path.join(run, 'eval-fan', 'eval.json'), 'utf8'));
    expect(ra.dataset).toMatchObject({ layout: 'dcase', testSet: 'test split of --test', sections: ['00', '02'], domains: [] });
    expect(ra.clips.every((x: { file: string }) => x.file.startsWith('test/'))).toBe(true);
    expect(ra.dcase.official.definition).toMatch(/one domain/);
    const toy = await writeToyadmos(path.join(tmp, 'toy'));
    const b = await runCli(['eval', '--run', run, '--test', toy, '--channel', '1']);
    expect(b.stderr).toBe('');
    expect(b.exitCode).toBe(0);
    const rb = JSON.parse(await readFile(path.join(run, 'eval-ToyCar', 'eval.json'), 'utf8'));
    expect(rb.clips.every((x: { file: string }) => x.file.includes('_ch2_'))).toBe(true);
    expect(Object.keys(rb.perType)).toEqual(['ab01', 'ab02']);
    expect([rb.float.clips.normal, rb.float.clips.anomaly]).toEqual([5, 3]);
  }, 600_000);
});

describe('sweep on a DCASE folder', () => {
  it("every point trains on the dataset's own split and is scored on its test set", async () => {
    const root = path.join(tmp, 'sweep-dev');
    await writeDcase2023(root, { machine: 'ToyCar', trainPerDomain: [6, 2], testPerDomain: 2 });
    await writeDcase2023(root, { machine: 'fan', trainPerDomain: [2, 1], testPerDomain: 1 });
    const out = path.join(tmp, 'sweep');
    const r = await runCli([
      'sweep',
      '--data',
      root,
      '--machine',
      'ToyCar',
      '--rates',
      '1500',
      '--rounds',
      '1',
      '--epochs',
      '1',
      '--jobs',
      '1',
      '--out',
      out,
    ]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const point = path.join(out, 'runs', '1500-nano-r0');
    const c = JSON.parse(await readFile(path.join(point, 'tinypdm.json'), 'utf8'));
    expect(c.dataset).toMatchObject({ layout: 'dcase', machine: 'ToyCar', split: 'dataset' });
    expect([...c.split.train, ...c.split.val].every((f: string) => f.startsWith('train/'))).toBe(true);
    const e = JSON.parse(await readFile(path.join(point, 'eval', 'eval.json'), 'utf8'));
    expect(e.clips.map((x: { file: string }) => x.file)).toEqual(c.dataset.test.map((x: { file: string }) => x.file));
    expect(e.clips).toHaveLength(8);
  }, 600_000);
});
