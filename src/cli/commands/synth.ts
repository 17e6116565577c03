import type { Argv, CommandModule } from 'yargs';
import { cancellable } from '../interrupt.js';
import { SYNTH_DEMO_DEFAULTS } from '../../defaults.js';

export interface SynthArgs {
  out: string;
  seed: number;
  normal: number;
  anomaliesPerType: number;
  duration: number;
  difficulty: number;
}

export const synthCommand: CommandModule<object, SynthArgs> = {
  command: 'synth',
  describe: 'Generate a synthetic conveyor machine-sound dataset: normal/*.wav and anomaly/<type>/*.wav at 48 kHz',
  builder: (y: Argv) =>
    y
      .option('out', {
        alias: 'o',
        type: 'string',
        demandOption: true,
        describe: 'Dataset folder (new, empty, or an earlier synth output; see README: output folders)',
      })
      .option('seed', { type: 'number', default: SYNTH_DEMO_DEFAULTS.seed, describe: 'Generator seed (same seed, same files)' })
      .option('normal', { type: 'number', default: SYNTH_DEMO_DEFAULTS.normal, describe: 'Normal clips' })
      .option('anomalies-per-type', {
        type: 'number',
        default: SYNTH_DEMO_DEFAULTS.anomaliesPerType,
        describe: 'Anomalous clips per anomaly type (4 types)',
      })
      .option('duration', { type: 'number', default: SYNTH_DEMO_DEFAULTS.durationSec, describe: 'Clip length, seconds' })
      .option('difficulty', {
        type: 'number',
        default: SYNTH_DEMO_DEFAULTS.difficulty,
        describe: '0 = obvious faults … 1 = faults within normal variation',
      })
      .example('$0 synth --out data --seed 1', 'the demo dataset') as unknown as Argv<SynthArgs>,
  handler: async (args) => {
    const { synthesizeDataset } = await import('../../data/index.js');
    const m = await cancellable((signal) =>
      synthesizeDataset({
        outDir: args.out,
        seed: args.seed,
        normal: args.normal,
        anomaliesPerType: args.anomaliesPerType,
        durationSec: args.duration,
        difficulty: args.difficulty,
        signal,
      }),
    );
    const anomalies = m.clips.filter((c) => c.label === 'anomaly').length;
    process.stdout.write(
      `wrote ${m.clips.length - anomalies} normal and ${anomalies} anomalous clips (${m.options.types.join(', ')}) at ${m.options.sampleRate} Hz to ${args.out}\n`,
    );
  },
};
