import * as tf from '@tensorflow/tfjs';
import { inferenceBatchSize } from './batch-memory.js';

/** Per-window MSE of the float model's reconstruction, in batches. */
export async function floatWindowScores(
  model: tf.LayersModel,
  x: Float32Array,
  count: number,
  shape: readonly number[],
  batchSize = 64,
): Promise<Float64Array> {
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new Float64Array(count);
  batchSize = inferenceBatchSize(model, batchSize);
  for (let start = 0; start < count; start += batchSize) {
    const n = Math.min(batchSize, count - start);
    const mse = tf.tidy(() => {
      const batch = tf.tensor4d(x.subarray(start * size, (start + n) * size), [n, shape[0]!, shape[1]!, shape[2]!]);
      return tf.mean(tf.squaredDifference(model.predict(batch) as tf.Tensor, batch), [1, 2, 3]);
    });
    out.set(await mse.data(), start);
    mse.dispose();
  }
  return out;
}
