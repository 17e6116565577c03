/**
 * The Arduino sketch: one emitter per generated file, all through templates.
 * Layout of `<name>/`:
 *   <name>.ino, sketch.yaml, tinypdm_config.h
 *   runtime c:    src/tinypdm/tinypdm_model.{h,c} (the compiled model) and
 *                 src/tinypdm/kernels/ (the kernels it calls)
 *   runtime tflm: model_data.{h,cpp} (the flatbuffer), tinypdm_ops.h (the resolver)
 *   src/tinypdm/  portable C (front-end, ring, score, detector) + front-end tables
 */
import type { FrontEndTables } from '../../../audio/index.js';
import { renderFrontEndHeader } from '../frontend-header.js';
import { emitModelData } from '../model-data.js';
import { kernelSources, type CModel } from '../c-model/index.js';
import { bannerContext, renderTemplate, type BannerInfo } from '../render.js';
import { emitConfigHeader } from './config-header.js';
import { emitIno } from './ino.js';
import { emitOpsHeader } from './ops-header.js';
import { emitPortableSources, PORTABLE_DIR } from './portable-sources.js';
import type { SketchPlan } from '../../4-plan/index.js';
import { emitSketchYaml } from './sketch-yaml.js';
import { emitScoreHeader, SCORE_HEADER } from './score-header.js';

export { PORTABLE_DIR } from './portable-sources.js';
export { cFloat } from './literals.js';
export { SCORE_HEADER } from './score-header.js';

/** Symbol prefix of the generated front-end tables (tinypdm_fe_config, tinypdm_fe_state_t, tinypdm_fe_init). */
export const FRONTEND_TABLES_NAME = 'tinypdm_fe';

export interface SketchInputs {
  plan: SketchPlan;
  tables: FrontEndTables;
  tflite: Uint8Array;
  boardName: string;
  banner: BannerInfo;
  /** The compiled model, for the C runtime. */
  cModel?: CModel;
}

/** Every file of the sketch, keyed by path relative to the sketch folder. */
export function emitSketch(i: SketchInputs): Record<string, string> {
  const { plan, banner } = i;
  const model =
    plan.runtime === 'c'
      ? compiledModelFiles(i.cModel!, banner)
      : { ...emitModelData(i.tflite, banner), 'tinypdm_ops.h': emitOpsHeader(plan, banner) };
  return {
    [`${plan.name}.ino`]: emitIno(plan, banner, i.boardName),
    'sketch.yaml': emitSketchYaml(plan, banner),
    'tinypdm_config.h': emitConfigHeader(plan, banner),
    ...model,
    [`${PORTABLE_DIR}/${FRONTEND_TABLES_NAME}_tables.h`]: renderFrontEndHeader(i.tables, FRONTEND_TABLES_NAME),
    ...(plan.scoring ? { [SCORE_HEADER]: emitScoreHeader(plan.scoring, banner) } : {}),
    ...emitPortableSources(banner, { scoring: plan.scoring !== undefined }),
  };
}

/** The compiled model and the kernel headers it includes, under src/tinypdm/ (each kernel behind a banner naming its origin). */
function compiledModelFiles(model: CModel, banner: BannerInfo): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [name, text] of Object.entries(model.files)) files[`${PORTABLE_DIR}/${name}`] = text;
  for (const [rel, content] of Object.entries(kernelSources(model.headers))) {
    files[`${PORTABLE_DIR}/${rel}`] = renderTemplate('sketch/portable_source', {
      ...bannerContext(banner),
      origin: `firmware/${rel}`,
      content,
    });
  }
  return files;
}
