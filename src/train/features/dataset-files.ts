import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fail } from '../../errors.js';

/**
 * A dataset folder: `normal/*.wav` and `anomaly/<type>/*.wav` (what
 * `tinypdm synth` writes); WAVs directly in `anomaly/` are of type "anomaly".
 * Paths are relative to the root with forward slashes, sorted in code-unit
 * order, so runs never depend on the file system's listing order.
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
  normal.length > 0 || fail('BAD_DATASET', `${root}: no normal/*.wav clips; a dataset needs normal/*.wav (and anomaly/<type>/*.wav for eval), e.g. from tinypdm synth`);
  const anomalies: DatasetFiles['anomalies'] = wavsIn(root, 'anomaly').map((file) => ({ file, type: 'anomaly' }));
  for (const type of subfolders(path.join(root, 'anomaly'))) {
    for (const file of wavsIn(root, `anomaly/${type}`)) anomalies.push({ file, type });
  }
  anomalies.sort((a, b) => compare(a.file, b.file));
  return { root, normal, anomalies };
}

function wavsIn(root: string, rel: string): string[] {
  const dir = path.join(root, ...rel.split('/'));
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    // Symlinks and other non-folders too: the reader follows a link to a WAV and refuses a device or FIFO by name.
    .filter((e) => !e.isDirectory() && /\.wav$/i.test(e.name))
    .map((e) => `${rel}/${e.name}`)
    .sort(compare);
}

function subfolders(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort(compare);
  } catch {
    return [];
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
