import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { augmentBatch } from '../../src/learn/augment.js';
import { frameStackAutoencoder } from '../../src/learn/architectures.js';
import { initBackend } from '../../src/learn/backend.js';
import { fitAutoencoder, seedInitialWeights } from '../../src/learn/fit.js';
import { createRng } from '../../src/util/random.js';

describe('augmentation', () => {
  const size = 16;
  const x = Float32Array.from({ length: 4 * size }, (_, i) => (i % 17) / 17);

  it('gain shifts input and target of a window by one amount and clamps to [0, 1]; noise reaches the input only', () => {
    const gain = augmentBatch(x, size, { gainDb: 20, slopes: new Float32Array(size).fill(0.01), noise: 0 }, createRng(1));
    expect(gain.input).toEqual(gain.target);
    for (let r = 0; r < 4; r++) {
      const shifts = new Set<string>();
      for (let i = r * size; i < (r + 1) * size; i++) {
        const t = gain.target[i]!;
        expect(t).toBeGreaterThanOrEqual(0);
        expect(t).toBeLessThanOrEqual(1);
        if (t > 0 && t < 1) shifts.add((t - x[i]!).toFixed(5));
      }
      expect(shifts.size).toBe(1);
      expect(Math.abs(Number([...shifts][0]))).toBeLessThanOrEqual(0.2);
    }
    const noisy = augmentBatch(x, size, { gainDb: 0, slopes: new Float32Array(size), noise: 0.05 }, createRng(1));
    expect(noisy.target).toEqual(x);
    expect(noisy.input).not.toEqual(x);
    const d = noisy.input.map((v, i) => v - x[i]!);
    const std = Math.sqrt(d.reduce((s, v) => s + v * v, 0) / d.length);
    expect(std).toBeGreaterThan(0.03);
    expect(std).toBeLessThan(0.07);
  });

  it('replays from the seed', () => {
    const a = augmentBatch(x, size, { gainDb: 10, slopes: new Float32Array(size).fill(0.01), noise: 0.02 }, createRng(9));
    const b = augmentBatch(x, size, { gainDb: 10, slopes: new Float32Array(size).fill(0.01), noise: 0.02 }, createRng(9));
    expect(a).toEqual(b);
  });
});

describe('knowledge distillation', () => {
  it("pulls the student towards the teacher's reconstruction", async () => {
    await initBackend();
    const shape: [number, number, number] = [8, 4, 1];
    const rng = createRng(2);
    const data = (n: number) => Float32Array.from({ length: n * 32 }, () => rng.next());
    const train = data(256);
    const val = data(32);
    const teacher = frameStackAutoencoder(shape, 11, { units: 16, depth: 1, latent: 4 });
    seedInitialWeights(teacher, 11);
    const gap = async (weight: number) => {
      const student = frameStackAutoencoder(shape, 3, { units: 16, depth: 1, latent: 4 });
      seedInitialWeights(student, 3);
      await fitAutoencoder(
        student,
        { train, val, shape },
        { epochs: 6, batchSize: 32, learningRate: 3e-3, patience: Infinity, seed: 1, teacher: { model: teacher, weight } },
      );
      const x = tf.tensor4d(val, [32, ...shape]);
      const d = tf.tidy(() => tf.losses.meanSquaredError(teacher.predict(x) as tf.Tensor, student.predict(x) as tf.Tensor).dataSync()[0]!);
      x.dispose();
      student.dispose();
      return d;
    };
    const without = await gap(0);
    const withTeacher = await gap(1);
    expect(withTeacher).toBeLessThan(0.5 * without);
    teacher.dispose();
  }, 120_000);
});
