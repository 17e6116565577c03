import type { FirmwarePlan } from '../../4-plan/index.js';
import type { CModel } from '../c-model/index.js';
import type { BannerInfo } from '../render.js';
import { emitSketch } from './index.js';

/** The sketch's files for a planned firmware, keyed by `<sketch name>/<path>`; `cModel` is the model compiled to C, for the C runtime. */
export function emitFirmware(
  f: FirmwarePlan,
  tflite: Uint8Array,
  boardName: string,
  banner: BannerInfo,
  cModel?: CModel,
): Record<string, string> {
  const sketch = emitSketch({ plan: f.plan, tables: f.tables, tflite, boardName, banner, ...(cModel ? { cModel } : {}) });
  return Object.fromEntries(Object.entries(sketch).map(([p, c]) => [`${f.plan.name}/${p}`, c]));
}
