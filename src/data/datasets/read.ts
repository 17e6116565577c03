import { statSync } from 'node:fs';
import path from 'node:path';
import { fail } from '../../util/index.js';
import { isDcaseMachine, readDcase } from './dcase.js';
import { readMimii } from './mimii.js';
import { listFolder, subfolders } from '../../util/index.js';
import { readTinypdm } from './tinypdm.js';
import { readToyadmos } from './toyadmos.js';
import { DATASET_LAYOUTS, type DatasetDescription, type DatasetLayout, type DatasetOptions } from './types.js';

/**
 * Reads a dataset folder in any layout tinypdm knows. The layout is detected
 * from folder and file names unless `layout` forces one:
 *  - `normal/` + `abnormal/`, or `id_XX/` folders: MIMII;
 *  - `normal/` (+ `anomaly/`): tinypdm's own;
 *  - `NormalSound_*` / `AnomalousSound_*` or `case<N>/` folders: ToyADMOS;
 *  - `train/`, `test/` (`source_test/`, `target_test/`) with DCASE names: DCASE;
 *  - the same one level down: a folder of machines (`--machine` picks one).
 * A folder that is none of these is read as tinypdm's layout, whose error
 * says what a dataset needs.
 */
export function readDataset(root: string, opts: DatasetOptions = {}): DatasetDescription {
  checkRoot(root);
  if (opts.channel !== undefined) {
    (Number.isInteger(opts.channel) && opts.channel >= 0) ||
      fail('BAD_ARGUMENT', `--channel ${opts.channel}: expected a channel index 0, 1, 2, ...`);
  }
  const layout = opts.layout === undefined || opts.layout === 'auto' ? detectLayout(root) : opts.layout;
  DATASET_LAYOUTS.includes(layout) || fail('BAD_ARGUMENT', `--layout ${String(layout)}: expected auto, ${DATASET_LAYOUTS.join(', ')}`);
  if (layout === 'tinypdm') {
    for (const [flag, v] of [
      ['--machine', opts.machine],
      ['--channel', opts.channel],
      ['--labels', opts.labels?.length ? opts.labels : undefined],
    ] as const) {
      if (v !== undefined)
        fail(
          'BAD_ARGUMENT',
          `${root}: ${flag} does not apply to tinypdm's own layout (normal/, anomaly/<type>/); drop it or pass --layout`,
        );
    }
    return readTinypdm(root);
  }
  if (layout === 'dcase') return readDcase(root, opts);
  if (opts.labels?.length)
    fail('BAD_ARGUMENT', `${root}: --labels gives ground truth for DCASE evaluation sets; ${layout} names label every clip — drop it`);
  return layout === 'mimii' ? readMimii(root, opts) : readToyadmos(root, opts);
}

export function detectLayout(root: string): DatasetLayout {
  const own = layoutOf(root);
  if (own) return own;
  for (const d of subfolders(root)) {
    if (d.startsWith('.')) continue;
    const inner = layoutOf(path.join(root, d));
    if (inner && inner !== 'tinypdm') return inner;
  }
  return 'tinypdm';
}

function layoutOf(dir: string): DatasetLayout | undefined {
  const dirs = listFolder(dir)?.dirs ?? [];
  if (dirs.includes('normal') && dirs.includes('abnormal')) return 'mimii';
  if (dirs.includes('normal')) return 'tinypdm';
  if (dirs.some((d) => /^(NormalSound|AnomalousSound)_/.test(d))) return 'toyadmos';
  if (isDcaseMachine(dir)) return 'dcase';
  if (dirs.some((d) => /^id_\d+$/.test(d) && layoutOf(path.join(dir, d)) === 'mimii')) return 'mimii';
  if (dirs.some((d) => /^case\d+$/i.test(d) && layoutOf(path.join(dir, d)) === 'toyadmos')) return 'toyadmos';
  return undefined;
}

function checkRoot(root: string): void {
  let isDir = false;
  try {
    isDir = statSync(root).isDirectory();
  } catch (e) {
    fail('FILE_NOT_FOUND', `${root}: no such dataset folder; pass --data DIR holding normal/*.wav (e.g. from tinypdm synth)`, e);
  }
  isDir || fail('BAD_DATASET', `${root}: not a folder; pass --data DIR holding normal/*.wav and anomaly/<type>/*.wav`);
}
