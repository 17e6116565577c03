import * as tf from '@tensorflow/tfjs';
import { deviceAnomalyScore, type DeviceQuant } from '../../device/index.js';
import { deviceWindowScore, floatWindowScore, type WindowScoreParams } from '../../device/index.js';
import type { Graph } from '../../ir/index.js';
import { runGraph } from '../../runtime/index.js';
import { inferenceBatchSize } from '../batch-memory.js';

/**
 * Window scores of a float model (TF.js) or an int8 graph (the bit-exact
 * reference interpreter) under one or more window scorers at once, so a
 * reconstruction is computed once however many scores are compared. The int8
 * path scores exactly as the device does (src/device twins).
 */
export interface WindowScorer {
  name: string;
  float(x: Float32Array, y: Float32Array): number;
  int8(q: Int8Array, inQ: DeviceQuant, out: Int8Array, outQ: DeviceQuant): number;
}

const f32 = Math.fround;

export const MSE_SCORER: WindowScorer = {
  name: 'mse',
  float(x, y) {
    let sum = 0;
    for (let i = 0; i < x.length; i++) {
      const d = f32(x[i]! - y[i]!);
      sum = f32(sum + f32(d * d));
    }
    return f32(sum / x.length);
  },
  int8: (q, inQ, out, outQ) => deviceAnomalyScore(q, inQ, out, outQ),
};

export function mahalanobisScorer(name: string, p: WindowScoreParams): WindowScorer {
  return {
    name,
    float: (x, y) => floatWindowScore(p, x, y),
    int8: (q, inQ, out, outQ) => deviceWindowScore(p, q, inQ, out, outQ),
  };
}

/** Float reconstructions in batches; `each` sees window i's input and reconstruction. */
export async function forEachFloatReconstruction(
  model: tf.LayersModel,
  x: Float32Array,
  count: number,
  shape: readonly number[],
  each: (i: number, x: Float32Array, y: Float32Array) => void,
  batchSize = 128,
): Promise<void> {
  const size = shape.reduce((a, b) => a * b, 1);
  batchSize = inferenceBatchSize(model, batchSize);
  for (let start = 0; start < count; start += batchSize) {
    const n = Math.min(batchSize, count - start);
    const input = x.subarray(start * size, (start + n) * size);
    const y = tf.tidy(() => model.predict(tf.tensor(input, [n, ...shape])) as tf.Tensor);
    const yd = (await y.data()) as Float32Array;
    y.dispose();
    for (let j = 0; j < n; j++) each(start + j, input.subarray(j * size, (j + 1) * size), yd.subarray(j * size, (j + 1) * size));
  }
}

export async function floatWindowScoresFor(
  model: tf.LayersModel,
  x: Float32Array,
  count: number,
  shape: readonly number[],
  scorers: readonly WindowScorer[],
): Promise<Float64Array[]> {
  const out = scorers.map(() => new Float64Array(count));
  await forEachFloatReconstruction(model, x, count, shape, (i, xi, yi) => scorers.forEach((s, k) => (out[k]![i] = s.float(xi, yi))));
  return out;
}

export function int8WindowScoresFor(graph: Graph, w: { count: number; q: Int8Array }, scorers: readonly WindowScorer[]): Float64Array[] {
  const input = graph.tensors[graph.inputs[0]!]!;
  const output = graph.tensors[graph.outputs[0]!]!;
  const inQ = { scale: input.quant!.scale[0]!, zeroPoint: input.quant!.zeroPoint[0]! };
  const outQ = { scale: output.quant!.scale[0]!, zeroPoint: output.quant!.zeroPoint[0]! };
  const size = w.q.length / Math.max(1, w.count);
  const out = scorers.map(() => new Float64Array(w.count));
  for (let i = 0; i < w.count; i++) {
    const q = w.q.subarray(i * size, (i + 1) * size);
    const y = runGraph(graph, [q]).outputs[0] as Int8Array;
    scorers.forEach((s, k) => (out[k]![i] = s.int8(q, inQ, y, outQ)));
  }
  return out;
}

/** Reconstruction errors x − y (float model) of the given windows, for fitting an error model. */
export async function floatWindowErrors(
  model: tf.LayersModel,
  x: Float32Array,
  rows: readonly number[],
  shape: readonly number[],
): Promise<Float32Array> {
  const size = shape.reduce((a, b) => a * b, 1);
  const picked = new Float32Array(rows.length * size);
  rows.forEach((r, i) => picked.set(x.subarray(r * size, (r + 1) * size), i * size));
  const errors = new Float32Array(rows.length * size);
  await forEachFloatReconstruction(model, picked, rows.length, shape, (i, xi, yi) => {
    for (let j = 0; j < size; j++) errors[i * size + j] = f32(xi[j]! - yi[j]!);
  });
  return errors;
}
