import type { Argv, CommandModule } from 'yargs';
import { datasetOptions, withDatasetFlags, type DatasetArgs } from './dataset-flags.js';
import { cancellable } from '../interrupt.js';

export interface EvalArgs extends DatasetArgs {
  run: string;
  data?: string;
  test?: string;
  aggregate?: 'mean' | 'max';
  score?: string;
  pool?: string;
  out?: string;
  cache?: string;
}

export const evalCommand: CommandModule<object, EvalArgs> = {
  command: 'eval',
  describe:
    'Evaluate a trained run on its test set (or --test DIR): ROC AUC, pAUC, Youden J, per section/domain and the DCASE score; float and int8 side by side',
  builder: (y: Argv) =>
    withDatasetFlags(y)
      .option('run', { type: 'string', demandOption: true, describe: 'Run folder written by tinypdm train' })
      .option('data', { type: 'string', describe: "The dataset folder the run was trained on: its test set is the run's (tinypdm.json)" })
      .option('test', {
        type: 'string',
        describe:
          'Instead of --data: any other folder of labelled clips, in any layout (its test split where it defines one, else every clip)',
      })
      .option('aggregate', {
        choices: ['mean', 'max'] as const,
        describe: 'Clip score from its window scores (default mean; --pool max is the same as max)',
      })
      .option('score', {
        type: 'string',
        describe:
          "Window score instead of the run's: mse, mahalanobis or mahalanobis:K (fitted on the run's training clips if the run has no such error model)",
      })
      .option('pool', { type: 'string', describe: "Clip pooling instead of the run's: mean, max, median or pNN (e.g. p90)" })
      .option('out', {
        alias: 'o',
        type: 'string',
        describe: 'Output folder (default RUN/eval, or RUN/eval-<name of the --test folder>; new, empty, or an earlier eval output)',
      })
      .option('cache', { type: 'string', describe: 'Feature cache folder (default DATA/.cache/tinypdm)' })
      .example('$0 eval --run run --data data', 'eval.json, eval.md, roc.svg, roc.png in run/eval')
      .example(
        '$0 eval --run run --test eval_data/ToyCar --labels dcase2023_task2_evaluator',
        'an evaluation set with its ground truth, in run/eval-ToyCar',
      ) as unknown as Argv<EvalArgs>,
  handler: async (args) => {
    const { evaluate } = await import('../../evaluate/index.js');
    const r = await cancellable((signal) =>
      evaluate({
        run: args.run,
        ...(args.data !== undefined ? { data: args.data } : {}),
        ...(args.test !== undefined ? { test: args.test } : {}),
        ...(args.aggregate ? { aggregate: args.aggregate } : {}),
        ...(args.score ? { score: args.score } : {}),
        ...(args.pool ? { pool: args.pool } : {}),
        dataset: datasetOptions(args),
        ...(args.out !== undefined ? { out: args.out } : {}),
        ...(args.cache ? { cacheDir: args.cache } : {}),
        log: (line) => process.stdout.write(`${line}\n`),
        signal,
      }),
    );
    for (const [name, m] of [
      ['all', r.report],
      ...Object.entries(r.report.perType),
      ...Object.entries(r.report.perDomain ?? {}),
    ] as const) {
      process.stdout.write(
        `${name}: AUC float ${m.float.auc.toFixed(4)} int8 ${m.int8.auc.toFixed(4)}; pAUC float ${m.float.partialAuc.toFixed(4)} int8 ${m.int8.partialAuc.toFixed(4)}\n`,
      );
    }
    const d = r.report.dcase;
    if (d) {
      const f = (x: number | null) => (x === null ? '–' : x.toFixed(4));
      for (const s of d.sections) {
        const dom = s.float.domains.map((x, i) => `, AUC (${x.domain}) float ${f(x.auc)} int8 ${f(s.int8.domains[i]!.auc)}`).join('');
        process.stdout.write(
          `section ${s.section}: AUC float ${f(s.float.auc)} int8 ${f(s.int8.auc)}${dom}; pAUC float ${f(s.float.partialAucMcClish)} int8 ${f(s.int8.partialAucMcClish)}\n`,
        );
      }
      process.stdout.write(`official score (DCASE): float ${f(d.official.float.value)} int8 ${f(d.official.int8.value)}\n`);
    }
  },
};
