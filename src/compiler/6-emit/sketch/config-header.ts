import { cComment } from '../../../util/index.js';
import { bannerContext, renderTemplate, type BannerInfo } from '../render.js';
import { cFloat, cInt, cUnsigned } from './literals.js';
import type { SketchPlan } from '../../4-plan/index.js';

/** The TFLM arena: the planner's estimate, a stated margin, and the size the sketch declares. */
function tflmLines(p: SketchPlan) {
  return {
    modelIncludes: [],
    modelComment: "Tensor arena: tinypdm's TFLM planner estimate plus a stated margin, 16-byte multiple.",
    modelDefines: [
      { name: 'TP_ARENA_ESTIMATE_BYTES', value: cUnsigned(p.arenaEstimateBytes) },
      { name: 'TP_ARENA_MARGIN_BYTES', value: cUnsigned(p.arenaMarginBytes) },
      { name: 'TP_TENSOR_ARENA_SIZE', value: cUnsigned(p.arenaBytes) },
    ],
    modelAsserts: [
      { cond: 'TP_TENSOR_ARENA_SIZE % 16u == 0u', name: 'arena_is_16_byte_multiple' },
      { cond: 'TP_TENSOR_ARENA_SIZE >= TP_ARENA_ESTIMATE_BYTES + TP_ARENA_MARGIN_BYTES', name: 'arena_covers_estimate_and_margin' },
    ],
  };
}

/** The compiled model: its header, and asserts that it was compiled for this window. */
function cModelLines(p: SketchPlan) {
  return {
    modelIncludes: ['src/tinypdm/tinypdm_model.h'],
    modelComment:
      'The model, compiled to C (src/tinypdm/tinypdm_model.c): its activations use one static buffer of this size, planned exactly.',
    modelDefines: [{ name: 'TP_MODEL_ARENA_BYTES', value: cUnsigned(p.arenaBytes) }],
    modelAsserts: [
      { cond: 'TINYPDM_MODEL_INPUT_COUNT == TP_INPUT_COUNT', name: 'model_input_is_the_window' },
      { cond: 'TINYPDM_MODEL_OUTPUT_COUNT == TP_INPUT_COUNT', name: 'model_output_is_the_window' },
      { cond: 'TINYPDM_MODEL_ARENA_BYTES == TP_MODEL_ARENA_BYTES', name: 'model_arena_is_the_planned_one' },
    ],
  };
}

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
    scoreName: cComment(p.scoreName),
    ...(p.runtime === 'c' ? cModelLines(p) : tflmLines(p)),
    ringCapacity: cUnsigned(p.ringCapacity),
    pdmBufferBytes: cUnsigned(p.pdmBufferBytes),
    pdmGain: cInt(p.pdmGain),
    drainChunk: cUnsigned(p.drainChunk),
  });
}
