import { fail } from '../../util/index.js';
import { isConstant, tensorBytes, tensorSize, type Graph } from '../../ir/index.js';
import { runGraph } from '../../runtime/index.js';
import { checkMemory } from '../../util/index.js';

/** Observed real-value range of one activation tensor; always contains 0. */
export interface Range {
  min: number;
  max: number;
}

export type RangeTable = Map<number, Range>;

/**
 * Runs the float graph over a representative set and records min/max of every
 * non-constant tensor (TFLite post-training quantisation's min/max
 * calibration). The range always includes 0 so that zero is exactly
 * representable (the TFLite int8 spec requires it for padding).
 *
 * `samples` is [N, ...inputShape] flattened; N is inferred from the input size.
 */
export function calibrate(graph: Graph, samples: Float32Array, sourceName: string): RangeTable {
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
  const ranges: RangeTable = new Map();
  for (const t of graph.tensors) if (!isConstant(t)) ranges.set(t.id, { min: 0, max: 0 });
  // Each run keeps every activation of one sample (captureAll), beside the
  // samples themselves: refuse before running the model at all.
  const activationBytes = graph.tensors.reduce((sum, t) => sum + (isConstant(t) ? 0 : tensorBytes(t)), 0);
  checkMemory(
    activationBytes + samples.byteLength,
    `${sourceName}: calibrating '${graph.name}' (${ranges.size} activation tensors, ${activationBytes} bytes per sample, plus ${samples.byteLength} bytes of samples)`,
  );

  const n = samples.length / perSample;
  for (let s = 0; s < n; s++) {
    const x = samples.subarray(s * perSample, (s + 1) * perSample);
    const { tensors } = runGraph(graph, [x], { captureAll: true });
    for (const [id, range] of ranges) {
      const values = tensors!.get(id);
      if (!values) continue;
      let { min, max } = range;
      for (let i = 0; i < values.length; i++) {
        const v = Number(values[i]);
        if (v < min) min = v;
        else if (v > max) max = v;
      }
      range.min = min;
      range.max = max;
    }
  }
  for (const [id, r] of ranges) {
    if (!Number.isFinite(r.min) || !Number.isFinite(r.max)) {
      fail('QUANTIZATION', `${sourceName}: tensor '${graph.tensors[id]!.name}' reached a non-finite value during calibration; check the calibration data for NaN/Inf`);
    }
  }
  return ranges;
}
