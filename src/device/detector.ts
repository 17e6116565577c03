import { createFrontEnd, type FrontEndTables } from '../audio/index.js';
import { fail } from '../util/index.js';
import type { Graph } from '../ir/index.js';
import { runGraph } from '../runtime/index.js';
import { deviceAnomalyScore, type DeviceQuant } from './anomaly-score.js';
import type { DeviceScorer } from './scorer.js';

/**
 * TypeScript twin of firmware/core/detector.c: the device's streaming path
 * (front-end → window → model → float32 score → threshold) on a recording
 * already at the PDM rate. Scores and flags are bit-identical to the C.
 */
export interface DetectorWindow {
  window: number;
  input: Int8Array;
  output: Int8Array;
  /** float32 value (exactly representable in a JS number). */
  score: number;
  anomaly: boolean;
}

export interface DetectorParams {
  inputQ: DeviceQuant;
  outputQ: DeviceQuant;
  threshold: number;
}

/** The model's int8 I/O quantisation as the device reads it from the tensors. */
export function detectorParams(graph: Graph, threshold: number): DetectorParams {
  const input = graph.tensors[graph.inputs[0]!]!;
  const output = graph.tensors[graph.outputs[0]!]!;
  for (const t of [input, output]) {
    if (t.dtype !== 'int8' || !t.quant)
      fail(
        'BAD_ARGUMENT',
        `${graph.name}: tensor '${t.name}' is ${t.dtype}, but the device detector needs int8 model I/O; emit with --io int8`,
      );
  }
  return {
    inputQ: { scale: input.quant!.scale[0]!, zeroPoint: input.quant!.zeroPoint[0]! },
    outputQ: { scale: output.quant!.scale[0]!, zeroPoint: output.quant!.zeroPoint[0]! },
    threshold,
  };
}

/** The device's decision: strictly above the threshold, both as float32 (detector.c). */
export function isAnomaly(score: number, threshold: number): boolean {
  return Math.fround(score) > Math.fround(threshold);
}

/**
 * Every window a device would produce while streaming `pcm` (no flush: the
 * device never ends a clip), each run through the int8 reference interpreter
 * and scored by `scorer` (scorer.ts, tp_detector_set_scorer) or the MSE.
 */
export function runDetector(
  pcm: Int16Array,
  tables: FrontEndTables,
  graph: Graph,
  threshold: number,
  scorer?: DeviceScorer,
): DetectorWindow[] {
  const p = detectorParams(graph, threshold);
  const inputShape = graph.tensors[graph.inputs[0]!]!.shape;
  const out: DetectorWindow[] = [];
  const fe = createFrontEnd(tables, {
    onWindow(w, index) {
      const input = w.slice();
      if (input.length !== inputShape.reduce((a, b) => a * b, 1)) {
        fail(
          'SHAPE_MISMATCH',
          `${graph.name}: front-end window has ${input.length} values, model input [${inputShape.join(', ')}]; the run config and model do not match`,
        );
      }
      const output = runGraph(graph, [input]).outputs[0] as Int8Array;
      const score = scorer ? scorer(input, p.inputQ, output, p.outputQ) : deviceAnomalyScore(input, p.inputQ, output, p.outputQ);
      out.push({ window: index, input, output, score, anomaly: isAnomaly(score, threshold) });
    },
  });
  fe.pushSamples(pcm);
  return out;
}
