import type { Argv, CommandModule } from 'yargs';
import { cancellable } from '../interrupt.js';

export interface FeaturesArgs {
  inputs: string[];
  out: string;
  rate: number;
  'n-fft': number;
  hop: number;
  'n-mels': number;
  fmin: number;
  fmax?: number;
  'top-db': number;
  mode: 'float' | 'fixed';
  window?: number;
  'window-hop'?: number;
  channel?: number;
}

export const featuresCommand: CommandModule<object, FeaturesArgs> = {
  command: 'features <inputs..>',
  describe:
    'Compute log-Mel features of WAV files or folders into a .npy (float librosa-compatible reference, or the device fixed-point front-end)',
  builder: (y: Argv) =>
    y
      .positional('inputs', {
        type: 'string',
        array: true,
        demandOption: true,
        describe: 'WAV files or folders (searched recursively, sorted)',
      })
      .option('out', {
        alias: 'o',
        type: 'string',
        default: 'features.npy',
        describe: 'Output .npy, shape [N, n_mels, frames, 1] (never an input; replaces only a .npy)',
      })
      .option('rate', { type: 'number', default: 16000, describe: 'Target sample rate (Hz)' })
      .option('n-fft', { type: 'number', default: 2048 })
      .option('hop', { type: 'number', default: 512 })
      .option('n-mels', { type: 'number', default: 64 })
      .option('fmin', { type: 'number', default: 0 })
      .option('fmax', { type: 'number', describe: 'Default: rate / 2' })
      .option('top-db', { type: 'number', default: 80 })
      .option('mode', {
        choices: ['float', 'fixed'] as const,
        default: 'float' as const,
        describe: "float: librosa's power_to_db(melspectrogram); fixed: the device's bit-exact front-end",
      })
      .option('window', { type: 'number', describe: 'Split into model windows of this many frames (top_db per window, as on the device)' })
      .option('window-hop', { type: 'number', describe: 'Frames between windows (default: --window)' })
      .option('channel', { type: 'number', describe: 'Channel of multichannel files (default: mix)' })
      .example(
        '$0 features data/normal --rate 6000 --n-mels 32 --window 32 --out calib.npy',
        'per-window features for emit --calib',
      ) as unknown as Argv<FeaturesArgs>,
  handler: async (a) => {
    const [{ computeFeatures }, { choosePdmRate }] = await Promise.all([import('../../data/index.js'), import('../../audio/index.js')]);
    const r = await cancellable((signal) =>
      computeFeatures(a.inputs, {
        out: a.out,
        spec: {
          mode: a.mode,
          sampleRate: a.rate,
          // The float reference models no microphone; above the highest PDM rate only it can run.
          pdmRate: a.rate <= 41667 ? choosePdmRate(a.rate) : 41667,
          nFft: a['n-fft'],
          hop: a.hop,
          nMels: a['n-mels'],
          fmin: a.fmin,
          fmax: a.fmax ?? a.rate / 2,
          topDb: a['top-db'],
          windowFrames: a.window ?? 1,
          windowHop: a['window-hop'] ?? a.window ?? 1,
        },
        scope: a.window ? 'windows' : 'clip',
        ...(a.channel !== undefined ? { channel: a.channel } : {}),
        signal,
      }),
    );
    process.stdout.write(`wrote ${r.out}: [${r.shape.join(', ')}] from ${r.files.length} clips (${a.mode} features at ${a.rate} Hz)\n`);
  },
};
