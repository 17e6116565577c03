import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { fail } from '../../errors.js';
import { DEFAULT_SKETCH_NAME } from '../../defaults.js';
import { writeFileAtomic } from '../../util/atomic.js';
import { VERSION } from '../../version.js';

interface CiArgs {
  rates: string;
  runs: string;
  out: string;
  board: string;
  sketchName: string;
  runtime: 'c' | 'tflm';
}

export const ciCommand: CommandModule<object, CiArgs> = {
  command: 'ci',
  describe: 'Write a GitHub Actions workflow that emits and compiles the firmware for every chosen sample rate',
  builder: (y: Argv) =>
    y
      .option('rates', { type: 'string', default: '6000,3000', describe: 'Comma-separated sample rates (Hz); one run per rate in <runs>/<rate>/' })
      .option('runs', { type: 'string', default: 'runs', describe: 'Folder of training runs, relative to the repository root' })
      .option('out', { type: 'string', default: '.github/workflows/firmware.yml', describe: 'Where to write the workflow' })
      .option('board', { type: 'string', default: 'nano33ble' })
      .option('sketch-name', { type: 'string', default: DEFAULT_SKETCH_NAME })
      .option('runtime', { choices: ['c', 'tflm'] as const, default: 'c' as const, describe: 'How the sketches run the model (emit --runtime); tflm also installs Arduino_TensorFlowLite' })
      .example('$0 ci --rates 6000,3000 --runs runs', 'a matrix job per rate: tinypdm emit --board, then arduino-cli compile') as unknown as Argv<CiArgs>,
  handler: async (args) => {
    const { renderFirmwareWorkflow } = await import('../../codegen/workflow.js');
    const rates = args.rates.split(',').map((s) => s.trim()).filter(Boolean).map((s) => (/^\d+$/.test(s) ? Number(s) : fail('BAD_ARGUMENT', `--rates ${JSON.stringify(args.rates)}: "${s}" is not a whole number of Hz; e.g. --rates 6000,3000`)));
    const command = `tinypdm ci --rates ${rates.join(',')} --runs ${args.runs}${args.runtime === 'tflm' ? ' --runtime tflm' : ''}`;
    const yaml = renderFirmwareWorkflow({ rates, runsDir: args.runs, board: args.board, sketchName: args.sketchName, runtime: args.runtime, version: VERSION, command });
    await mkdir(path.dirname(path.resolve(args.out)), { recursive: true });
    await writeFileAtomic(args.out, yaml);
    process.stdout.write(`wrote ${path.normalize(args.out)}: firmware for ${rates.join(', ')} Hz on each push\n`);
  },
};
