import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { encodeNpy } from '../../src/util/npy.js';
import { representativeInputs } from '../fixtures/models.js';
import { saveLayersModel } from '../../src/learn/index.js';

/**
 * A small conv autoencoder with seeded weights (no training: these tests need
 * a real model.json and calibration data fast, not a good model), saved into
 * `dir` with `samples` calibration inputs beside it.
 */
export async function writeTinyModel(
  dir: string,
  opts: { seed: number; samples: number; size?: [number, number] },
): Promise<{ model: string; calib: string }> {
  await tf.setBackend('cpu');
  const [h, w] = opts.size ?? [16, 12];
  const init = () => tf.initializers.glorotUniform({ seed: opts.seed });
  const model = tf.sequential({
    name: 'tiny_ae',
    layers: [
      tf.layers.conv2d({
        name: 'enc',
        inputShape: [h, w, 1],
        filters: 8,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: init(),
      }),
      tf.layers.maxPooling2d({ name: 'pool', poolSize: 2 }),
      tf.layers.upSampling2d({ name: 'up', size: [2, 2] }),
      tf.layers.conv2d({ name: 'dec', filters: 1, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init() }),
    ],
  });
  await saveLayersModel(model, dir);
  const inputs = representativeInputs([h, w, 1], opts.samples, opts.seed);
  const flat = new Float32Array(inputs.length * h * w);
  inputs.forEach((x, i) => flat.set(x, i * x.length));
  const calib = path.join(dir, 'calib.npy');
  await writeFile(calib, encodeNpy([opts.samples, h, w, 1], flat));
  model.dispose();
  return { model: path.join(dir, 'model.json'), calib };
}
