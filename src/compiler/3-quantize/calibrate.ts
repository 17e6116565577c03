import { fail } from '../../util/index.js';
import { isConstant, tensorBytes, tensorSize, type Graph } from '../../ir/index.js';
import { runGraph } from '../../runtime/index.js';
import { checkMemory } from '../../util/index.js';
import { RangeSampler, SUBSAMPLE, type OutlierFinding } from './range-outliers.js';

/** Observed real-value range of one activation tensor; always contains 0. */
export interface Range {
  min: number;
  max: number;
}

export type RangeTable = Map<number, Range>;

export interface CalibrateOptions {
  /** Receives warnings (a range an outlier blew up); library code does not print. */
  onWarning?: (message: string) => void;
}

/**
 * Runs the float graph over a representative set and records min/max of every
 * non-constant tensor (TFLite post-training quantisation's min/max
 * calibration). The range always includes 0 so that zero is exactly
 * representable (the TFLite int8 spec requires it for padding).
 *
 * `samples` is [N, ...inputShape] flattened; N is inferred from the input size.
 * NaN or Infinity in the samples, or reached by an activation, is refused:
 * min/max would skip a NaN (every comparison with it is false) and an
 * infinite range has no int8 scale. A range that an outlier blows up by
 * OUTLIER_RATIO or more is reported through `onWarning` (range-outliers.ts).
 */
export function calibrate(graph: Graph, samples: Float32Array, sourceName: string, opts: CalibrateOptions = {}): RangeTable {
  if (graph.inputs.length !== 1) {
    fail('MISSING_CALIBRATION', `${graph.name}: calibration supports single-input models; this one has ${graph.inputs.length} inputs`);
  }
  const input = graph.tensors[graph.inputs[0]!]!;
  const perSample = tensorSize(input.shape);
  if (samples.length === 0 || samples.length % perSample !== 0) {
    fail(
      'SHAPE_MISMATCH',
      `${sourceName}: calibration data has ${samples.length} values, not a whole number of inputs of shape [${input.shape.join(', ')}] (${perSample} values each); save it as [N, ${input.shape.slice(1).join(', ')}]`,
    );
  }
  const bad = firstNonFinite(samples);
  if (bad >= 0) {
    fail(
      'NON_FINITE',
      `${sourceName}: value ${samples[bad]} at index ${bad} ` +
        `(sample ${Math.floor(bad / perSample)}, element ${bad % perSample} of ${perSample}) ` +
        'is not a finite number; calibration data must be finite: fix or drop that sample',
    );
  }
  const ranges: RangeTable = new Map();
  for (const t of graph.tensors) if (!isConstant(t)) ranges.set(t.id, { min: 0, max: 0 });
  const n = samples.length / perSample;
  // Each run keeps every activation of one sample (captureAll), beside the
  // samples themselves and each tensor's outlier subsample: refuse before running the model at all.
  const activationBytes = graph.tensors.reduce((sum, t) => sum + (isConstant(t) ? 0 : tensorBytes(t)), 0);
  const subsampleBytes = graph.tensors.reduce((sum, t) => sum + (isConstant(t) ? 0 : 4 * Math.min(SUBSAMPLE, n * tensorSize(t.shape))), 0);
  checkMemory(
    activationBytes + samples.byteLength + subsampleBytes,
    `${sourceName}: calibrating '${graph.name}' (${ranges.size} activation tensors, ${activationBytes} bytes per sample, ` +
      `plus ${samples.byteLength} bytes of samples and ${subsampleBytes} bytes of range statistics)`,
  );
  const samplers = new Map<number, RangeSampler>();
  for (const id of ranges.keys()) samplers.set(id, new RangeSampler(n * tensorSize(graph.tensors[id]!.shape)));

  for (let s = 0; s < n; s++) {
    const x = samples.subarray(s * perSample, (s + 1) * perSample);
    const { tensors } = runGraph(graph, [x], { captureAll: true });
    for (const [id, range] of ranges) {
      const values = tensors!.get(id);
      if (!values) continue;
      let min = Infinity;
      let max = -Infinity;
      for (let i = 0; i < values.length; i++) {
        const v = Number(values[i]);
        // v − v is NaN for NaN and ±Infinity: one test in the hot loop.
        if (v - v !== 0) failActivation(graph, id, v, s, sourceName);
        if (v < min) min = v;
        if (v > max) max = v;
      }
      if (values.length === 0) continue;
      range.min = Math.min(range.min, min);
      range.max = Math.max(range.max, max);
      samplers.get(id)!.add(values, s, Math.max(Math.abs(min), Math.abs(max)));
    }
  }
  if (opts.onWarning) warnOutliers(graph, ranges, samplers, sourceName, opts.onWarning);
  return ranges;
}

function firstNonFinite(x: Float32Array): number {
  for (let i = 0; i < x.length; i++) if (x[i]! - x[i]! !== 0) return i;
  return -1;
}

function failActivation(graph: Graph, id: number, v: number, sample: number, sourceName: string): never {
  const t = graph.tensors[id]!;
  const op = graph.ops.findIndex((o) => o.outputs.includes(id));
  const by = op >= 0 ? ` (output of op ${op} ${graph.ops[op]!.kind} '${graph.ops[op]!.name}')` : '';
  return fail(
    'NON_FINITE',
    `${sourceName}: tensor '${t.name}'${by} reached ${v} on calibration sample ${sample}, although the inputs are finite; ` +
      "the layer's arithmetic overflows float32: check the model's weights (a diverged training?) and the scale of the calibration data",
  );
}

/**
 * One warning for the first tensor (in graph order, model input first) whose
 * range an outlier blew up; later tensors usually inherit the same outlier,
 * so they are counted, not listed.
 */
function warnOutliers(
  graph: Graph,
  ranges: RangeTable,
  samplers: Map<number, RangeSampler>,
  sourceName: string,
  warn: (message: string) => void,
): void {
  const order = [...graph.inputs, ...graph.ops.flatMap((op) => op.outputs)];
  const findings: Array<{ id: number; f: OutlierFinding }> = [];
  for (const id of new Set(order)) {
    const f = samplers.get(id)?.judge(ranges.get(id)!);
    if (f) findings.push({ id, f });
  }
  if (findings.length === 0) return;
  const { id, f } = findings[0]!;
  const p = (x: number) => x.toPrecision(3);
  const others = findings.length > 1 ? ` (${findings.length - 1} later tensor${findings.length > 2 ? 's' : ''} too)` : '';
  warn(
    `${sourceName}: calibration range of tensor '${graph.tensors[id]!.name}' is [${p(f.range.min)}, ${p(f.range.max)}], ` +
      `${f.ratio.toPrecision(3)}× wider than the [${p(f.robust.min)}, ${p(f.robust.max)}] that holds 99.8% of its values${others}; ` +
      `a min/max int8 scale would be ${p((f.range.max - f.range.min) / 255)} instead of ${p((f.robust.max - f.robust.min) / 255)}, ` +
      `so typical values get about ${Math.max(1, Math.round(255 / f.ratio))} of 256 steps. ` +
      `The extreme value is in sample ${f.extremeSample}: check it for an outlier or a unit mistake`,
  );
}
