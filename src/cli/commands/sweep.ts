import type { Argv, CommandModule } from 'yargs';
import { fail } from '../../util/index.js';
import { cancellable } from '../interrupt.js';
import { SWEEP_DEFAULT_RATES, TRAIN_DEFAULTS } from '../../defaults.js';
import { datasetOptions, withDatasetFlags, type DatasetArgs } from './dataset-flags.js';

export interface SweepArgs extends DatasetArgs {
  data: string;
  rates: string;
  rounds: number;
  jobs?: number;
  epochs: number;
  fit?: string;
  out: string;
  cache?: string;
  opt: boolean;
  prune: string;
  cluster: string;
  pruneChannels: string;
  finetune: number;
}

export const sweepCommand: CommandModule<object, SweepArgs> = {
  command: 'sweep',
  describe:
    "Train and evaluate across sample rates (the paper's Table 1): AUC float/int8, size, MACs, arena, Cortex-M4 compute; CSV, Markdown, plots",
  builder: (y: Argv) =>
    withDatasetFlags(y)
      .option('data', {
        type: 'string',
        demandOption: true,
        describe: 'Dataset folder (normal/ and anomaly/<type>/, or a DCASE, MIMII or ToyADMOS folder: --layout)',
      })
      .option('rates', { type: 'string', default: SWEEP_DEFAULT_RATES.join(','), describe: 'Comma-separated target rates, Hz' })
      .option('rounds', { type: 'number', default: 3, describe: 'Trainings per rate (seeds 1..N)' })
      .option('jobs', { type: 'number', describe: 'Worker processes (default: up to 2 cores)' })
      .option('epochs', { type: 'number', default: TRAIN_DEFAULTS.epochs })
      .option('fit', { type: 'string', describe: 'Board name (nano33ble): also train the largest n_mels × frames that fits it' })
      .option('out', { alias: 'o', type: 'string', default: 'sweep', describe: 'Output folder (new, empty, or an earlier sweep output)' })
      .option('cache', { type: 'string', describe: 'Feature cache folder (default DATA/.cache/tinypdm)' })
      .option('opt', {
        type: 'boolean',
        default: false,
        describe:
          "Also optimise each trained run over --prune-channels × --prune × --cluster (emit's passes, fine-tuned) with Pareto plots of AUC vs flash and vs M4 instructions",
      })
      .option('prune', { type: 'string', default: '0,0.5,0.75', describe: 'With --opt: comma-separated sparsities (0 = no pruning)' })
      .option('cluster', { type: 'string', default: '0,16', describe: 'With --opt: comma-separated centroid counts (0 = no clustering)' })
      .option('prune-channels', {
        type: 'string',
        default: '0,0.5',
        describe: 'With --opt: comma-separated fractions of conv filters to remove (0 = none)',
      })
      .option('finetune', {
        type: 'number',
        default: 10,
        describe: 'With --opt: fine-tuning epochs per optimised point (0 = none); 5 proved too few for 50% pruning on the demo run',
      })
      .example(
        '$0 sweep --data data --rates 6000,1500 --rounds 1 --opt --prune 0,0.5 --cluster 0,16',
        'also opt-sweep.md/.csv, pareto-flash.png, pareto-m4.png',
      )
      .example(
        '$0 sweep --data data --rounds 3 --fit nano33ble',
        'sweep.md, sweep.csv, auc-vs-rate.png, compute-vs-rate.png in sweep/',
      ) as unknown as Argv<SweepArgs>,
  handler: async (args) => {
    const { sweep } = await import('../../experiments/index.js');
    const rates = args.rates.split(',').map((s) => Number(s.trim()));
    rates.every((r) => Number.isInteger(r) && r > 0) ||
      fail('BAD_ARGUMENT', `--rates "${args.rates}": expected comma-separated positive integers, e.g. 24000,6000,1500`);
    const list = (flag: string, v: string) => {
      const xs = v.split(',').map((x) => Number(x.trim()));
      xs.every((x) => Number.isFinite(x)) || fail('BAD_ARGUMENT', `--${flag} "${v}": expected comma-separated numbers, e.g. 0,0.5`);
      return xs;
    };
    (Number.isInteger(args.finetune) && args.finetune >= 0) ||
      fail('BAD_ARGUMENT', `--finetune ${args.finetune}: expected a whole number of epochs (0 = no fine-tuning)`);
    const opt = args.opt
      ? {
          prune: list('prune', args.prune),
          cluster: list('cluster', args.cluster),
          pruneChannels: list('prune-channels', args.pruneChannels),
          finetune: args.finetune,
        }
      : undefined;
    const r = await cancellable((signal) =>
      sweep({
        data: args.data,
        dataset: datasetOptions(args),
        rates,
        rounds: args.rounds,
        epochs: args.epochs,
        out: args.out,
        ...(args.jobs !== undefined ? { jobs: args.jobs } : {}),
        ...(opt ? { opt } : {}),
        ...(args.fit ? { fit: args.fit } : {}),
        ...(args.cache ? { cacheDir: args.cache } : {}),
        log: (line) => process.stdout.write(`${line}\n`),
        signal,
      }),
    );
    process.stdout.write(`wrote ${r.files.join(', ')} to ${args.out}\n`);
  },
};
