import type { Argv, CommandModule } from 'yargs';
import { cancellable } from '../interrupt.js';
import { TRAIN_DEFAULTS } from '../../defaults.js';
import { datasetOptions, withDatasetFlags, type DatasetArgs } from './dataset-flags.js';

export interface TrainArgs extends DatasetArgs {
  data: string;
  rate: number;
  out: string;
  epochs: number;
  batchSize: number;
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
}

export const trainCommand: CommandModule<object, TrainArgs> = {
  command: 'train',
  describe: 'Train the anomaly-detection autoencoder on a dataset folder at a target sample rate, with the device front-end\'s features',
  builder: (y: Argv) =>
    withDatasetFlags(y)
      .option('data', { type: 'string', demandOption: true, describe: 'Dataset folder: normal/*.wav, or a DCASE, MIMII or ToyADMOS folder (--layout); only normal training clips are trained on' })
      .option('rate', { type: 'number', demandOption: true, describe: 'Target sample rate the model sees, Hz (e.g. 6000)' })
      .option('out', { alias: 'o', type: 'string', demandOption: true, describe: 'Run folder: model.json, tinypdm.json, calib.npy (new, empty, or an earlier train output)' })
      .option('epochs', { type: 'number', default: TRAIN_DEFAULTS.epochs })
      .option('batch-size', { type: 'number', default: TRAIN_DEFAULTS.batchSize })
      .option('lr', { type: 'number', default: TRAIN_DEFAULTS.learningRate, describe: 'Adam learning rate' })
      .option('patience', { type: 'number', default: TRAIN_DEFAULTS.patience, describe: 'Early stopping: epochs without a better validation loss' })
      .option('seed', { type: 'number', default: TRAIN_DEFAULTS.seed, describe: 'Seeds the split, the initial weights and the shuffles' })
      .option('arch', { type: 'string', describe: 'JSON layer list file instead of the paper autoencoder' })
      .option('features', { choices: ['fixed', 'float'] as const, default: 'fixed' as const, describe: 'fixed: the device front-end\'s bit-exact twin; float: the librosa-compatible reference' })
      .option('paper', { type: 'boolean', default: false, describe: 'The paper\'s exact features (n_fft 2048, hop 512, 256 Mel, whole clips, float); does not fit the Nano' })
      .option('n-mels', { type: 'number', describe: 'Mel bands (default 32)' })
      .option('frames', { type: 'number', describe: 'Frames per model window (default 32)' })
      .option('window-hop', { type: 'number', describe: 'Frames between windows (default frames/2)' })
      .option('n-fft', { type: 'number', describe: 'FFT size at the target rate (default 1024 at 6000 Hz; elsewhere the power of two nearest 4·hop, up to 2048)' })
      .option('hop', { type: 'number', describe: 'Frame hop at the target rate (default 256 at 6000 Hz, scaled with the rate so a window spans 1.37 s at every rate, e.g. 683 at 16000 Hz)' })
      .option('cache', { type: 'string', describe: 'Feature cache folder (default DATA/.cache/tinypdm)' })
      .example('$0 train --data data --rate 6000 --out run', 'paper autoencoder on 32×32 device features at 6 kHz')
      .example('$0 train --data dev_data/ToyCar --rate 16000 --out run', 'a DCASE machine folder: its own train/test split') as unknown as Argv<TrainArgs>,
  handler: async (args) => {
    const [{ train }, { trainingProgress }] = await Promise.all([import('../../learn/index.js'), import('../progress.js')]);
    const progress = trainingProgress();
    await cancellable((signal) => train({
      data: args.data, rate: args.rate, out: args.out, epochs: args.epochs, batchSize: args.batchSize, learningRate: args.lr, patience: args.patience, seed: args.seed,
      mode: args.paper ? 'float' : args.features, paper: args.paper, dataset: datasetOptions(args),
      ...optional({ arch: args.arch, nMels: args.nMels, frames: args.frames, windowHop: args.windowHop, nFft: args.nFft, hop: args.hop, cacheDir: args.cache }),
      log: (line) => process.stdout.write(`${line}\n`),
      ...progress.callbacks,
      signal,
    })).finally(() => progress.stop());
  },
};

function optional<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
