import type { Argv, CommandModule } from 'yargs';
import { fail } from '../../errors.js';
import { SWEEP_DEFAULT_RATES, TRAIN_DEFAULTS } from '../../defaults.js';

interface SweepArgs {
  data: string;
  rates: string;
  rounds: number;
  jobs?: number;
  epochs: number;
  fit?: string;
  out: string;
  cache?: string;
}

export const sweepCommand: CommandModule<object, SweepArgs> = {
  command: 'sweep',
  describe: 'Train and evaluate across sample rates (the paper\'s Table 1): AUC float/int8, size, MACs, arena, Cortex-M4 compute; CSV, Markdown, plots',
  builder: (y: Argv) =>
    y
      .option('data', { type: 'string', demandOption: true, describe: 'Dataset folder (normal/ and anomaly/<type>/)' })
      .option('rates', { type: 'string', default: SWEEP_DEFAULT_RATES.join(','), describe: 'Comma-separated target rates, Hz' })
      .option('rounds', { type: 'number', default: 3, describe: 'Trainings per rate (seeds 1..N)' })
      .option('jobs', { type: 'number', describe: 'Worker processes (default: up to 2 cores)' })
      .option('epochs', { type: 'number', default: TRAIN_DEFAULTS.epochs })
      .option('fit', { type: 'string', describe: 'Board name (nano33ble): also train the largest n_mels × frames that fits it' })
      .option('out', { alias: 'o', type: 'string', default: 'sweep', describe: 'Output folder' })
      .option('cache', { type: 'string', describe: 'Feature cache folder (default DATA/.cache/tinypdm)' })
      .example('$0 sweep --data data --rounds 3 --fit nano33ble', 'sweep.md, sweep.csv, auc-vs-rate.png, compute-vs-rate.png in sweep/') as unknown as Argv<SweepArgs>,
  handler: async (args) => {
    const { sweep } = await import('../../train/sweep.js');
    const rates = args.rates.split(',').map((s) => Number(s.trim()));
    rates.every((r) => Number.isInteger(r) && r > 0) || fail('BAD_ARGUMENT', `--rates "${args.rates}": expected comma-separated positive integers, e.g. 24000,6000,1500`);
    const r = await sweep({
      data: args.data, rates, rounds: args.rounds, epochs: args.epochs, out: args.out,
      ...(args.jobs !== undefined ? { jobs: args.jobs } : {}), ...(args.fit ? { fit: args.fit } : {}), ...(args.cache ? { cacheDir: args.cache } : {}),
      log: (line) => process.stdout.write(`${line}\n`),
    });
    process.stdout.write(`wrote ${r.files.join(', ')} to ${args.out}\n`);
  },
};
