import type { Argv, CommandModule } from 'yargs';
import { cancellable } from '../interrupt.js';
import { datasetOptions, withDatasetFlags, type DatasetArgs } from './dataset-flags.js';

export interface TuneArgs extends DatasetArgs {
  data: string;
  rate: number;
  out: string;
  board: string;
  space: 'quick' | 'full';
  archs?: string;
  scores?: string;
  pools?: string;
  epochs?: number;
  seed: number;
  rounds: number;
  valData?: string;
  cache?: string;
}

const list = (s: string | undefined) =>
  s === undefined
    ? undefined
    : s
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x.length > 0);

export const tuneCommand: CommandModule<object, TuneArgs> = {
  command: 'tune',
  describe:
    "Search architectures, normalisation, augmentation, distillation and scoring under the board's budget on your data; write a ranked table, Pareto plots and the winning run",
  builder: (y: Argv) =>
    withDatasetFlags(y)
      .option('data', {
        type: 'string',
        demandOption: true,
        describe:
          'Dataset folder (tinypdm, DCASE, MIMII or ToyADMOS layout: --layout); trains on its own split where it defines one, its test anomalies go into the report only',
      })
      .option('rate', { type: 'number', demandOption: true, describe: "Target sample rate, Hz (16000: the Nano's microphone rate)" })
      .option('out', {
        alias: 'o',
        type: 'string',
        demandOption: true,
        describe: 'Output folder: tune.csv, tune.md, pareto-*.png, runs/, best/ (new, empty, or an earlier tune output)',
      })
      .option('board', { type: 'string', default: 'nano33ble', describe: 'Board whose RAM and real-time budget a winner must fit' })
      .option('space', {
        choices: ['quick', 'full'] as const,
        default: 'quick' as const,
        describe: 'quick: paper and frame-stack × global and band normalisation; full: also augmentation and distillation',
      })
      .option('archs', { type: 'string', describe: 'Architectures to search, comma-separated (default paper,frame-stack)' })
      .option('scores', { type: 'string', describe: 'Window scores to compare (default mse,mahalanobis,mahalanobis:8)' })
      .option('pools', { type: 'string', describe: 'Clip poolings to compare (default mean,max,p90)' })
      .option('epochs', { type: 'number', describe: 'Epochs per training run (default 30; early stopping on validation loss)' })
      .option('seed', { type: 'number', default: 1 })
      .option('rounds', { type: 'number', default: 1, describe: 'Seeds per recipe' })
      .option('val-data', {
        type: 'string',
        describe: 'Labelled folder (normal/, anomaly/<type>/) to rank on; default: synthetic anomalies of the validation normals',
      })
      .option('cache', { type: 'string', describe: 'Feature cache folder (default DATA/.cache/tinypdm)' })
      .example(
        '$0 tune --data my-machine --rate 16000 --out tune',
        'rank the quick space, then: tinypdm emit tune/best/model.json --board nano33ble --out build',
      ) as unknown as Argv<TuneArgs>,
  handler: async (args) => {
    const { tune } = await import('../../experiments/index.js');
    const r = await cancellable((signal) =>
      tune({
        data: args.data,
        dataset: datasetOptions(args),
        rate: args.rate,
        out: args.out,
        board: args.board,
        space: args.space,
        seed: args.seed,
        rounds: args.rounds,
        ...(list(args.archs) ? { archs: list(args.archs)! } : {}),
        ...(list(args.scores) ? { scores: list(args.scores)! } : {}),
        ...(list(args.pools) ? { pools: list(args.pools)! } : {}),
        ...(args.epochs !== undefined ? { epochs: args.epochs } : {}),
        ...(args.valData ? { valData: args.valData } : {}),
        ...(args.cache ? { cacheDir: args.cache } : {}),
        log: (line) => process.stdout.write(`${line}\n`),
        signal,
      }),
    );
    process.stdout.write(`wrote ${r.files.join(', ')} to ${args.out}\n`);
  },
};
