import { statSync } from 'node:fs';
import path from 'node:path';
import { checkDistinctFiles, fail, subfolders as subfoldersOf, wavFiles } from '../../util/index.js';

/**
 * A dataset folder: `normal/*.wav` and `anomaly/<type>/*.wav` (what
 * `tinypdm synth` writes); WAVs directly in `anomaly/` are of type "anomaly".
 * Paths are relative to the root with forward slashes, sorted in code-unit
 * order, so runs never depend on the file system's listing order. Symbolic
 * links to clips and to folders are followed (see src/util/list-folder.ts).
 */
export interface DatasetFiles {
  root: string;
  normal: string[];
  anomalies: Array<{ file: string; type: string }>;
}

export function listDataset(root: string): DatasetFiles {
  let isDir = false;
  try {
    isDir = statSync(root).isDirectory();
  } catch (e) {
    fail('FILE_NOT_FOUND', `${root}: no such dataset folder; pass --data DIR holding normal/*.wav (e.g. from tinypdm synth)`, e);
  }
  isDir || fail('BAD_DATASET', `${root}: not a folder; pass --data DIR holding normal/*.wav and anomaly/<type>/*.wav`);
  const normal = wavsIn(root, 'normal');
  normal.length > 0 ||
    fail(
      'BAD_DATASET',
      `${root}: no normal/*.wav clips; a dataset needs normal/*.wav (and anomaly/<type>/*.wav for eval), e.g. from tinypdm synth, or a DCASE, MIMII or ToyADMOS folder (see --layout)`,
    );
  const anomalies: DatasetFiles['anomalies'] = wavsIn(root, 'anomaly').map((file) => ({ file, type: 'anomaly' }));
  for (const type of subfolders(path.join(root, 'anomaly'))) {
    for (const file of wavsIn(root, `anomaly/${type}`)) anomalies.push({ file, type });
  }
  anomalies.sort((a, b) => compare(a.file, b.file));
  checkDistinctFiles(root, [...normal, ...anomalies.map((a) => a.file)]);
  return { root, normal, anomalies };
}

function wavsIn(root: string, rel: string): string[] {
  return wavFiles(path.join(root, ...rel.split('/'))).map((name) => `${rel}/${name}`);
}

function subfolders(dir: string): string[] {
  return subfoldersOf(dir);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
