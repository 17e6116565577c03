import { cStringLiteral } from '../../../util/index.js';
import { bannerContext, renderTemplate, type BannerInfo } from '../render.js';
import type { SketchPlan } from '../../4-plan/index.js';

/** `<name>.ino`: PDM capture, TFLM setup (both library API generations) and the detector loop. */
export function emitIno(p: SketchPlan, banner: BannerInfo, boardName: string): string {
  return renderTemplate('sketch/sketch.ino', {
    ...bannerContext(banner),
    pdmRate: p.pdmRate,
    errorPrefix: cStringLiteral(`${p.name} error: `),
    reemitFix: cStringLiteral(`re-emit the sketch with tinypdm emit --board ${boardName}`),
  });
}
