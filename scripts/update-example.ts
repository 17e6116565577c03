/**
 * The committed Arduino example (issue 4 §7):
 *   arduino/example-run/   a small training run: model.json + shard, tinypdm.json, calib.npy
 *   arduino/<sketch>/      the sketch `tinypdm emit --board nano33ble` makes from it
 *
 *   npx tsx scripts/update-example.ts            re-emit the sketch from the committed run
 *   npx tsx scripts/update-example.ts --retrain  rebuild the run first (synth → fixed features → train)
 *
 * test/sketch/example.test.ts re-emits into a temp dir and fails on any diff.
 * The run is a stand-in until the demo pipeline's `tinypdm train` run replaces
 * it: the paper's autoencoder at 32 Mel bands × 32 frames, trained for a few
 * epochs on a tiny synthetic conveyor set through the real synth and
 * fixed-point front-end code. It is small and honest, not a good detector.
 */
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFrontEndTables, fixedFeatures } from '../src/audio/fixed/index.js';
import { readWavInt16 } from '../src/audio/wav.js';
import { emit } from '../src/pipeline/emit.js';
import { MODEL_INPUT_QUANT, RUN_CONFIG_FILE, RUN_CONFIG_VERSION, frontEndSpecOf, type FeatureConfig, type RunConfig } from '../src/run-config.js';
import { encodeNpy } from '../src/util/npy.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const EXAMPLE_RUN = path.join(ROOT, 'arduino/example-run');
export const EXAMPLE_SKETCH_NAME = 'tinypdm_example';
export const EXAMPLE_OUT = path.join(ROOT, 'arduino');
/** The emit command as stamped into the example's banners. */
export const EXAMPLE_COMMAND = `tinypdm emit model.json --board nano33ble --sketch-name ${EXAMPLE_SKETCH_NAME}`;

const FEATURES: FeatureConfig = {
  mode: 'fixed',
  sampleRate: 8000,
  pdmRate: 16000,
  nFft: 512,
  hop: 256,
  nMels: 32,
  fmin: 0,
  fmax: 4000,
  topDb: 80,
  windowFrames: 32,
  windowHop: 16,
};
const SEED = 7;

/** Emits the example sketch from `runDir` into `outDir/<sketch>/` (and nothing else there). */
export async function emitExampleSketch(runDir: string, outDir: string): Promise<string> {
  const work = await mkdtemp(path.join(tmpdir(), 'tinypdm-example-'));
  try {
    const r = await emit({ model: path.join(runDir, 'model.json'), out: path.join(work, 'out'), io: 'int8', command: EXAMPLE_COMMAND, board: 'nano33ble', sketchName: EXAMPLE_SKETCH_NAME });
    const sketchDir = path.join(outDir, EXAMPLE_SKETCH_NAME);
    await rm(sketchDir, { recursive: true, force: true });
    for (const file of r.files.filter((f) => f.startsWith(`${EXAMPLE_SKETCH_NAME}/`))) {
      const dest = path.join(outDir, file);
      await mkdir(path.dirname(dest), { recursive: true });
      const { readFile } = await import('node:fs/promises');
      await writeFile(dest, await readFile(path.join(work, 'out', file)));
    }
    return sketchDir;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Synthesise a tiny dataset, extract device features, train the paper autoencoder briefly, write the run. */
async function retrain(runDir: string): Promise<void> {
  const { synthesizeDataset } = await import('../src/train/synth/index.js');
  const { initBackend } = await import('../src/train/backend.js');
  const { paperAutoencoder } = await import('../src/train/architectures.js');
  const { fitAutoencoder } = await import('../src/train/fit.js');
  const { youdenThreshold } = await import('../src/train/metrics/index.js');
  const { saveLayersModel } = await import('../src/model/loaders/index.js');
  const tf = await import('@tensorflow/tfjs');
  await initBackend();

  const data = await mkdtemp(path.join(tmpdir(), 'tinypdm-example-data-'));
  const manifest = await synthesizeDataset({ outDir: data, seed: SEED, normal: 16, anomaliesPerType: 2, durationSec: 3, sampleRate: FEATURES.pdmRate, difficulty: 0.2 });
  const pcm = manifest.clips.map((c) => ({ label: c.label, file: c.file, samples: readWavInt16(path.join(data, c.file)).samples }));

  // Normalisation: the dB range of the training clips maps onto [0, 1].
  const unit = buildFrontEndTables(frontEndSpecOf({ features: FEATURES, normalization: { a: 1, b: 0, dbMin: 0, dbMax: 1 }, inputQuant: MODEL_INPUT_QUANT }));
  const normals = pcm.filter((c) => c.label === 'normal');
  const train = normals.slice(0, 10);
  const val = normals.slice(10, 13);
  const test = [...normals.slice(13), ...pcm.filter((c) => c.label === 'anomaly')];
  let dbMin = Infinity;
  let dbMax = -Infinity;
  for (const c of train) for (const v of fixedFeatures(c.samples, unit).dbColumnsQ8) [dbMin, dbMax] = [Math.min(dbMin, v / 256), Math.max(dbMax, v / 256)];
  const a = 1 / (dbMax - dbMin);
  const normalization = { a, b: -dbMin * a, dbMin, dbMax };
  const tables = buildFrontEndTables(frontEndSpecOf({ features: FEATURES, normalization, inputQuant: MODEL_INPUT_QUANT }));
  const windowsOf = (clips: typeof pcm) => clips.flatMap((c) => fixedFeatures(c.samples, tables).windowsInt8);
  const toFloat = (ws: Int8Array[]) => {
    const out = new Float32Array(ws.length * ws[0]!.length);
    ws.forEach((w, i) => w.forEach((q, j) => (out[i * w.length + j] = MODEL_INPUT_QUANT.scale * (q - MODEL_INPUT_QUANT.zeroPoint))));
    return out;
  };
  const shape: [number, number, number] = [FEATURES.nMels, FEATURES.windowFrames, 1];
  const trainX = toFloat(windowsOf(train));
  const valX = toFloat(windowsOf(val));
  const model = paperAutoencoder(shape, SEED);
  const fit = await fitAutoencoder(model, { train: trainX, val: valX, shape }, { epochs: 8, batchSize: 8, learningRate: 2e-3, patience: Infinity, seed: SEED, progressBar: false });

  // Threshold: Youden's J over the held-out clips' window scores (float model).
  const scores: number[] = [];
  const labels: Array<0 | 1> = [];
  for (const c of test) {
    const ws = fixedFeatures(c.samples, tables).windowsInt8;
    const x = toFloat(ws);
    const y = tf.tidy(() => (model.predict(tf.tensor4d(x, [ws.length, ...shape])) as import('@tensorflow/tfjs').Tensor).dataSync());
    for (let i = 0; i < ws.length; i++) {
      let s = 0;
      for (let j = 0; j < ws[0]!.length; j++) s += (x[i * ws[0]!.length + j]! - y[i * ws[0]!.length + j]!) ** 2;
      scores.push(s / ws[0]!.length);
      labels.push(c.label === 'anomaly' ? 1 : 0);
    }
  }
  const op = youdenThreshold(scores, labels);

  await rm(runDir, { recursive: true, force: true });
  await mkdir(runDir, { recursive: true });
  await saveLayersModel(model, runDir);
  const calibWindows = windowsOf(train).filter((_, i) => i % 4 === 0).slice(0, 16);
  await writeFile(path.join(runDir, 'calib.npy'), encodeNpy([calibWindows.length, ...shape], toFloat(calibWindows)));
  const run: RunConfig = {
    tinypdm: RUN_CONFIG_VERSION,
    features: FEATURES,
    normalization,
    inputQuant: { ...MODEL_INPUT_QUANT },
    inputShape: shape,
    threshold: { value: op.threshold, method: `Youden's J on ${scores.length} held-out windows (example run, float model)` },
    seed: SEED,
    split: { train: train.map((c) => c.file), val: val.map((c) => c.file), test: test.map((c) => c.file) },
    history: { loss: fit.history.loss, valLoss: fit.history.valLoss, bestEpoch: fit.bestEpoch },
    training: { script: 'scripts/update-example.ts', architecture: 'paper', epochs: 8, batchSize: 8, learningRate: 2e-3, synth: { seed: SEED, normal: 16, anomaliesPerType: 2, durationSec: 3, difficulty: 0.2 } },
    calibration: 'calib.npy',
  };
  await writeFile(path.join(runDir, RUN_CONFIG_FILE), `${JSON.stringify(run, null, 2)}\n`);
  await rm(data, { recursive: true, force: true });
  process.stdout.write(`example run: Youden J ${op.j.toFixed(3)} at threshold ${op.threshold.toPrecision(4)}, ${scores.length} windows\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--retrain')) await retrain(EXAMPLE_RUN);
  const dir = await emitExampleSketch(EXAMPLE_RUN, EXAMPLE_OUT);
  process.stdout.write(`wrote ${path.relative(ROOT, dir)}\n`);
}
