import type { Argv, CommandModule } from 'yargs';
import { fail } from '../../util/index.js';
import type { VerifyReport } from '../../verify/index.js';

export interface VerifyArgs {
  model: string;
  calib?: string;
  random: number;
  seed: number;
  json: boolean;
}

export const verifyCommand: CommandModule<object, VerifyArgs> = {
  command: 'verify <model>',
  describe: 'Run an int8 .tflite in the real TFLite runtime and in the tinypdm reference interpreter and compare them',
  builder: (y: Argv) =>
    y
      .positional('model', { type: 'string', demandOption: true, describe: 'The .tflite to check' })
      .option('calib', { type: 'string', describe: 'Float inputs (.npy) to run besides the random ones' })
      .option('random', { type: 'number', default: 16, describe: 'Seeded random inputs to add' })
      .option('seed', { type: 'number', default: 1 })
      .option('json', { type: 'boolean', default: false, describe: 'Print the report as JSON' })
      .example('$0 verify build/model.tflite --calib calib.npy', 'fails (exit 1) above 1 LSB or below 99% identical outputs') as unknown as Argv<VerifyArgs>,
  handler: async (args) => {
    const { verifyModel } = await import('../../verify/index.js');
    const r = await verifyModel({
      modelPath: args.model,
      ...(args.calib ? { calibPath: args.calib } : {}),
      randomInputs: args.random,
      seed: args.seed,
      maxLsb: 1,
      minIdenticalShare: 0.99,
    });
    const a = r.agreement;
    if (args.json) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    else {
      process.stdout.write(
        `verify ${r.model}: ${r.inputs.calibration} calibration + ${r.inputs.random} random inputs\n` +
          r.perOp.map((o) => `  op ${o.index} ${o.kind} (${o.name}): ${(o.agreement.identicalShare * 100).toFixed(2)}% identical, max ${o.agreement.maxLsb} LSB${heldNote(o, r)}\n`).join('') +
          (r.runtimeRounded.count > 0 ? `  ops TFLite rounds its own way: max |diff| ${r.runtimeRounded.maxLsb} LSB\n` : '') +
          `  every ${r.runtimeRounded.count > 0 ? 'other ' : ''}op on identical inputs vs TFLite: ${(a.identicalShare * 100).toFixed(2)}% of ${a.count} outputs identical, max |diff| ${a.maxLsb} LSB\n` +
          `  whole model vs TFLite: ${(r.endToEnd.identicalShare * 100).toFixed(2)}% identical, max |diff| ${r.endToEnd.maxLsb} LSB (earlier ops' rounding propagates)\n` +
          (r.floatError ? `  int8 vs float model: max |err| ${r.floatError.maxAbs.toPrecision(4)}, RMSE ${r.floatError.rmse.toPrecision(4)} (${(r.floatError.relativeRmse * 100).toFixed(2)}% of RMS)\n` : '') +
          `  ${r.passed ? 'PASS' : 'FAIL'} (tolerance ≤ ${r.tolerance.maxLsb} LSB, ≥ ${r.tolerance.minIdenticalShare * 100}% identical)\n`,
      );
    }
    if (!r.passed) {
      const maxLsb = Math.max(a.maxLsb, r.runtimeRounded.maxLsb);
      fail('VERIFY_FAILED', `${r.model}: max |diff| ${maxLsb} LSB, ${(a.identicalShare * 100).toFixed(2)}% identical; the reference interpreter and TFLite disagree beyond tolerance — please report this model`);
    }
  },
};

/** After an op the runtime rounds its own way: why, and that only the LSB bound applies to it. */
function heldNote(o: VerifyReport['perOp'][number], r: VerifyReport): string {
  return o.runtimeRounding ? ` (held to ${r.tolerance.maxLsb} LSB only: ${o.runtimeRounding})` : '';
}
