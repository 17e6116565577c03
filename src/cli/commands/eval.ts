import type { Argv, CommandModule } from 'yargs';
import { cancellable } from '../interrupt.js';

interface EvalArgs {
  run: string;
  data: string;
  aggregate: 'mean' | 'max';
  out?: string;
  cache?: string;
}

export const evalCommand: CommandModule<object, EvalArgs> = {
  command: 'eval',
  describe: 'Evaluate a trained run on its test normals and every anomaly: ROC AUC, pAUC, Youden J; float and int8 side by side',
  builder: (y: Argv) =>
    y
      .option('run', { type: 'string', demandOption: true, describe: 'Run folder written by tinypdm train' })
      .option('data', { type: 'string', demandOption: true, describe: 'The dataset folder the run was trained on' })
      .option('aggregate', { choices: ['mean', 'max'] as const, default: 'mean' as const, describe: 'Clip score from its window scores' })
      .option('out', { alias: 'o', type: 'string', describe: 'Output folder (default RUN/eval; new, empty, or an earlier eval output)' })
      .option('cache', { type: 'string', describe: 'Feature cache folder (default DATA/.cache/tinypdm)' })
      .example('$0 eval --run run --data data', 'eval.json, eval.md, roc.svg, roc.png in run/eval') as unknown as Argv<EvalArgs>,
  handler: async (args) => {
    const { evaluate } = await import('../../train/evaluate.js');
    const r = await cancellable((signal) => evaluate({
      run: args.run, data: args.data, aggregate: args.aggregate,
      ...(args.out !== undefined ? { out: args.out } : {}), ...(args.cache ? { cacheDir: args.cache } : {}),
      log: (line) => process.stdout.write(`${line}\n`),
      signal,
    }));
    for (const [name, m] of [['all', r.report], ...Object.entries(r.report.perType)] as const) {
      process.stdout.write(`${name}: AUC float ${m.float.auc.toFixed(4)} int8 ${m.int8.auc.toFixed(4)}; pAUC float ${m.float.partialAuc.toFixed(4)} int8 ${m.int8.partialAuc.toFixed(4)}\n`);
    }
  },
};
