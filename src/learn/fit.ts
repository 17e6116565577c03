import * as tf from '@tensorflow/tfjs';
import { fail } from '../util/index.js';
import { initBackend } from './backend.js';
import { createRng } from '../util/index.js';
import { augmentBatch, hasAugmentation, type Augmentation } from './augment.js';
import { inferenceBatchSize } from './batch-memory.js';

export interface FitData {
  /** N×H×W×1 spectrograms, row-major, one example after another. */
  train: Float32Array;
  val: Float32Array;
  shape: [number, number, number];
}

export interface FitProgress {
  /** 1-based epoch just finished. */
  epoch: number;
  epochs: number;
  loss: number;
  valLoss: number;
  bestEpoch: number;
}

export interface FitStep {
  step: number;
  totalSteps: number;
  /** 1-based. */
  epoch: number;
  loss: number;
}

export interface FitOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Epochs without a better validation loss before stopping; Infinity disables early stopping. */
  patience: number;
  /** Seeds the per-epoch shuffles (and `seedInitialWeights`, if the caller uses it). */
  seed: number;
  /** After every epoch. */
  onProgress?: (p: FitProgress) => void;
  /** After every optimiser step: steps done of the run's total, and the epoch's running training loss (for a progress bar). */
  onStep?: (s: FitStep) => void;
  /** Runs after every optimiser step, e.g. to re-apply pruning masks and shared centroids (src/optimize/finetune.ts). */
  afterBatch?: () => void;
  /** 0-based epoch from which validation-best weights may be kept (earlier ones, e.g. while a pruning schedule still moves the mask, never are). */
  bestFromEpoch?: number;
  /** Gain and noise augmentation of the training batches (augment.ts). */
  augment?: Augmentation;
  /**
   * Knowledge distillation: a trained (larger) teacher autoencoder on the same
   * windows. The loss becomes (1 − weight)·MSE(student, target) +
   * weight·MSE(student, teacher's reconstruction of the same input), so the
   * student also learns what the teacher keeps and what it discards.
   * Validation loss (early stopping) stays the plain reconstruction MSE.
   */
  teacher?: { model: tf.LayersModel; weight: number };
  /** Checked between batches: an abort stops the fit with the signal's reason. */
  signal?: AbortSignal;
}

export interface FitResult {
  history: { loss: number[]; valLoss: number[] };
  /** 0-based epoch whose weights the model holds on return. */
  bestEpoch: number;
  stoppedEarly: boolean;
}

/**
 * Trains an autoencoder to reconstruct its input (the paper: Adam, MSE).
 * A hand-written loop instead of `model.fit`, so that the shuffle order comes
 * from our seeded PRNG (tfjs shuffles with Math.random) and so the best
 * weights by validation loss can be snapshotted and restored exactly.
 *
 * Reproducibility: with the same initial weights, data, options and backend,
 * two runs give bit-identical weights (tested on wasm). Initial weights from
 * tfjs initializers are *not* seeded unless the architecture passes seeds;
 * call `seedInitialWeights(model, seed)` first to make a whole run replayable.
 */
export async function fitAutoencoder(model: tf.LayersModel, data: FitData, opts: FitOptions): Promise<FitResult> {
  await initBackend();
  const exampleSize = checkInputs(model, data, opts);
  const nTrain = data.train.length / exampleSize;
  const nVal = data.val.length / exampleSize;
  const [h, w, c] = data.shape;
  const batchesPerEpoch = Math.ceil(nTrain / opts.batchSize);

  const optimizer = tf.train.adam(opts.learningRate);
  const variables = model.trainableWeights.map((v) => v.read() as tf.Variable);
  const shuffleRng = createRng(opts.seed).derive('fit-shuffle');
  const augmentRng = createRng(opts.seed).derive('fit-augment');
  const augment = hasAugmentation(opts.augment) ? opts.augment : undefined;
  const teacher = opts.teacher;
  if (teacher && !(teacher.weight >= 0 && teacher.weight <= 1))
    fail('BAD_ARGUMENT', `distillation weight ${teacher.weight} must be in [0, 1]`);

  const history = { loss: [] as number[], valLoss: [] as number[] };
  let best: tf.Tensor[] | undefined;
  let bestEpoch = -1;
  let bestVal = Number.POSITIVE_INFINITY;
  let stoppedEarly = false;
  const indices = Array.from({ length: nTrain }, (_, i) => i);

  try {
    for (let epoch = 0; epoch < opts.epochs; epoch++) {
      const order = shuffleRng.derive(epoch).shuffled(indices);
      let lossSum = 0;
      for (let b = 0; b < batchesPerEpoch; b++) {
        opts.signal?.throwIfAborted();
        const rows = order.slice(b * opts.batchSize, (b + 1) * opts.batchSize);
        const shape: [number, number, number, number] = [rows.length, h, w, c];
        const gathered = gatherRows(data.train, rows, exampleSize);
        const batch = augment ? augmentBatch(gathered, exampleSize, augment, augmentRng.derive(`${epoch}:${b}`)) : undefined;
        const x = tf.tensor4d(batch ? batch.input : gathered, shape);
        const target = batch ? tf.tensor4d(batch.target, shape) : x;
        const taught = teacher ? tf.tidy(() => teacher.model.predict(x) as tf.Tensor) : undefined;
        const loss = optimizer.minimize(
          () => {
            const y = model.apply(x, { training: true }) as tf.Tensor;
            const own = tf.losses.meanSquaredError<tf.Tensor, tf.Scalar>(target, y);
            return taught
              ? tf.add<tf.Scalar>(tf.mul(own, 1 - teacher!.weight), tf.mul(tf.losses.meanSquaredError(taught, y), teacher!.weight))
              : own;
          },
          true,
          variables,
        );
        opts.afterBatch?.();
        lossSum += (await loss!.data())[0]! * rows.length;
        loss!.dispose();
        x.dispose();
        if (target !== x) target.dispose();
        taught?.dispose();
        opts.onStep?.({
          step: epoch * batchesPerEpoch + b + 1,
          totalSteps: opts.epochs * batchesPerEpoch,
          epoch: epoch + 1,
          loss: lossSum / Math.min(nTrain, (b + 1) * opts.batchSize),
        });
      }
      const loss = lossSum / nTrain;
      const valLoss = await meanSquaredReconstruction(model, data.val, nVal, data.shape, inferenceBatchSize(model, opts.batchSize));
      history.loss.push(loss);
      history.valLoss.push(valLoss);
      if (epoch >= (opts.bestFromEpoch ?? 0) && valLoss < bestVal) {
        bestVal = valLoss;
        bestEpoch = epoch;
        best?.forEach((t) => t.dispose());
        best = model.getWeights().map((t) => t.clone());
      }
      opts.onProgress?.({ epoch: epoch + 1, epochs: opts.epochs, loss, valLoss, bestEpoch });
      if (!Number.isFinite(loss)) {
        fail(
          'BAD_ARGUMENT',
          `training diverged at epoch ${epoch + 1} (loss ${loss}); lower the learning rate (now ${opts.learningRate}) or check the inputs for NaN`,
        );
      }
      if (epoch - bestEpoch >= opts.patience && epoch < opts.epochs - 1) {
        stoppedEarly = true;
        break;
      }
    }
    if (best) model.setWeights(best);
  } finally {
    best?.forEach((t) => t.dispose());
    optimizer.dispose();
  }
  return { history, bestEpoch, stoppedEarly };
}

/**
 * Replaces every weight with a draw from our seeded PRNG, using Keras's
 * defaults for the layers the autoencoders use: Glorot-uniform kernels,
 * limit sqrt(6 / (fanIn + fanOut)) with fans over the receptive field, zero
 * biases, and BatchNormalization as the identity (gamma 1, beta 0, moving
 * mean 0, moving variance 1; zeros there would silence every unit). Makes a
 * training run replayable whatever initializers the architecture was built with.
 */
export function seedInitialWeights(model: tf.LayersModel, seed: number): void {
  const rng = createRng(seed).derive('init-weights');
  // getWeights() and weights list the same variables in the same order; the names tell BatchNorm's apart.
  const names = model.weights.map((v) => v.originalName ?? v.name);
  const values = model.getWeights().map((wt, i) => {
    const shape = wt.shape;
    const out = new Float32Array(wt.size);
    // BatchNormalization starts as the identity, as Keras initialises it: gamma and the moving variance 1.
    if (shape.length === 1 && /(^|\/)(gamma|moving_variance)(_\d+)?$/.test(names[i] ?? '')) out.fill(1);
    if (shape.length >= 2) {
      // Kernel [..receptive.., fanIn, fanOut] (Conv2D HWIO, Dense IO).
      const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
      const limit = Math.sqrt(6 / (receptive * (shape[shape.length - 2]! + shape[shape.length - 1]!)));
      const layerRng = rng.derive(i);
      for (let k = 0; k < out.length; k++) out[k] = layerRng.uniform(-limit, limit);
    }
    return tf.tensor(out, shape);
  });
  model.setWeights(values);
  values.forEach((t) => t.dispose());
}

async function meanSquaredReconstruction(
  model: tf.LayersModel,
  x: Float32Array,
  n: number,
  shape: [number, number, number],
  batchSize: number,
): Promise<number> {
  const size = shape[0] * shape[1] * shape[2];
  let sum = 0;
  for (let start = 0; start < n; start += batchSize) {
    const count = Math.min(batchSize, n - start);
    const batch = tf.tensor4d(x.subarray(start * size, (start + count) * size), [count, ...shape]);
    const se = tf.tidy(() => tf.sum(tf.squaredDifference(model.predict(batch) as tf.Tensor, batch)));
    sum += (await se.data())[0]!;
    se.dispose();
    batch.dispose();
  }
  return sum / (n * size);
}

function gatherRows(src: Float32Array, rows: number[], size: number): Float32Array {
  const out = new Float32Array(rows.length * size);
  rows.forEach((r, i) => out.set(src.subarray(r * size, (r + 1) * size), i * size));
  return out;
}

function checkInputs(model: tf.LayersModel, data: FitData, opts: FitOptions): number {
  const [h, w, c] = data.shape;
  const size = h * w * c;
  if (!(size > 0) || c !== 1) fail('SHAPE_MISMATCH', `training shape must be [h, w, 1] with h, w > 0, got [${data.shape.join(', ')}]`);
  const inShape = model.inputs[0]?.shape ?? [];
  if (inShape.length !== 4 || inShape[1] !== h || inShape[2] !== w || inShape[3] !== c) {
    fail(
      'SHAPE_MISMATCH',
      `model input is [${inShape.map(String).join(', ')}] but the spectrograms are [${data.shape.join(', ')}]; build the model for [null, ${h}, ${w}, ${c}]`,
    );
  }
  for (const [name, arr] of [
    ['train', data.train],
    ['val', data.val],
  ] as const) {
    if (arr.length === 0 || arr.length % size !== 0) {
      fail(
        'BAD_DATASET',
        `${name} data has ${arr.length} values, not a positive multiple of ${size} (= ${h}x${w}x${c}); pass whole spectrograms, and at least one validation clip`,
      );
    }
  }
  const positiveInt = (name: string, v: number) =>
    (Number.isInteger(v) && v > 0) || fail('BAD_ARGUMENT', `fit ${name} must be a positive integer, got ${v}`);
  positiveInt('epochs', opts.epochs);
  positiveInt('batchSize', opts.batchSize);
  (opts.learningRate > 0 && Number.isFinite(opts.learningRate)) ||
    fail('BAD_ARGUMENT', `fit learningRate must be a positive number, got ${opts.learningRate}; Keras's Adam default is 0.001`);
  opts.patience >= 1 ||
    fail('BAD_ARGUMENT', `fit patience must be >= 1 epoch (or Infinity to disable early stopping), got ${opts.patience}`);
  return size;
}
