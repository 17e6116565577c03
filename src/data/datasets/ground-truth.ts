import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fail, readInputSync } from '../../util/index.js';
import { parseDcaseName } from './dcase-names.js';
import { listFolder } from '../../util/index.js';
import { compareNames, type ClipLabel, type DatasetClip, type Domain } from './types.js';

/**
 * Ground truth for evaluation-set clips, whose names carry no label, from the
 * CSV files the challenge organisers published (`--labels`):
 *  - nttcslab/dcase2023_task2_evaluator, dcase2024_task2_evaluator and
 *    y-kawagu/dcase2021_task2_evaluator: `ground_truth_data/ground_truth_<machine>_section_<NN>_test.csv`
 *    (2021: `..._<NN>_source_test.csv` / `_target_test.csv`), rows
 *    `section_00_0000.wav,1` with 1 = anomalous; 2023/2024 add
 *    `ground_truth_domain/` (same rows, 1 = target domain) and
 *    `ground_truth_attributes/` (rows `section_00_0000.wav,section_00_target_test_anomaly_0012_car_C1_spd_1_mic_2`,
 *    the clip's development-style name: label, domain and attributes);
 *  - y-kawagu/dcase2020_task2_evaluator's `eval_data_list.csv`: a one-column
 *    row names the machine type, then rows `id_01_00000000.wav,<name>,1`.
 * A path may be one of these files or a folder: the evaluator's own folder
 * (its ground_truth_data/, ground_truth_domain/ and ground_truth_attributes/
 * are read) or a folder of such CSVs. Files named for another machine
 * (`ground_truth_<other>_...`) and 2020 rows under another machine's header
 * are left out. Which kind a two-column 0/1 file is comes from its folder:
 * under `ground_truth_domain/` it gives domains, anywhere else labels.
 */
export interface GroundTruth {
  label?: Exclude<ClipLabel, 'unknown'>;
  domain?: Domain;
  attributes?: Record<string, string>;
}

/** Larger than any published ground-truth file by far (the 2020 list is ~150 KB). */
const MAX_CSV_BYTES = 16 * 1024 * 1024;
const EVALUATOR_FOLDERS = ['ground_truth_attributes', 'ground_truth_data', 'ground_truth_domain'];

export function readGroundTruth(
  paths: readonly string[],
  machine: string | undefined,
): { truth: Map<string, GroundTruth>; files: string[] } {
  const truth = new Map<string, GroundTruth>();
  const files: string[] = [];
  for (const p of paths) {
    for (const file of csvFilesOf(p)) {
      if (!forMachine(file, machine)) continue;
      files.push(file);
      readCsv(file, machine, truth);
    }
  }
  files.length > 0 ||
    fail(
      'MISSING_LABELS',
      `--labels ${paths.join(', ')}: no ground-truth CSV${machine ? ` for machine ${machine}` : ''} found; pass ground_truth_<machine>_section_<NN>_test.csv files or the evaluator's folder`,
    );
  return { truth, files };
}

/** Labels, domains and attributes from the ground truth onto clips whose names lack them; a contradiction is refused. */
export function applyGroundTruth(clips: DatasetClip[], truth: ReadonlyMap<string, GroundTruth>): number {
  let applied = 0;
  for (const c of clips) {
    const t = truth.get(c.file.split('/').pop()!);
    if (!t) continue;
    if (t.label) {
      if (c.label !== 'unknown' && c.label !== t.label)
        fail(
          'BAD_DATASET',
          `${c.file}: its name says ${c.label}, the ground truth says ${t.label}; check that --labels belongs to this dataset`,
        );
      c.label = t.label;
    }
    if (t.domain) {
      if (c.domain !== undefined && c.domain !== t.domain)
        fail(
          'BAD_DATASET',
          `${c.file}: its name says domain ${c.domain}, the ground truth says ${t.domain}; check that --labels belongs to this dataset`,
        );
      c.domain = t.domain;
    }
    if (t.attributes && !c.attributes) c.attributes = t.attributes;
    applied++;
  }
  return applied;
}

function csvFilesOf(p: string): string[] {
  let isDir: boolean;
  try {
    isDir = statSync(p).isDirectory();
  } catch (e) {
    return fail('FILE_NOT_FOUND', `--labels ${p}: no such file or folder; pass the ground-truth CSV files or the evaluator's folder`, e);
  }
  if (!isDir) return [p];
  const entries = listFolder(p)!;
  const evaluator = EVALUATOR_FOLDERS.filter((d) => entries.dirs.includes(d));
  const dirs = evaluator.length > 0 ? evaluator.map((d) => path.join(p, d)) : [p];
  return dirs.flatMap((d) => csvNames(d).map((n) => path.join(d, n)));
}

function csvNames(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => /\.csv$/i.test(n))
    .sort(compareNames);
}

/** `ground_truth_<machine>_section_...csv` for another machine is not ours; other names are read. */
function forMachine(file: string, machine: string | undefined): boolean {
  const m = /^ground_truth_(.+?)_section_\d+/i.exec(path.basename(file));
  return machine === undefined || !m || m[1] === machine;
}

function readCsv(file: string, machine: string | undefined, truth: Map<string, GroundTruth>): void {
  const kind = path.basename(path.dirname(path.resolve(file))) === 'ground_truth_domain' ? 'domain' : 'label';
  let header: string | undefined;
  const bytes = readInputSync(file, {
    what: 'a ground-truth CSV',
    fix: 'pass the per-section CSV files of the evaluator',
    limit: MAX_CSV_BYTES,
  });
  const lines = new TextDecoder().decode(bytes).split(/\r?\n/);
  lines.forEach((line, i) => {
    const cells = line.split(',').map((c) => c.trim());
    if (cells.length === 1 && cells[0] === '') return;
    const where = `${file}:${i + 1}`;
    if (cells.length === 1) {
      header = cells[0];
      return;
    }
    if (header !== undefined && machine !== undefined && header !== machine) return; // 2020: another machine's rows
    const name = cells[0]!;
    /\.wav$/i.test(name) ||
      fail('BAD_DATASET', `${where}: '${name.slice(0, 60)}' is not a clip name (*.wav); pass nttcslab's ground_truth_*.csv files`);
    const entry: GroundTruth = {};
    const second = cells[1]!;
    const orig =
      cells.length === 2 && !/^[01]$/.test(second) ? parseDcaseName(/\.wav$/i.test(second) ? second : `${second}.wav`) : undefined;
    if (orig) {
      if (orig.label !== 'unknown') entry.label = orig.label;
      if (orig.domain) entry.domain = orig.domain;
      if (orig.attributes) entry.attributes = orig.attributes;
    } else {
      const value = cells[cells.length - 1]!;
      (cells.length <= 3 && (value === '0' || value === '1')) ||
        fail('BAD_DATASET', `${where}: expected '<clip>.wav,0|1' (or the 2020 list's '<clip>.wav,<name>,0|1'), got '${line.slice(0, 80)}'`);
      if (kind === 'domain') entry.domain = value === '1' ? 'target' : 'source';
      else entry.label = value === '1' ? 'anomaly' : 'normal';
    }
    merge(truth, name, entry, where);
  });
}

function merge(truth: Map<string, GroundTruth>, name: string, entry: GroundTruth, where: string): void {
  const old = truth.get(name) ?? {};
  for (const key of ['label', 'domain'] as const) {
    if (old[key] !== undefined && entry[key] !== undefined && old[key] !== entry[key]) {
      fail('BAD_DATASET', `${where}: ${name} is ${entry[key]} here but ${old[key]} in another ground-truth row; pass one machine's files`);
    }
  }
  truth.set(name, { ...old, ...entry });
}
