import type * as tf from '@tensorflow/tfjs';
import type { NamedWeight } from '../keras/weights.js';

/**
 * Splits the concatenated weight buffer by the manifest's specs (little-endian,
 * densely packed in spec order, as TF.js writes it). Int32 weights become
 * float32 because every Keras weight we lower is float. Sizes were checked
 * against the specs when the shards were read.
 */
export function decodeWeights(buffer: ArrayBuffer, specs: readonly tf.io.WeightsManifestEntry[]): NamedWeight[] {
  const view = new DataView(buffer);
  let offset = 0;
  return specs.map((spec) => {
    const n = spec.shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      data[i] = spec.dtype === 'int32' ? view.getInt32(offset + 4 * i, true) : view.getFloat32(offset + 4 * i, true);
    }
    offset += 4 * n;
    return { name: spec.name, shape: [...spec.shape], data };
  });
}
