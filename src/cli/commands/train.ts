import type { LayersModel } from '@tensorflow/tfjs';
import type { Argv, CommandModule } from 'yargs';
import { cancellable } from '../interrupt.js';
import { TRAIN_DEFAULTS } from '../../defaults.js';
import { datasetOptions, withDatasetFlags, type DatasetArgs } from './dataset-flags.js';

export interface TrainArgs extends DatasetArgs {
  data: string;
  rate: number;
  out: string;
  epochs: number;
  batchSize?: number;
  lr: number;
  patience: number;
  seed: number;
  arch?: string;
  features: 'fixed' | 'float';
  paper: boolean;
  nMels?: number;
  frames?: number;
  windowHop?: number;
  nFft?: number;
  hop?: number;
  cache?: string;
  score?: string;
  pool?: string;
  norm?: 'global' | 'band';
  trainWindowHop?: number;
  augmentGain?: number;
  augmentNoise?: number;
  teacher?: string;
  distill?: number;
}

export const trainCommand: CommandModule<object, TrainArgs> = {
  command: 'train',
  describe: "Train the anomaly-detection autoencoder on a dataset folder at a target sample rate, with the device front-end's features",
  builder: (y: Argv) =>
    withDatasetFlags(y)
      .option('data', {
        type: 'string',
        demandOption: true,
        describe:
          'Dataset folder: normal/*.wav, or a DCASE, MIMII or ToyADMOS folder (--layout); only normal training clips are trained on',
      })
      .option('rate', { type: 'number', demandOption: true, describe: 'Target sample rate the model sees, Hz (e.g. 6000)' })
      .option('out', {
        alias: 'o',
        type: 'string',
        demandOption: true,
        describe: 'Run folder: model.json, tinypdm.json, calib.npy (new, empty, or an earlier train output)',
      })
      .option('epochs', { type: 'number', default: TRAIN_DEFAULTS.epochs })
      .option('batch-size', {
        type: 'number',
        describe: `Windows per training step (default ${TRAIN_DEFAULTS.batchSize}, lowered with a note when the wasm heap cannot hold it)`,
      })
      .option('lr', { type: 'number', default: TRAIN_DEFAULTS.learningRate, describe: 'Adam learning rate' })
      .option('patience', {
        type: 'number',
        default: TRAIN_DEFAULTS.patience,
        describe: 'Early stopping: epochs without a better validation loss',
      })
      .option('seed', { type: 'number', default: TRAIN_DEFAULTS.seed, describe: 'Seeds the split, the initial weights and the shuffles' })
      .option('arch', {
        type: 'string',
        describe:
          "'paper' (default: the paper's conv autoencoder), 'frame-stack' (the DCASE / MLPerf Tiny dense autoencoder on 5 frames of 128 Mel; sets those features unless given) or a JSON layer-list file",
      })
      .option('features', {
        choices: ['fixed', 'float'] as const,
        default: 'fixed' as const,
        describe: "fixed: the device front-end's bit-exact twin; float: the librosa-compatible reference",
      })
      .option('paper', {
        type: 'boolean',
        default: false,
        describe: "The paper's exact features (n_fft 2048, hop 512, 256 Mel, whole clips, float); does not fit the Nano",
      })
      .option('n-mels', { type: 'number', describe: 'Mel bands (default 32)' })
      .option('frames', { type: 'number', describe: 'Frames per model window (default 32)' })
      .option('window-hop', { type: 'number', describe: 'Frames between windows (default frames/2)' })
      .option('n-fft', {
        type: 'number',
        describe: 'FFT size at the target rate (default 1024 at 6000 Hz; elsewhere the power of two nearest 4·hop, up to 2048)',
      })
      .option('hop', {
        type: 'number',
        describe:
          'Frame hop at the target rate (default 256 at 6000 Hz, scaled with the rate so a window spans 1.37 s at every rate, e.g. 683 at 16000 Hz)',
      })
      .option('cache', { type: 'string', describe: 'Feature cache folder (default DATA/.cache/tinypdm)' })
      .option('score', {
        type: 'string',
        describe: 'Window score the run ships with: mse, mahalanobis (diagonal) or mahalanobis:K (rank K); eval and the sketch use it',
      })
      .option('train-window-hop', {
        type: 'number',
        describe:
          'Frames between training windows (default: --window-hop); larger = fewer, less overlapping windows, faster epochs on long clips',
      })
      .option('norm', {
        choices: ['global', 'band'] as const,
        describe:
          "Input normalisation: global (the training dB range onto [0, 1], default) or band (each Mel band's mean ± 4 std onto [0, 1], realised by the front-end's per-band tables)",
      })
      .option('augment-gain', {
        type: 'number',
        describe: 'Gain augmentation: shift each training window by up to ± this many dB (0 = off)',
      })
      .option('augment-noise', {
        type: 'number',
        describe: 'Noise augmentation: Gaussian noise of this std on the normalised [0, 1] input, target clean (0 = off; try 0.02)',
      })
      .option('teacher', {
        type: 'string',
        describe: 'Knowledge distillation: run folder of a trained (larger) teacher on the same data and features',
      })
      .option('distill', {
        type: 'number',
        describe: "Weight of matching the teacher's reconstruction in the loss, 0..1 (default 0.5 with --teacher)",
      })
      .option('pool', {
        type: 'string',
        describe:
          "Clip score from its windows: mean, max, median or pNN (e.g. p90); eval pools whole clips, the sketch the last clip's worth of windows",
      })
      .example('$0 train --data data --rate 6000 --out run', 'paper autoencoder on 32×32 device features at 6 kHz')
      .example(
        '$0 train --data dev_data/ToyCar --rate 16000 --out run',
        'a DCASE machine folder: its own train/test split',
      ) as unknown as Argv<TrainArgs>,
  handler: async (args) => {
    const [{ train }, { trainingProgress }] = await Promise.all([import('../../learn/index.js'), import('../progress.js')]);
    // A teacher run's model.json is read with the compiler's bounded TF.js reader.
    const teacher = args.teacher === undefined ? undefined : { run: args.teacher, loadModel: await teacherLoader() };
    const progress = trainingProgress();
    await cancellable((signal) =>
      train({
        data: args.data,
        rate: args.rate,
        out: args.out,
        epochs: args.epochs,
        learningRate: args.lr,
        patience: args.patience,
        seed: args.seed,
        mode: args.paper ? 'float' : args.features,
        paper: args.paper,
        dataset: datasetOptions(args),
        ...optional({
          batchSize: args.batchSize,
          arch: args.arch,
          nMels: args.nMels,
          frames: args.frames,
          windowHop: args.windowHop,
          nFft: args.nFft,
          hop: args.hop,
          cacheDir: args.cache,
          score: args.score,
          pool: args.pool,
          norm: args.norm,
          trainWindowHop: args.trainWindowHop,
          augmentGainDb: args.augmentGain,
          augmentNoise: args.augmentNoise,
          distill: args.distill,
        }),
        ...(teacher ? { teacher } : {}),
        log: (line) => process.stdout.write(`${line}\n`),
        ...progress.callbacks,
        signal,
      }),
    ).finally(() => progress.stop());
  },
};

async function teacherLoader(): Promise<(modelJson: string) => Promise<LayersModel>> {
  const [tf, { fileIOHandler }] = await Promise.all([import('@tensorflow/tfjs'), import('../../compiler/index.js')]);
  return (modelJson) => tf.loadLayersModel(fileIOHandler(modelJson));
}

function optional<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
