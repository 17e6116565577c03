import type { Argv, CommandModule } from 'yargs';
import { fail } from '../../util/index.js';
import type { VerifyReport } from '../../verify/index.js';

export interface VerifyArgs {
  model: string;
  calib?: string;
  random: number;
  seed: number;
  maxFloatError?: number;
  floatModel?: string;
  json: boolean;
}

export const verifyCommand: CommandModule<object, VerifyArgs> = {
  command: 'verify <model>',
  describe: 'Run an int8 .tflite in the real TFLite runtime and in the tinypdm reference interpreter and compare them',
  builder: (y: Argv) =>
    y
      .positional('model', { type: 'string', demandOption: true, describe: 'The .tflite to check' })
      .option('calib', { type: 'string', describe: 'Float inputs (.npy) to run besides the random ones' })
      .option('random', { type: 'number', default: 16, describe: 'Seeded random inputs (a whole number; at least 1 without --calib)' })
      .option('seed', { type: 'number', default: 1 })
      .option('max-float-error', {
        type: 'number',
        describe: "Largest int8-vs-float RMSE relative to the float output's RMS (default 0.25); needs the float model",
      })
      .option('float-model', { type: 'string', describe: 'The float model to compare with (default: model_float.tflite beside the model)' })
      .option('json', { type: 'boolean', default: false, describe: 'Print the report as JSON' })
      .example(
        '$0 verify build/model.tflite --calib calib.npy',
        'fails (exit 1) above 1 LSB, below 99% identical outputs, or with int8 output too far from float',
      ) as unknown as Argv<VerifyArgs>,
  handler: async (args) => {
    const { verifyModel } = await import('../../verify/index.js');
    const r = await verifyModel({
      modelPath: args.model,
      ...(args.calib ? { calibPath: args.calib } : {}),
      randomInputs: args.random,
      seed: args.seed,
      maxLsb: 1,
      minIdenticalShare: 0.99,
      ...(args.maxFloatError !== undefined ? { maxFloatError: args.maxFloatError } : {}),
      ...(args.floatModel !== undefined ? { floatModelPath: args.floatModel } : {}),
    });
    const a = r.agreement;
    const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(2)}%` : 'unbounded');
    const f = r.floatError;
    const t = r.tolerance;
    const floatTolerance = f ? `, int8 vs float ≤ ${t.maxFloatError * 100}% RMS` : '';
    const tolerance = `≤ ${t.maxLsb} LSB, ≥ ${t.minIdenticalShare * 100}% identical${floatTolerance}`;
    if (args.json) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    else {
      process.stdout.write(
        `verify ${r.model}: ${r.inputs.calibration} calibration + ${r.inputs.random} random inputs\n` +
          r.perOp
            .map(
              (o) =>
                `  op ${o.index} ${o.kind} (${o.name}): ${(o.agreement.identicalShare * 100).toFixed(2)}% identical, max ${o.agreement.maxLsb} LSB${heldNote(o, r)}\n`,
            )
            .join('') +
          (r.runtimeRounded.count > 0 ? `  ops TFLite rounds its own way: max |diff| ${r.runtimeRounded.maxLsb} LSB\n` : '') +
          `  every ${r.runtimeRounded.count > 0 ? 'other ' : ''}op on identical inputs vs TFLite: ${(a.identicalShare * 100).toFixed(2)}% of ${a.count} outputs identical, max |diff| ${a.maxLsb} LSB\n` +
          `  whole model vs TFLite: ${(r.endToEnd.identicalShare * 100).toFixed(2)}% identical, max |diff| ${r.endToEnd.maxLsb} LSB (earlier ops' rounding propagates)\n` +
          (f
            ? `  int8 vs float model (${f.inputs} inputs): max |err| ${f.maxAbs.toPrecision(4)}, ` +
              `RMSE ${f.rmse.toPrecision(4)} (${pct(f.relativeRmse)} of RMS)\n`
            : `  int8 vs float model: not measured (${r.floatSkipped})\n`) +
          `  ${r.passed ? 'PASS' : 'FAIL'} (tolerance ${tolerance})\n`,
      );
    }
    if (!r.passed) {
      const runtimeDisagrees = r.failures.length > (r.floatError && !(r.floatError.relativeRmse <= r.tolerance.maxFloatError) ? 1 : 0);
      fail(
        'VERIFY_FAILED',
        `${r.model}: ${r.failures.join('; ')}; ` +
          (runtimeDisagrees
            ? 'the reference interpreter and TFLite disagree beyond tolerance — please report this model'
            : 'the int8 model no longer follows the float model: look for calibration warnings from emit (an outlier range), ' +
              'check the calibration data, or raise --max-float-error if this error is acceptable'),
      );
    }
  },
};

/** After an op the runtime rounds its own way: why, and that only the LSB bound applies to it. */
function heldNote(o: VerifyReport['perOp'][number], r: VerifyReport): string {
  return o.runtimeRounding ? ` (held to ${r.tolerance.maxLsb} LSB only: ${o.runtimeRounding})` : '';
}
