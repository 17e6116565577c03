import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { frameStackAutoencoder } from '../../src/learn/architectures.js';
import { initBackend } from '../../src/learn/backend.js';
import { fitAutoencoder, seedInitialWeights, type FitData } from '../../src/learn/fit.js';
import { createRng } from '../../src/util/random.js';

const H = 8;
const W = 8;

/** A miniature of the paper's conv autoencoder (same layer kinds, far fewer filters). */
function tinyAutoencoder(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [H, W, 1], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tf.layers.upSampling2d({ size: [2, 2] }),
      tf.layers.conv2d({ filters: 1, kernelSize: 3, padding: 'same', activation: 'relu' }),
    ],
  });
}

/** Smooth "spectrogram-like" patches: a horizontal band of random height and level plus noise. */
function patches(n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const out = new Float32Array(n * H * W);
  for (let k = 0; k < n; k++) {
    const row = rng.uniform(1, H - 2);
    const level = rng.uniform(0.4, 0.9);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) out[(k * H + y) * W + x] = level * Math.exp(-((y - row) ** 2)) + 0.05 * rng.next();
    }
  }
  return out;
}

const data: FitData = { train: patches(48, 1), val: patches(16, 2), shape: [H, W, 1] };

async function run(initSeed: number, fitSeed: number, epochs = 6, learningRate = 0.01, patience = Infinity) {
  const model = tinyAutoencoder();
  seedInitialWeights(model, initSeed);
  const result = await fitAutoencoder(model, data, { epochs, batchSize: 8, learningRate, patience, seed: fitSeed });
  const weights = await Promise.all(model.getWeights().map((t) => t.data() as Promise<Float32Array>));
  return { model, result, weights };
}

function sameBits(a: Float32Array[], b: Float32Array[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (x, i) =>
        Buffer.compare(Buffer.from(x.buffer, x.byteOffset, x.byteLength), Buffer.from(b[i]!.buffer, b[i]!.byteOffset, b[i]!.byteLength)) ===
        0,
    )
  );
}

describe('fitAutoencoder', () => {
  beforeAll(async () => {
    expect((await initBackend()).name).toBe('wasm');
  });

  it('lowers the reconstruction loss and replays bit-identically from the same seeds', async () => {
    const a = await run(1, 1);
    const b = await run(1, 1);
    const c = await run(1, 2);
    const { loss, valLoss } = a.result.history;
    expect(loss).toHaveLength(6);
    expect(loss.at(-1)!).toBeLessThan(0.7 * loss[0]!);
    expect(Math.min(...valLoss)).toBeLessThan(0.7 * valLoss[0]!);
    expect(sameBits(a.weights, b.weights)).toBe(true);
    expect(b.result.history).toEqual(a.result.history);
    // Another shuffle seed changes the batches, hence the weights.
    expect(sameBits(a.weights, c.weights)).toBe(false);
  });

  it('returns with the best validation weights, checked against tf.losses.meanSquaredError', async () => {
    // A large learning rate makes validation loss bounce, so later epochs are not always best.
    const { model, result } = await run(3, 3, 8, 0.05, 2);
    const { valLoss } = result.history;
    expect(result.bestEpoch).toBe(valLoss.indexOf(Math.min(...valLoss)));
    const x = tf.tensor4d(data.val, [16, H, W, 1]);
    const mse = tf.losses.meanSquaredError(x, model.predict(x) as tf.Tensor);
    expect((await mse.data())[0]).toBeCloseTo(valLoss[result.bestEpoch]!, 6);
    // Early stopping: it stops exactly `patience` epochs after the best one, or runs to the end.
    if (result.stoppedEarly) expect(valLoss.length - 1 - result.bestEpoch).toBe(2);
    else expect(valLoss).toHaveLength(8);
    tf.dispose([x, mse]);
  });

  it('stops early when validation stops improving', async () => {
    // Validation clips the model can never reconstruct well and whose error grows as it
    // fits the training band: the first epoch's weights stay best.
    const hostile: FitData = { ...data, val: new Float32Array(16 * H * W).map((_, i) => (i % 2 ? 1 : 0)) };
    const model = tinyAutoencoder();
    seedInitialWeights(model, 5);
    const seen: number[] = [];
    const r = await fitAutoencoder(model, hostile, {
      epochs: 20,
      batchSize: 8,
      learningRate: 0.01,
      patience: 2,
      seed: 5,
      onProgress: (p) => seen.push(p.epoch),
    });
    expect(seen).toEqual(r.history.valLoss.map((_, i) => i + 1));
    expect(r.stoppedEarly).toBe(true);
    expect(r.history.valLoss.length).toBeLessThan(20);
    expect(r.history.valLoss.length - 1 - r.bestEpoch).toBe(2);
    const { valLoss } = r.history;
    expect(valLoss.slice(r.bestEpoch + 1).every((v) => v >= valLoss[r.bestEpoch]!)).toBe(true);
    // The weights of the best epoch, not of the last one, are back in the model.
    const x = tf.tensor4d(hostile.val, [16, H, W, 1]);
    const mse = tf.losses.meanSquaredError(x, model.predict(x) as tf.Tensor);
    expect((await mse.data())[0]).toBeCloseTo(valLoss[r.bestEpoch]!, 6);
    expect(Math.abs((await mse.data())[0]! - valLoss.at(-1)!)).toBeGreaterThan(1e-4);
    tf.dispose([x, mse]);
  });

  it('seeds BatchNormalization as the identity, so a BatchNorm autoencoder starts by passing signal through', async () => {
    const model = frameStackAutoencoder([16, 5, 1], 1, { units: 8, depth: 1, latent: 4 });
    seedInitialWeights(model, 7);
    const bn = model.weights
      .map((v, i) => ({ name: v.originalName ?? v.name, value: model.getWeights()[i]! }))
      .filter((w) => /_bn\//.test(w.name));
    expect(bn).toHaveLength(3 * 4);
    for (const { name, value } of bn) {
      const expected = /gamma|moving_variance/.test(name) ? 1 : 0;
      expect(
        [...(await value.data())].every((v) => v === expected),
        name,
      ).toBe(true);
    }
    // Zero gammas (every 1-D weight as zero) made every unit output its beta, hence a constant reconstruction.
    const x = tf.randomUniform([4, 16, 5, 1], 0, 1, 'float32', 3);
    const y = model.predict(x) as tf.Tensor;
    const spread = tf.moments(y).variance;
    expect((await spread.data())[0]).toBeGreaterThan(1e-6);
    tf.dispose([x, y, spread]);
  });

  it('rejects data that does not match the model, naming both shapes', async () => {
    const model = tinyAutoencoder();
    await expect(
      fitAutoencoder(model, { ...data, shape: [4, 16, 1] }, { epochs: 1, batchSize: 4, learningRate: 0.01, patience: 1, seed: 0 }),
    ).rejects.toThrow(/model input is \[null, 8, 8, 1\] but the spectrograms are \[4, 16, 1\]/);
    await expect(
      fitAutoencoder(model, { ...data, val: new Float32Array(0) }, { epochs: 1, batchSize: 4, learningRate: 0.01, patience: 1, seed: 0 }),
    ).rejects.toThrow(/val data has 0 values/);
  });
});
