import { cStringLiteral } from '../../../util/index.js';
import { bannerContext, renderTemplate, type BannerInfo } from '../render.js';
import type { SketchPlan } from '../../4-plan/index.js';
import { SCORE_HEADER } from './score-header.js';

/** `<name>.ino`: PDM capture, the model (compiled C, or TFLM setup for both library API generations) and the detector loop. */
export function emitIno(p: SketchPlan, banner: BannerInfo, boardName: string): string {
  return renderTemplate(p.runtime === 'c' ? 'sketch/sketch_c.ino' : 'sketch/sketch.ino', {
    ...bannerContext(banner),
    pdmRate: p.pdmRate,
    errorPrefix: cStringLiteral(`${p.name} error: `),
    reemitFix: cStringLiteral(`re-emit the sketch with tinypdm emit --board ${boardName}`),
    // The run's scoring replaces the MSE (firmware/core/scorer.c); nothing is added without one.
    scoringIncludes: p.scoring ? [SCORE_HEADER] : [],
    scoreStage: p.scoring ? `the run's score (${SCORE_HEADER})` : 'float32 MSE score',
    scoringSetup: p.scoring ? ['tp_detector_set_scorer(&detector, tp_run_score, &tp_scorer);'] : [],
  });
}
