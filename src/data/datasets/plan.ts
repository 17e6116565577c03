import { fail } from '../../util/index.js';
import { createRng } from '../../util/index.js';
import { splitNormal } from '../split.js';
import { compareNames, type DatasetClip, type DatasetDescription } from './types.js';

/**
 * A run's split of a dataset.
 *  - The dataset defines one (DCASE's train/ and test/): the test set is
 *    exactly the dataset's test set, and validation is a seeded
 *    `DATASET_VAL_FRACTION` of the training normals only, so no official test
 *    clip is ever trained or validated on.
 *  - It does not (tinypdm's own layout, MIMII, ToyADMOS): the paper's seeded
 *    60/20/20 split of the normals, and every anomalous clip is a test clip.
 * `train`/`val`/`test` list normal clips (tinypdm.json's `split`, unchanged in
 * meaning); `testClips` is the whole test set with labels and where-known
 * sections and domains.
 */
export interface PlannedSplit {
  train: string[];
  val: string[];
  test: string[];
  testClips: DatasetClip[];
  source: 'dataset' | 'seeded';
}

/** DCASE 2020–2023's autoencoder baselines and MLPerf Tiny's hold out 10% of the training data (Keras validation_split 0.1). */
export const DATASET_VAL_FRACTION = 0.1;

export function planSplit(d: DatasetDescription, seed: number): PlannedSplit {
  if (!d.definesSplit) {
    const normals = d.clips.filter((c) => c.label === 'normal');
    const s = splitNormal(
      normals.map((c) => c.file),
      seed,
    );
    const byFile = new Map(d.clips.map((c) => [c.file, c]));
    // The test normals in split order (as eval has always listed them), then every anomaly in name order.
    const testClips = [...s.test.map((f) => byFile.get(f)!), ...d.clips.filter((c) => c.label !== 'normal')];
    return { ...s, testClips, source: 'seeded' };
  }
  const trainClips = d.clips.filter((c) => c.split === 'train');
  const bad = trainClips.find((c) => c.label !== 'normal');
  if (bad)
    fail(
      'BAD_DATASET',
      `${d.root}: ${bad.file} is in the training split but labelled ${bad.label}; the dataset's training split must hold normal clips only`,
    );
  const normals = trainClips.map((c) => c.file).sort(compareNames);
  normals.length >= 2 ||
    fail('BAD_DATASET', `${d.root}: ${normals.length} training clip(s) in train/; training needs at least 2 (one to validate on)`);
  const order = createRng(seed).derive('split-val').shuffled(normals);
  const nVal = Math.max(1, Math.floor(normals.length * DATASET_VAL_FRACTION + 1e-9));
  const testClips = d.clips.filter((c) => c.split === 'test');
  testClips.length > 0 || fail('BAD_DATASET', `${d.root}: no test clips (test/*.wav); the dataset's split needs its test set`);
  return {
    train: order.slice(nVal),
    val: order.slice(0, nVal),
    test: testClips.filter((c) => c.label === 'normal').map((c) => c.file),
    testClips,
    source: 'dataset',
  };
}
