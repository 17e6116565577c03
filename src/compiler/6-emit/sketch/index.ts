/**
 * The Arduino sketch: one emitter per generated file, all through templates.
 * Layout of `<name>/`:
 *   <name>.ino, sketch.yaml, model_data.{h,cc}, tinypdm_config.h, tinypdm_ops.h
 *   src/tinypdm/  portable C (front-end, ring, score, detector) + front-end tables
 */
import type { FrontEndTables } from '../../../audio/index.js';
import { renderFrontEndHeader } from '../frontend-header.js';
import { emitModelData } from '../model-data.js';
import type { BannerInfo } from '../render.js';
import { emitConfigHeader } from './config-header.js';
import { emitIno } from './ino.js';
import { emitOpsHeader } from './ops-header.js';
import { emitPortableSources, PORTABLE_DIR } from './portable-sources.js';
import type { SketchPlan } from '../../4-plan/index.js';
import { emitSketchYaml } from './sketch-yaml.js';

export { PORTABLE_DIR } from './portable-sources.js';
export { cFloat } from './literals.js';

/** Symbol prefix of the generated front-end tables (tinypdm_fe_config, tinypdm_fe_state_t, tinypdm_fe_init). */
export const FRONTEND_TABLES_NAME = 'tinypdm_fe';

export interface SketchInputs {
  plan: SketchPlan;
  tables: FrontEndTables;
  tflite: Uint8Array;
  boardName: string;
  banner: BannerInfo;
}

/** Every file of the sketch, keyed by path relative to the sketch folder. */
export function emitSketch(i: SketchInputs): Record<string, string> {
  const { plan, banner } = i;
  return {
    [`${plan.name}.ino`]: emitIno(plan, banner, i.boardName),
    'sketch.yaml': emitSketchYaml(plan, banner),
    ...emitModelData(i.tflite, banner),
    'tinypdm_config.h': emitConfigHeader(plan, banner),
    'tinypdm_ops.h': emitOpsHeader(plan, banner),
    [`${PORTABLE_DIR}/${FRONTEND_TABLES_NAME}_tables.h`]: renderFrontEndHeader(i.tables, FRONTEND_TABLES_NAME),
    ...emitPortableSources(banner),
  };
}
