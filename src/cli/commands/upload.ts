import type { Argv, CommandModule } from 'yargs';

export interface UploadArgs {
  sketch: string;
  port: string;
  board: string;
}

export const uploadCommand: CommandModule<object, UploadArgs> = {
  command: 'upload <sketch>',
  describe: 'Upload a built sketch to the board with arduino-cli',
  builder: (y: Argv) =>
    y
      .positional('sketch', { type: 'string', demandOption: true, describe: 'The sketch folder (build it first with tinypdm build)' })
      .option('port', {
        alias: 'p',
        type: 'string',
        demandOption: true,
        describe: 'Serial port, e.g. /dev/ttyACM0 (see arduino-cli board list)',
      })
      .option('board', { type: 'string', default: 'nano33ble', describe: 'Board whose FQBN to use when the sketch has no sketch.yaml' })
      .example('$0 upload build/tinypdm_detector --port /dev/ttyACM0', 'then open a serial monitor at 115200 baud'),
  handler: async (args) => {
    const [{ execaRunner, sketchFqbn, uploadSketch }, { getBoard }] = await Promise.all([
      import('../../arduino/index.js'),
      import('../../boards/index.js'),
    ]);
    const fqbn = await sketchFqbn(args.sketch, getBoard(args.board).fqbn);
    await uploadSketch(args.sketch, execaRunner, fqbn, args.port);
    process.stdout.write(
      `uploaded ${args.sketch} to ${args.port} (${fqbn}); CSV at 115200 baud: window,score,anomaly,frontend_us,inference_us,free_arena\n`,
    );
  },
};
