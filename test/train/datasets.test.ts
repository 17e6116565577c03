import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TinyPdmError } from '../../src/util/errors.js';
import { parseRunConfig } from '../../src/data/run-config.js';
import { extractClips, listDataset } from '../../src/data/dataset.js';
import {
  DATASET_VAL_FRACTION,
  parseAttributes,
  parseDcaseName,
  planSplit,
  readDataset,
  requireLabels,
  runDatasetOf,
  testClipsOf,
} from '../../src/data/datasets/index.js';
import { resolveFeatureConfig } from '../../src/data/features/index.js';
import { tinyClip, writeDcase2020, writeDcase2023, writeDcase2023Eval, writeMimii, writeToyadmos } from '../helpers/dataset-layouts.js';

/**
 * The dataset layouts as users have them, on generated folders with the real
 * layouts' names: what each reader finds, the split it implies, and the
 * refusals (ambiguity, missing labels, unsafe links).
 */
let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'tinypdm-datasets-'));
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

function errorOf(f: () => unknown): TinyPdmError {
  try {
    f();
  } catch (e) {
    if (e instanceof TinyPdmError) return e;
    throw e;
  }
  throw new Error('expected a TinyPdmError');
}

describe('DCASE file names', () => {
  it('2021–2024 development names, evaluation names and 2020 names', () => {
    expect(parseDcaseName('section_00_source_train_normal_0000_car_A1_spd_28V_mic_1.wav')).toEqual({
      label: 'normal',
      section: '00',
      domain: 'source',
      split: 'train',
      attributes: { car: 'A1', spd: '28V', mic: '1' },
    });
    expect(parseDcaseName('section_02_target_test_anomaly_0012.wav')).toEqual({
      label: 'anomaly',
      section: '02',
      domain: 'target',
      split: 'test',
    });
    expect(parseDcaseName('section_03_source_test_0000.wav')).toEqual({ label: 'unknown', section: '03', domain: 'source', split: 'test' });
    expect(parseDcaseName('section_00_0199.wav')).toEqual({ label: 'unknown', section: '00', split: 'test' });
    expect(parseDcaseName('anomaly_id_04_00000012.wav')).toEqual({ label: 'anomaly', section: '04' });
    expect(parseDcaseName('id_05_00000000.wav')).toEqual({ label: 'unknown', section: '05' });
    expect(parseDcaseName('00000000.wav')).toBeUndefined();
    expect(parseAttributes('strength_1_ambient')).toEqual({ attrs: 'strength_1_ambient' });
    expect(parseAttributes('noAttribute')).toEqual({ attrs: 'noAttribute' });
  });
});

describe('DCASE 2023 development set', () => {
  let machine: string;
  beforeAll(async () => {
    machine = await writeDcase2023(path.join(tmp, 'dcase23'), { sections: ['00', '01'], trainPerDomain: [18, 2] });
  });

  it('is detected; names give label, section, domain and attributes; the folders give the split', () => {
    const d = readDataset(machine);
    expect([d.layout, d.machine, d.definesSplit, d.root]).toEqual(['dcase', 'ToyCar', true, machine]);
    expect(d.clips).toHaveLength(2 * (20 + 12));
    const c = d.clips.find((x) => x.file === 'test/section_01_target_test_anomaly_0002_car_A1_spd_28V.wav')!;
    expect(c).toEqual({
      file: c.file,
      label: 'anomaly',
      section: '01',
      domain: 'target',
      split: 'test',
      attributes: { car: 'A1', spd: '28V' },
    });
    // The parent folder works too: the only machine is picked and said so.
    const viaParent = readDataset(path.dirname(machine));
    expect(viaParent.root).toBe(machine);
    expect(viaParent.clips).toEqual(d.clips);
    expect(viaParent.notes.join()).toMatch(/machine ToyCar \(the only one/);
  });

  it("the test set is exactly test/, validation a seeded tenth of train/'s normals", () => {
    const d = readDataset(machine);
    const s = planSplit(d, 3);
    expect(s.source).toBe('dataset');
    expect(s.testClips.map((c) => c.file)).toEqual(d.clips.filter((c) => c.file.startsWith('test/')).map((c) => c.file));
    expect(s.test).toEqual(d.clips.filter((c) => c.file.startsWith('test/') && c.label === 'normal').map((c) => c.file));
    expect(s.val).toHaveLength(Math.floor(40 * DATASET_VAL_FRACTION));
    expect([...s.train, ...s.val].every((f) => f.startsWith('train/'))).toBe(true);
    expect(new Set([...s.train, ...s.val]).size).toBe(40);
    expect(planSplit(d, 3)).toEqual(s);
    expect(planSplit(d, 4).val).not.toEqual(s.val);
    const r = runDatasetOf(d, s)!;
    expect([r.layout, r.machine, r.split, r.sections, r.domains]).toEqual([
      'dcase',
      'ToyCar',
      'dataset',
      ['00', '01'],
      ['source', 'target'],
    ]);
    expect(r.test).toHaveLength(24);
    expect(r.test[0]).toEqual({
      file: 'test/section_00_source_test_anomaly_0000_car_A1_spd_28V.wav',
      label: 'anomaly',
      section: '00',
      domain: 'source',
    });
  });

  it('several machines: refused without --machine, read with it; paths are relative to the machine', async () => {
    const root = path.join(tmp, 'dcase-multi');
    await writeDcase2023(root, { machine: 'fan', trainPerDomain: [3, 1], testPerDomain: 1 });
    await writeDcase2023(root, { machine: 'pump', trainPerDomain: [3, 1], testPerDomain: 1 });
    const e = errorOf(() => readDataset(root));
    expect([e.code, e.message]).toEqual([
      'BAD_DATASET',
      expect.stringMatching(/holds 2 DCASE machines \(fan, pump\); a run models one machine, pass --machine fan/),
    ]);
    const pump = readDataset(root, { machine: 'pump' });
    expect([pump.machine, pump.root]).toEqual(['pump', path.join(root, 'pump')]);
    expect(pump.clips.every((c) => /^(train|test)\//.test(c.file))).toBe(true);
    expect(errorOf(() => readDataset(root, { machine: 'valve' })).message).toMatch(/no DCASE machine folder 'valve'; it holds fan, pump/);
  });

  it('a WAV that is not a DCASE name is refused, not skipped; a stray folder is said', async () => {
    const m = await writeDcase2023(path.join(tmp, 'dcase-stray'), { trainPerDomain: [3, 1], testPerDomain: 1 });
    await mkdir(path.join(m, 'supplemental'), { recursive: true });
    await writeFile(path.join(m, 'supplemental', 'x.wav'), tinyClip(1));
    expect(readDataset(m).notes.join()).toMatch(/supplemental\/ \(1 WAV files\) is not a train\/ or test\/ folder; not used/);
    await writeFile(path.join(m, 'test', 'my_recording.wav'), tinyClip(2));
    expect(errorOf(() => readDataset(m)).message).toMatch(/my_recording\.wav: not a DCASE Task 2 file name/);
  });
});

describe('DCASE 2020 development set', () => {
  it('machine ids are the sections; no domains; the folders are the split', async () => {
    const m = await writeDcase2020(path.join(tmp, 'dcase20'));
    const d = readDataset(path.dirname(m), { machine: 'fan' });
    expect(d.layout).toBe('dcase');
    const s = planSplit(d, 1);
    const r = runDatasetOf(d, s)!;
    expect([r.sections, r.domains]).toEqual([['00', '02'], []]);
    expect(r.test.map((c) => `${c.label}:${c.section}`)).toEqual([
      'anomaly:00',
      'anomaly:00',
      'anomaly:02',
      'anomaly:02',
      'normal:00',
      'normal:00',
      'normal:02',
      'normal:02',
    ]);
    expect([...s.train, ...s.val].sort()).toEqual(d.clips.filter((c) => c.split === 'train').map((c) => c.file));
  });
});

describe('DCASE 2023 evaluation set with --labels', () => {
  let ev: Awaited<ReturnType<typeof writeDcase2023Eval>>;
  beforeAll(async () => {
    ev = await writeDcase2023Eval(path.join(tmp, 'dcase-eval'));
  });

  it('test clips are unlabelled: eval refuses them, naming the flag', () => {
    const d = readDataset(ev.machine);
    const test = testClipsOf(d);
    expect(test.every((c) => c.label === 'unknown' && c.domain === undefined)).toBe(true);
    const e = errorOf(() => requireLabels(test, ev.machine));
    expect(e.code).toBe('MISSING_LABELS');
    expect(e.message).toMatch(/8 test clip\(s\) carry no label \(e\.g\. test\/section_00_0000\.wav\).*pass --labels/);
  });

  it("the evaluator's folder gives labels and domains (another machine's file is left out)", () => {
    const d = readDataset(ev.machine, { labels: [ev.evaluator] });
    const test = testClipsOf(d);
    expect(test.map((c) => [c.file.split('/')[1], c.label, c.domain])).toEqual(
      ev.truth.map((t) => [t.name, t.anomaly ? 'anomaly' : 'normal', t.domain]),
    );
    expect(d.notes.join()).toMatch(/ground truth for 8 clip\(s\) from 3 CSV file\(s\)/);
  });

  it('one CSV of each kind alone: ground_truth_data labels, ground_truth_attributes labels and domains', () => {
    const data = readDataset(ev.machine, {
      labels: [path.join(ev.evaluator, 'ground_truth_data', 'ground_truth_ToyDrone_section_00_test.csv')],
    });
    expect(testClipsOf(data).map((c) => [c.label, c.domain])).toEqual(ev.truth.map((t) => [t.anomaly ? 'anomaly' : 'normal', undefined]));
    const attrs = readDataset(ev.machine, {
      labels: [path.join(ev.evaluator, 'ground_truth_attributes', 'ground_truth_ToyDrone_section_00_test.csv')],
    });
    expect(testClipsOf(attrs).map((c) => [c.label, c.domain])).toEqual(ev.truth.map((t) => [t.anomaly ? 'anomaly' : 'normal', t.domain]));
  });

  it("the 2020 eval_data_list.csv: machine headers pick this machine's rows", async () => {
    const m = path.join(tmp, 'eval2020', 'fan');
    await mkdir(path.join(m, 'train'), { recursive: true });
    await mkdir(path.join(m, 'test'), { recursive: true });
    for (let i = 0; i < 3; i++) await writeFile(path.join(m, 'train', `normal_id_01_0000000${i}.wav`), tinyClip(i));
    for (let i = 0; i < 2; i++) await writeFile(path.join(m, 'test', `id_01_0000000${i}.wav`), tinyClip(10 + i));
    const list = path.join(tmp, 'eval2020', 'eval_data_list.csv');
    await writeFile(
      list,
      'pump\nid_01_00000000.wav,normal_id_01_00000000.wav,0\nid_01_00000001.wav,normal_id_01_00000001.wav,0\nfan\nid_01_00000000.wav,anomaly_id_01_00000000.wav,1\nid_01_00000001.wav,normal_id_01_00000001.wav,0\n',
    );
    const d = readDataset(m, { labels: [list] });
    expect(testClipsOf(d).map((c) => c.label)).toEqual(['anomaly', 'normal']);
  });

  it('ground truth that contradicts a name, or a CSV that is not ground truth, is refused', async () => {
    const m = await writeDcase2023(path.join(tmp, 'dcase-contra'), { trainPerDomain: [2, 1], testPerDomain: 1 });
    const csv = path.join(tmp, 'contra.csv');
    await writeFile(csv, 'section_00_source_test_normal_0000_car_A1_spd_28V.wav,1\n');
    expect(errorOf(() => readDataset(m, { labels: [csv] })).message).toMatch(/its name says normal, the ground truth says anomaly/);
    await writeFile(csv, 'score,file\n');
    expect(errorOf(() => readDataset(m, { labels: [csv] })).message).toMatch(/contra\.csv:1: 'score' is not a clip name/);
    expect(errorOf(() => readDataset(path.join(tmp, 'dcase-eval', 'ToyDrone'), { labels: [path.join(tmp, 'nope.csv')] })).code).toBe(
      'FILE_NOT_FOUND',
    );
  });
});

describe('MIMII', () => {
  it('ids are sections; no split: seeded split of the normals, every abnormal clip is a test clip', async () => {
    const m = await writeMimii(path.join(tmp, 'mimii'));
    const d = readDataset(m);
    expect([d.layout, d.machine, d.definesSplit, d.channel, d.wavChannel]).toEqual(['mimii', 'fan', false, 0, 0]);
    expect(d.clips.filter((c) => c.label === 'anomaly').map((c) => c.section)).toEqual(['id_00', 'id_00', 'id_02', 'id_02']);
    const s = planSplit(d, 2);
    expect(s.source).toBe('seeded');
    expect([s.train.length, s.val.length, s.test.length]).toEqual([6, 2, 2]);
    expect(s.testClips.filter((c) => c.label === 'anomaly')).toHaveLength(4);
    expect(s.testClips.slice(0, 2).map((c) => c.file)).toEqual(s.test);
    // One id's folder (normal/ + abnormal/) is MIMII too; its name is the section.
    const one = readDataset(path.join(m, 'id_02'));
    expect([one.layout, one.clips.length, one.clips[0]!.section]).toEqual(['mimii', 7, 'id_02']);
  });

  it('--channel picks a channel of multi-channel files: the features are those of that channel alone', async () => {
    const m = await writeMimii(path.join(tmp, 'mimii8'), { ids: ['id_04'], normal: 3, abnormal: 1, channels: 3 });
    const d1 = readDataset(m, { channel: 1 });
    expect(d1.wavChannel).toBe(1);
    const f = resolveFeatureConfig(4000, { nMels: 8, frames: 8, hop: 64, nFft: 256 }).features;
    const file = d1.clips[0]!.file;
    const [ch1] = await extractClips(d1.root, [file], f, { channel: 1 });
    const [ch0] = await extractClips(d1.root, [file], f, { channel: 0 });
    const [mix] = await extractClips(d1.root, [file], f);
    // The generator pitches each channel differently, so each choice gives different features.
    expect(Buffer.from(ch1!.data.buffer).equals(Buffer.from(ch0!.data.buffer))).toBe(false);
    expect(Buffer.from(ch1!.data.buffer).equals(Buffer.from(mix!.data.buffer))).toBe(false);
    expect(errorOf(() => readDataset(m, { channel: -1 })).code).toBe('BAD_ARGUMENT');
  });
});

describe('ToyADMOS', () => {
  it('NormalSound_IND / AnomalousSound_IND; --channel picks the _chN_ files; abNN is the anomaly type; CNT is not used', async () => {
    const m = await writeToyadmos(path.join(tmp, 'toyadmos'), { cases: [1, 2] });
    const d = readDataset(m);
    expect([d.layout, d.machine, d.definesSplit]).toEqual(['toyadmos', 'ToyCar', false]);
    expect(d.clips).toHaveLength(2 * 8);
    expect(d.clips.every((c) => c.file.includes('_ch1_'))).toBe(true);
    expect([...new Set(d.clips.map((c) => c.section))]).toEqual(['case1', 'case2']);
    expect(
      d.clips
        .filter((c) => c.label === 'anomaly')
        .map((c) => c.type)
        .sort(),
    ).toEqual(['ab01', 'ab01', 'ab01', 'ab01', 'ab02', 'ab02']);
    expect(d.notes.join()).toMatch(/NormalSound_CNT\/ \(2 WAV files\) is not a clip folder/);
    expect(d.notes.join()).toMatch(/the ch1 microphone's files \(--channel 0\); 16 files of other microphones not used/);
    const ch2 = readDataset(m, { channel: 1 });
    expect(ch2.clips.every((c) => c.file.includes('_ch2_'))).toBe(true);
    expect(ch2.wavChannel).toBeUndefined(); // one microphone per file: read whole
    expect(errorOf(() => readDataset(m, { channel: 5 })).message).toMatch(/no ToyADMOS normal clips with _ch6_/);
    // One case's folder works too.
    expect(readDataset(path.join(m, 'case2')).clips.map((c) => c.section)).toContain('case2');
  });
});

describe('symbolic links (followed, confined to .wav files and folders)', () => {
  let data: string;
  let outside: string;
  beforeAll(async () => {
    data = path.join(tmp, 'links');
    outside = path.join(tmp, 'elsewhere');
    await mkdir(path.join(data, 'normal'), { recursive: true });
    await mkdir(path.join(data, 'anomaly'), { recursive: true });
    await mkdir(path.join(outside, 'squeal'), { recursive: true });
    for (let i = 0; i < 3; i++) await writeFile(path.join(outside, `n${i}.wav`), tinyClip(i));
    await writeFile(path.join(outside, 'squeal', 'a.wav'), tinyClip(9, { anomaly: true }));
    await writeFile(path.join(data, 'normal', 'own.wav'), tinyClip(7));
    for (let i = 0; i < 3; i++) await symlink(path.join(outside, `n${i}.wav`), path.join(data, 'normal', `link${i}.wav`));
    await symlink(path.join(outside, 'squeal'), path.join(data, 'anomaly', 'squeal'));
  });

  it('a symlinked WAV and a symlinked anomaly/<type> folder are read, under their link paths', () => {
    const d = listDataset(data);
    expect(d.normal).toEqual(['normal/link0.wav', 'normal/link1.wav', 'normal/link2.wav', 'normal/own.wav']);
    expect(d.anomalies).toEqual([{ file: 'anomaly/squeal/a.wav', type: 'squeal' }]);
  });

  it('a link to a file that is not a .wav, a dangling link, a loop, and the same clip twice are refused', async () => {
    const secret = path.join(outside, 'id_rsa');
    await writeFile(secret, 'not audio');
    const bad = path.join(tmp, 'links-bad');
    await mkdir(path.join(bad, 'normal'), { recursive: true });
    await symlink(secret, path.join(bad, 'normal', 'x.wav'));
    expect(errorOf(() => listDataset(bad)).message).toMatch(/x\.wav: a link to .*id_rsa, which is not a \.wav file/);
    await rm(path.join(bad, 'normal', 'x.wav'));
    await symlink(path.join(outside, 'gone.wav'), path.join(bad, 'normal', 'y.wav'));
    expect(errorOf(() => listDataset(bad)).message).toMatch(
      /y\.wav: a symbolic link to .*gone\.wav, which does not exist \(a dangling link\)/,
    );
    await rm(path.join(bad, 'normal', 'y.wav'));
    await symlink(path.join(bad, 'normal', 'z.wav'), path.join(bad, 'normal', 'z.wav'));
    expect(errorOf(() => listDataset(bad)).message).toMatch(/z\.wav: a symbolic link loop/);
    await rm(path.join(bad, 'normal', 'z.wav'));
    await writeFile(path.join(bad, 'normal', 'a.wav'), tinyClip(1));
    await symlink(path.join(bad, 'normal', 'a.wav'), path.join(bad, 'normal', 'b.wav'));
    expect(errorOf(() => listDataset(bad)).message).toMatch(/normal\/a\.wav and normal\/b\.wav are the same file/);
  });
});

describe('detection and refusals', () => {
  it('an empty folder says what a dataset needs; flags of other layouts are refused on tinypdm', async () => {
    const empty = path.join(tmp, 'empty');
    await mkdir(empty);
    expect(errorOf(() => readDataset(empty)).message).toMatch(/no normal\/\*\.wav clips.*or a DCASE, MIMII or ToyADMOS folder/);
    const own = path.join(tmp, 'own');
    await mkdir(path.join(own, 'normal'), { recursive: true });
    await writeFile(path.join(own, 'normal', 'a.wav'), tinyClip(1));
    expect(readDataset(own).layout).toBe('tinypdm');
    expect(errorOf(() => readDataset(own, { channel: 1 })).message).toMatch(/--channel does not apply to tinypdm's own layout/);
    expect(errorOf(() => readDataset(own, { layout: 'dcase' })).message).toMatch(/not a DCASE folder/);
  });
});

describe('tinypdm.json', () => {
  it('old run configs (no dataset) still load; a dataset record is checked', async () => {
    const example = await readFile(path.resolve(import.meta.dirname, '../../arduino/example-run/tinypdm.json'), 'utf8');
    const old = parseRunConfig(example, 'example-run/tinypdm.json');
    expect(old.dataset).toBeUndefined();
    const withDataset = {
      ...JSON.parse(example),
      dataset: {
        layout: 'dcase',
        split: 'dataset',
        sections: ['00'],
        domains: ['source'],
        test: [{ file: 'test/a.wav', label: 'normal', domain: 'source' }],
      },
    };
    expect(parseRunConfig(JSON.stringify(withDataset), 'x').dataset?.layout).toBe('dcase');
    const bad = { ...withDataset, dataset: { ...withDataset.dataset, test: [{ file: 'test/a.wav', label: 'maybe' }] } };
    expect(errorOf(() => parseRunConfig(JSON.stringify(bad), 'x.json')).message).toMatch(
      /x\.json: dataset\.test\[0\] needs a file and a label normal, anomaly or unknown/,
    );
  });
});
