import type { Argv, CommandModule } from 'yargs';

export interface BuildArgs {
  sketch: string;
  board: string;
  json: boolean;
}

const pct = (used: number, max: number) => (max > 0 ? ` (${((100 * used) / max).toFixed(1)}%)` : '');

export const buildCommand: CommandModule<object, BuildArgs> = {
  command: 'build <sketch>',
  describe: 'Compile an emitted sketch with arduino-cli and print its flash and RAM use against the board limits',
  builder: (y: Argv) =>
    y
      .positional('sketch', { type: 'string', demandOption: true, describe: 'The sketch folder tinypdm emit --board wrote' })
      .option('board', { type: 'string', default: 'nano33ble', describe: 'Board whose FQBN to use when the sketch has no sketch.yaml' })
      .option('json', { type: 'boolean', default: false, describe: 'Print the sizes as JSON' })
      .example('$0 build build/tinypdm_detector', 'arduino-cli compile --fqbn arduino:mbed_nano:nano33ble ...'),
  handler: async (args) => {
    const [{ buildSketch, execaRunner, sketchFqbn }, { getBoard }] = await Promise.all([
      import('../../arduino/index.js'),
      import('../../boards/index.js'),
    ]);
    const board = getBoard(args.board);
    const fqbn = await sketchFqbn(args.sketch, board.fqbn);
    const r = await buildSketch(args.sketch, execaRunner, fqbn);
    if (args.json) {
      process.stdout.write(
        `${JSON.stringify({ sketch: args.sketch, fqbn, flash: r.flash, ram: r.ram, outputDir: r.outputDir }, null, 2)}\n`,
      );
      return;
    }
    const flashMax = r.flash.max || board.flashBytes;
    const ramMax = r.ram.max || board.ramBytes;
    process.stdout.write(
      `built ${args.sketch} for ${fqbn} into ${r.outputDir}\n` +
        `  flash ${r.flash.used.toLocaleString('en-US')} / ${flashMax.toLocaleString('en-US')} B${pct(r.flash.used, flashMax)}\n` +
        `  static RAM ${r.ram.used.toLocaleString('en-US')} / ${ramMax.toLocaleString('en-US')} B${pct(r.ram.used, ramMax)} (includes the model's activations; the heap and stack come out of the rest)\n`,
    );
  },
};
