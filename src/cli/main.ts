import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { isUserError, VERSION } from '../util/index.js';
import { commands } from './commands/index.js';
import { interrupt, interruptedBy } from './interrupt.js';

/**
 * The CLI layer is the only place that formats errors and picks exit codes:
 * 0 success, 1 user error (a TinyPdmError, one line), 2 internal error,
 * 130 interrupted (SIGINT or SIGTERM; see ./interrupt.ts).
 */
async function main(argv: string[]): Promise<number> {
  const verbose = argv.includes('--verbose');
  try {
    let cli = yargs(argv)
      .scriptName('tinypdm')
      .usage(
        '$0 <command> [options]\n\nTurn a trained anomaly-detection model into verified int8 TFLite and Arduino Nano 33 BLE Sense firmware.',
      )
      .option('verbose', { type: 'boolean', describe: 'Print stack traces for errors', global: true })
      .demandCommand(1, 'Name a command; see tinypdm --help')
      .strict()
      .recommendCommands()
      .help()
      .alias('h', 'help')
      .version(VERSION) // yargs' own guess reads the package.json nearest the caller's folder, not ours
      .wrap(Math.min(110, process.stdout.columns ?? 110))
      .fail((msg, err) => {
        throw err ?? new UsageError(msg);
      });
    for (const command of commands) cli = cli.command(command as never);
    await cli.parseAsync();
    return interruptedBy() ? interrupted() : 0;
  } catch (e) {
    if (interruptedBy()) return interrupted();
    if (e instanceof UsageError) {
      process.stderr.write(`tinypdm: ${e.message} (see tinypdm --help)\n`);
      return 1;
    }
    if (isUserError(e)) {
      process.stderr.write(`tinypdm: error [${e.code}]: ${e.message}\n`);
      if (verbose && e.stack) process.stderr.write(`${e.stack}\n`);
      return e.exitCode;
    }
    const err = e as Error;
    process.stderr.write(`tinypdm: internal error: ${err?.message ?? String(e)}\n`);
    process.stderr.write(verbose ? `${err?.stack}\n` : 'This is a bug in tinypdm. Re-run with --verbose and report the stack trace.\n');
    return 2;
  }
}

class UsageError extends Error {}

function interrupted(): number {
  process.stderr.write(`tinypdm: interrupted by ${interruptedBy()}; no partial output was left\n`);
  return 130;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupt(signal) === 'exit') process.exit(130);
  });
}
const code = await main(hideBin(process.argv));
// After an interrupt the work has stopped and cleaned up; do not wait for timers or workers it left.
if (code === 130) process.exit(130);
process.exitCode = code;
