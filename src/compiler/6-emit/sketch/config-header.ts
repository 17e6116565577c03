import { cComment } from '../../../util/index.js';
import { bannerContext, renderTemplate, type BannerInfo } from '../render.js';
import { cFloat, cInt, cUnsigned } from './literals.js';
import type { SketchPlan } from '../../4-plan/index.js';

/** `tinypdm_config.h`: every constant the sketch and the portable core share, tied together by static asserts. */
export function emitConfigHeader(p: SketchPlan, banner: BannerInfo): string {
  const f = p.features;
  return renderTemplate('sketch/tinypdm_config.h', {
    ...bannerContext(banner),
    pdmRate: cUnsigned(p.pdmRate),
    allowedPdmRates: '16000u, 41667u',
    targetRate: cUnsigned(f.sampleRate),
    nFft: cUnsigned(f.nFft),
    hop: cUnsigned(f.hop),
    nMels: cUnsigned(p.nMels),
    windowFrames: cUnsigned(p.windowFrames),
    windowHop: cUnsigned(p.windowHop),
    inputCount: cUnsigned(p.inputCount),
    inputScale: cFloat(p.inputQuant.scale),
    inputZeroPoint: cInt(p.inputQuant.zeroPoint),
    outputScale: cFloat(p.outputQuant.scale),
    outputZeroPoint: cInt(p.outputQuant.zeroPoint),
    threshold: cFloat(p.threshold),
    thresholdMethod: cComment(p.thresholdMethod),
    arenaEstimate: cUnsigned(p.arenaEstimateBytes),
    arenaMargin: cUnsigned(p.arenaMarginBytes),
    arenaSize: cUnsigned(p.arenaBytes),
    ringCapacity: cUnsigned(p.ringCapacity),
    pdmBufferBytes: cUnsigned(p.pdmBufferBytes),
    pdmGain: cInt(p.pdmGain),
    drainChunk: cUnsigned(p.drainChunk),
  });
}
