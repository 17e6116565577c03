import { listDataset } from '../features/index.js';
import type { DatasetClip, DatasetDescription } from './types.js';
import { compareNames } from './types.js';

/**
 * tinypdm's own layout: `normal/*.wav` and `anomaly/<type>/*.wav` (what
 * `tinypdm synth` writes). It defines no split (train makes its seeded
 * 60/20/20 split of the normals) and no sections or domains. The listing is
 * `listDataset`'s, so runs on this layout are byte-identical to before.
 */
export function readTinypdm(root: string): DatasetDescription {
  const d = listDataset(root);
  const clips: DatasetClip[] = [
    ...d.normal.map((file) => ({ file, label: 'normal' as const })),
    ...d.anomalies.map((a) => ({ file: a.file, label: 'anomaly' as const, type: a.type })),
  ].sort((a, b) => compareNames(a.file, b.file));
  return { root, layout: 'tinypdm', definesSplit: false, clips, notes: [] };
}
