import type { Argv } from 'yargs';
import type { DatasetOptions } from '../../data/index.js';

/** `--layout`, `--machine`, `--channel`, `--labels`: how a dataset folder is read (train, eval, sweep). */
export interface DatasetArgs {
  layout: 'auto' | 'tinypdm' | 'dcase' | 'mimii' | 'toyadmos';
  machine?: string;
  channel?: number;
  labels?: string[];
}

export function withDatasetFlags<T>(y: Argv<T>): Argv<T & DatasetArgs> {
  return y
    .option('layout', {
      choices: ['auto', 'tinypdm', 'dcase', 'mimii', 'toyadmos'] as const,
      default: 'auto' as const,
      describe:
        'Dataset layout: tinypdm (normal/, anomaly/<type>/), dcase (<machine>/train, test), mimii (<machine>/id_XX/{normal,abnormal}), toyadmos (case*/NormalSound_IND, AnomalousSound_IND); auto detects it from folder and file names',
    })
    .option('machine', {
      type: 'string',
      describe: 'The machine to use when the folder holds several (e.g. fan); names the machine in ground-truth CSVs',
    })
    .option('channel', {
      type: 'number',
      describe: "Microphone, 0-based: MIMII's channel in its 8-channel files, ToyADMOS' _ch{N+1}_ files (default 0)",
    })
    .option('labels', {
      type: 'string',
      array: true,
      describe:
        'Ground truth for DCASE evaluation-set clips (section_00_0000.wav): ground_truth_*.csv files or the dcase20XX_task2_evaluator folder (repeatable)',
    }) as unknown as Argv<T & DatasetArgs>;
}

export function datasetOptions(args: DatasetArgs): DatasetOptions {
  return {
    layout: args.layout,
    ...(args.machine !== undefined ? { machine: args.machine } : {}),
    ...(args.channel !== undefined ? { channel: args.channel } : {}),
    ...(args.labels !== undefined && args.labels.length > 0 ? { labels: args.labels } : {}),
  };
}
