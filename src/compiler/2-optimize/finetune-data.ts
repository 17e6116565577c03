import { access } from 'node:fs/promises';
import path from 'node:path';
import { fail } from '../../util/index.js';
import { tensorSize } from '../../ir/index.js';
import type { RunConfig } from '../../data/index.js';
import { defaultCacheDir, extractClips, listDataset, readRunDataset, stackWindows } from '../../data/index.js';
import { createWindower } from '../../data/index.js';
import type { FitData } from '../../learn/index.js';
import { readNpy } from '../../util/index.js';

/**
 * `--data DIR` for fine-tuning, in one of two forms:
 *  - a WAV dataset (normal/*.wav, as `tinypdm synth` writes), when the model
 *    has its run config: the run's training and validation clips become
 *    windows through the same feature, normalisation and windowing code as
 *    `tinypdm train`, so fine-tuning sees exactly what training saw;
 *  - `train.npy` (normalised model inputs [N, H, W, 1]) and optionally
 *    `val.npy`; without it the last fifth of train.npy validates.
 */
export async function readFinetuneData(dir: string, inputShape: readonly number[], run?: RunConfig): Promise<FitData> {
  const trainPath = path.join(dir, 'train.npy');
  if (await exists(trainPath)) return readNpyData(dir, inputShape);
  if (run?.dataset) return readRunWindows(dir, run, inputShape); // DCASE, MIMII, ToyADMOS: read as the run read it
  if (await exists(path.join(dir, 'normal'))) {
    if (!run)
      fail(
        'RUN_MISMATCH',
        `${dir}: a WAV dataset needs the model's tinypdm.json (beside the model or --run-config) to compute its features; or pass a folder with train.npy`,
      );
    return readRunWindows(dir, run, inputShape);
  }
  return fail(
    'FILE_NOT_FOUND',
    `${dir}: --data needs a WAV dataset (normal/*.wav, with the run's tinypdm.json) or a folder with train.npy (normalised inputs [N, ${inputShape.slice(1).join(', ')}]) and optionally val.npy`,
  );
}

async function readRunWindows(dir: string, run: RunConfig, inputShape: readonly number[]): Promise<FitData> {
  const shape = inputShape.slice(1) as [number, number, number];
  if (shape.join() !== run.inputShape.join()) {
    fail(
      'RUN_MISMATCH',
      `${dir}: the model takes [${shape.join(', ')}] but its tinypdm.json says [${run.inputShape.join(', ')}]; pass the run config of this model`,
    );
  }
  const d = run.dataset ? readRunDataset(dir, run) : undefined;
  const known = new Set(d ? d.clips.filter((c) => c.label === 'normal').map((c) => c.file) : listDataset(dir).normal);
  for (const f of [...run.split.train, ...run.split.val]) {
    known.has(f) ||
      fail('RUN_MISMATCH', `${dir}: the run's training clip ${f} is not in this dataset; fine-tune on the dataset the run was trained on`);
  }
  const windower = createWindower(run.features, run.normalization);
  const root = d?.root ?? dir;
  const windows = async (files: string[]) => {
    const db = await extractClips(root, files, run.features, {
      cacheDir: defaultCacheDir(dir),
      ...(d?.wavChannel !== undefined ? { channel: d.wavChannel } : {}),
    });
    return stackWindows(db.map((c, i) => windower(c, files[i]!)));
  };
  const train = await windows(run.split.train);
  const val = await windows(run.split.val);
  (train.count > 0 && val.count > 0) ||
    fail(
      'BAD_DATASET',
      `${dir}: the run's clips give no whole ${run.features.windowFrames}-frame window; use the dataset the run was trained on`,
    );
  return { train: train.x, val: val.x, shape };
}

async function readNpyData(dir: string, inputShape: readonly number[]): Promise<FitData> {
  const trainPath = path.join(dir, 'train.npy');
  const shape = inputShape.slice(1) as [number, number, number];
  const per = tensorSize(shape);
  const train = await readNpy(trainPath);
  const valPath = path.join(dir, 'val.npy');
  const val = (await exists(valPath)) ? await readNpy(valPath) : undefined;
  for (const [file, arr] of [[trainPath, train.data], ...(val ? [[valPath, val.data] as const] : [])] as const) {
    if (arr.length === 0 || arr.length % per !== 0) {
      fail(
        'SHAPE_MISMATCH',
        `${file}: ${arr.length} values are not a whole number of model inputs [${shape.join(', ')}]; save it as [N, ${shape.join(', ')}]`,
      );
    }
  }
  if (val) return { train: train.data, val: val.data, shape };
  const n = train.data.length / per;
  if (n < 2) fail('BAD_DATASET', `${trainPath}: fine-tuning needs at least 2 inputs (one to validate), got ${n}`);
  const nTrain = n - Math.max(1, Math.floor(n / 5));
  return { train: train.data.subarray(0, nTrain * per), val: train.data.subarray(nTrain * per), shape };
}

function exists(p: string): Promise<boolean> {
  return access(p).then(
    () => true,
    () => false,
  );
}
