/**
 * Where training and scoring time goes, per step, on this machine's backend:
 *  - a training step of the paper autoencoder (32 Mel × 32 frames, batch 32)
 *    with wasm's stock Conv2DBackpropInput and with ours (src/learn/backend.ts),
 *    as epochs per minute of the 16 kHz ToyCar epoch (DCASE 2023 ToyCar's
 *    official training split: 900 clips of 12 s, 16 windows of 1.37 s each,
 *    14,400 windows);
 *  - a training step of the frame-stack autoencoder (128 Mel × 5 frames,
 *    batch 128) and its epoch of 67,500 windows (900 clips, training hop 5);
 *  - int8 scoring of one window through the reference interpreter (what
 *    eval and tune run), for both models.
 * Timings are wall clock on whatever else the machine is running.
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend, useStockConv2DBackpropInput } from '../src/learn/backend.js';
import { frameStackAutoencoder, paperAutoencoder } from '../src/learn/architectures.js';
import { loadModel } from '../src/compiler/1-load/index.js';
import { saveLayersModel } from '../src/learn/index.js';
import { calibrate } from '../src/compiler/3-quantize/calibrate.js';
import { quantizeInt8 } from '../src/compiler/3-quantize/quantize-int8.js';
import { MODEL_INPUT_QUANT } from '../src/data/run-config.js';
import { runGraph } from '../src/runtime/index.js';
import { createRng } from '../src/util/random.js';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

async function stepMs(model: tf.LayersModel, shape: [number, number, number], batch: number, steps: number): Promise<number> {
  const opt = tf.train.adam(1e-3);
  const vars = model.trainableWeights.map((v) => v.read() as tf.Variable);
  const x = tf.randomUniform([batch, ...shape], 0, 1, 'float32', 1);
  const step = async () => {
    const l = opt.minimize(
      () => tf.losses.meanSquaredError<tf.Tensor, tf.Scalar>(x, model.apply(x, { training: true }) as tf.Tensor),
      true,
      vars,
    );
    await l!.data();
    l!.dispose();
  };
  await step();
  const t = performance.now();
  for (let i = 0; i < steps; i++) await step();
  x.dispose();
  opt.dispose();
  return (performance.now() - t) / steps;
}

async function int8Ms(model: tf.LayersModel, shape: [number, number, number], n: number) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tp-bench-speed-'));
  try {
    await saveLayersModel(model, dir);
    const { graph } = await loadModel(path.join(dir, 'model.json'));
    const rng = createRng(1);
    const size = shape[0] * shape[1];
    const g = quantizeInt8(graph, {
      ranges: calibrate(
        graph,
        Float32Array.from({ length: 4 * size }, () => rng.next()),
        'random',
      ),
      io: 'int8',
      inputQuant: MODEL_INPUT_QUANT,
    });
    const q = Int8Array.from({ length: size }, () => Math.floor(rng.next() * 256) - 128);
    for (let i = 0; i < 3; i++) runGraph(g, [q]); // warm-up
    const t = performance.now();
    for (let i = 0; i < n; i++) runGraph(g, [q]);
    return { msPerWindow: round((performance.now() - t) / n) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const round = (x: number) => Math.round(x * 100) / 100;
const perMinute = (windows: number, batch: number, ms: number) => round(60_000 / ((windows / batch) * ms));

export async function benchTrainSpeed() {
  const backend = await initBackend();
  const paperShape: [number, number, number] = [32, 32, 1];
  const paper = paperAutoencoder(paperShape, 1);
  useStockConv2DBackpropInput(true);
  const stock = await stepMs(paper, paperShape, 32, 4);
  useStockConv2DBackpropInput(false);
  const ours = await stepMs(paper, paperShape, 32, 4);
  const fsShape: [number, number, number] = [128, 5, 1];
  const fs = frameStackAutoencoder(fsShape, 1);
  const fsStep = await stepMs(fs, fsShape, 128, 8);
  const result = {
    backend: backend.name,
    paperAutoencoder: {
      stepMsStockBackpropInput: round(stock),
      stepMs: round(ours),
      epochsPerMinute16kHzToyCar: { before: perMinute(14_400, 32, stock), after: perMinute(14_400, 32, ours) },
      int8: await int8Ms(paper, paperShape, 5),
    },
    frameStack: { stepMs: round(fsStep), epochsPerMinuteToyCarHop5: perMinute(67_500, 128, fsStep), int8: await int8Ms(fs, fsShape, 50) },
  };
  paper.dispose();
  fs.dispose();
  return result;
}
