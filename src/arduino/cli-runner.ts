import { execa } from 'execa';
import { fail } from '../util/index.js';

/**
 * The small interface behind which arduino-cli lives, so everything up to the
 * process boundary is testable on machines without arduino-cli.
 */
export interface CommandRunner {
  run(command: string, args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }>;
}

export const INSTALL_ARDUINO_CLI =
  'install arduino-cli (https://arduino.github.io/arduino-cli/latest/installation/, e.g. `curl -fsSL https://raw.githubusercontent.com/arduino/arduino-cli/master/install.sh | sh`), then `arduino-cli core install arduino:mbed_nano`';

export const INSTALL_TFLM_LIBRARY =
  'install the TFLM Arduino library: `arduino-cli config set library.enable_unsafe_install true && arduino-cli lib install --git-url https://github.com/tensorflow/tflite-micro-arduino-examples.git`';

/** Runs real processes through execa; a missing executable becomes TOOL_MISSING. */
export const execaRunner: CommandRunner = {
  async run(command, args) {
    try {
      const r = await execa(command, args, { reject: false, stdin: 'ignore' });
      if ((r as { code?: string }).code === 'ENOENT' || (r.failed && r.exitCode === undefined && /ENOENT/.test(String(r.message)))) {
        return fail('TOOL_MISSING', `${command} was not found on PATH; ${INSTALL_ARDUINO_CLI}`);
      }
      return { exitCode: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        return fail('TOOL_MISSING', `${command} was not found on PATH; ${INSTALL_ARDUINO_CLI}`, e);
      }
      throw e;
    }
  },
};
