import type * as tf from '@tensorflow/tfjs';
import { fail } from '../util/index.js';
import { formatBytes } from '../util/index.js';

/**
 * How many windows a training batch can hold before the TF.js wasm backend
 * runs out of its heap. wasm32 memory ends at 4 GiB and the backend aborts the
 * process (`Aborted()`, no JS error) when a kernel's allocation fails, so the
 * batch is sized before the first step instead. A training step keeps every
 * layer's output for the backward pass, then holds gradients of the same size
 * and the transposed copies of our Conv2DBackpropFilter (backend.ts):
 * measured peaks are about TRAIN_FACTOR times the activations (the paper
 * autoencoder on 256 Mel × 316 frames: ~30 MB of activations per window,
 * batch 32 aborts near 4 GiB, batch 8 trains).
 */
export const TRAIN_FACTOR = 3;
/** The heap share a batch may take: half of wasm32's 4 GiB, the rest for the data, weights and fragmentation. */
export const WASM_BATCH_BUDGET_BYTES = 2 * 1024 ** 3;

/** float32 bytes of every layer output of one window (a training step keeps them all). */
export function activationBytesPerWindow(model: tf.LayersModel): number {
  let values = 0;
  const visit = (m: tf.LayersModel) => {
    for (const layer of m.layers) {
      const inner = layer as unknown as tf.LayersModel;
      if (Array.isArray(inner.layers)) {
        visit(inner);
        continue;
      }
      const shapes = (Array.isArray(layer.outputShape[0]) ? layer.outputShape : [layer.outputShape]) as Array<Array<number | null>>;
      for (const s of shapes) values += s.slice(1).reduce((a: number, b) => a * (b ?? 1), 1);
    }
  };
  visit(model);
  return 4 * values;
}

/** The largest power-of-two batch whose training step fits the budget (at least 1). */
export function largestTrainingBatch(model: tf.LayersModel, budget = WASM_BATCH_BUDGET_BYTES): number {
  const perWindow = TRAIN_FACTOR * activationBytesPerWindow(model);
  let b = 1;
  while (b * 2 * perWindow <= budget) b *= 2;
  return b;
}

/**
 * The batch size to train with: the requested one when it fits; when it does
 * not, the largest that does if the user left the default (`explicit` false),
 * or a RESOURCE_LIMIT error naming it.
 */
export function trainingBatchSize(
  model: tf.LayersModel,
  requested: number,
  explicit: boolean,
  backend: string,
  where: string,
): { batchSize: number; note?: string } {
  if (backend !== 'wasm') return { batchSize: requested };
  const perWindow = TRAIN_FACTOR * activationBytesPerWindow(model);
  if (requested * perWindow <= WASM_BATCH_BUDGET_BYTES) return { batchSize: requested };
  const fits = largestTrainingBatch(model);
  const need = `${formatBytes(requested * perWindow)} (${formatBytes(perWindow)} per window)`;
  if (explicit) {
    fail(
      'RESOURCE_LIMIT',
      `${where}: a training batch of ${requested} windows needs about ${need} of the wasm backend's heap, over its ${formatBytes(WASM_BATCH_BUDGET_BYTES)} budget (wasm32 stops at 4 GiB and aborts); use --batch-size ${fits} or smaller inputs`,
    );
  }
  return {
    batchSize: fits,
    note: `batch size ${requested} would need about ${need} of the wasm heap; training with batch size ${fits} (pass --batch-size to choose)`,
  };
}

/** Windows per inference batch within the budget (inference keeps one layer's output at a time, at most all of them). */
export function inferenceBatchSize(model: tf.LayersModel, preferred: number): number {
  const perWindow = activationBytesPerWindow(model);
  return Math.max(1, Math.min(preferred, Math.floor(WASM_BATCH_BUDGET_BYTES / Math.max(1, perWindow))));
}
