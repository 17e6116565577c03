import { OPS } from '../../../ops/index.js';
import { bannerContext, renderTemplate, type BannerInfo } from '../render.js';
import type { SketchPlan } from '../../4-plan/index.js';

/** `tinypdm_ops.h`: a resolver sized to exactly the model's distinct ops, registering only those. */
export function emitOpsHeader(p: SketchPlan, banner: BannerInfo): string {
  return renderTemplate('sketch/tinypdm_ops.h', {
    ...bannerContext(banner),
    count: p.ops.length,
    registrations: p.ops.map((kind) => ({ kind, call: OPS[kind].tflm.resolverCall })),
  });
}
