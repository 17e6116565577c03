import { fail } from '../../util/index.js';
import { getBoard } from '../../boards/index.js';
import { cComment } from '../../util/index.js';
import { renderTemplate } from './render.js';
import { checkSketchName } from '../4-plan/index.js';

export const TFLM_LIBRARY_URL = 'https://github.com/tensorflow/tflite-micro-arduino-examples.git';

export interface WorkflowOptions {
  rates: number[];
  /** Folder of training runs, one per rate: `<runsDir>/<rate>/model.json`. */
  runsDir: string;
  board: string;
  sketchName: string;
  /** How the sketches run the model; tflm also installs Arduino_TensorFlowLite. Default c. */
  runtime?: 'c' | 'tflm';
  version: string;
  command: string;
}

/** Paths reach a shell line in the workflow, so only plain relative paths are allowed. */
const SAFE_PATH = /^[A-Za-z0-9._][A-Za-z0-9._/-]*$/;

/** `.github/workflows/firmware.yml` for a user's firmware repository. */
export function renderFirmwareWorkflow(o: WorkflowOptions): string {
  if (o.rates.length === 0 || o.rates.some((r) => !Number.isInteger(r) || r <= 0)) {
    fail('BAD_ARGUMENT', `--rates must be positive whole numbers of Hz, got ${o.rates.join(',') || 'none'}; e.g. --rates 6000,3000`);
  }
  if (!SAFE_PATH.test(o.runsDir) || o.runsDir.includes('..')) {
    fail('BAD_ARGUMENT', `--runs ${JSON.stringify(o.runsDir)} must be a plain relative path of letters, digits, '.', '_', '-' and '/'`);
  }
  // The workflow runs `tinypdm emit --sketch-name`: the same check as emit's, so CI cannot fail on a name ci accepted.
  checkSketchName(o.sketchName);
  const board = getBoard(o.board);
  return renderTemplate('ci/firmware.yml', {
    banner: { tool: 'tinypdm', version: cComment(o.version), command: cComment(o.command) },
    rates: [...new Set(o.rates)].sort((a, b) => b - a).join(', '),
    runsDir: o.runsDir.replace(/\/+$/, ''),
    board: board.name,
    fqbn: board.fqbn,
    core: board.fqbn.split(':').slice(0, 2).join(':'),
    installSteps:
      o.runtime === 'tflm'
        ? [
            'arduino-cli config init --overwrite',
            'arduino-cli config set library.enable_unsafe_install true',
            `arduino-cli lib install --git-url ${TFLM_LIBRARY_URL}`,
          ]
        : [],
    installWhat:
      o.runtime === 'tflm' ? 'the mbed_nano core and the TFLM library' : 'the mbed_nano core (the C runtime needs no other library)',
    runtimeFlag: o.runtime === 'tflm' ? ' --runtime tflm' : '',
    sketchName: o.sketchName,
  });
}
