/**
 * `npm run bench`: speed and memory numbers as one JSON document on stdout.
 * Progress goes to stderr so stdout stays machine-readable.
 */
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { benchEmit } from './emit.js';
import { benchFrontEndAccuracy } from './frontend-accuracy.js';
import { SWEEP_DEFAULT_RATES } from '../src/defaults.js';
import { measureFrontEndOnM4 } from './frontend.js';
import { benchOptimize } from './optimize.js';
import { benchCBackend } from './cbackend.js';
import { benchTrain } from './train.js';
import { benchTrainSpeed } from './train-speed.js';
import { resolveFeatureConfig } from '../src/data/index.js';

const sections: Array<[string, () => Promise<unknown>]> = [
  ['emit', benchEmit],
  ['frontEndAccuracy', benchFrontEndAccuracy],
  ['frontEndCortexM4', measureFrontEndOnM4],
  // What the sketch pays per rate with the features `train` picks by default (10 s clips).
  [
    'frontEndCortexM4TrainDefaults',
    () =>
      measureFrontEndOnM4(
        SWEEP_DEFAULT_RATES.map((rate) => {
          const f = resolveFeatureConfig(rate).features;
          return { sampleRate: rate, nFft: f.nFft, hop: f.hop, nMels: f.nMels };
        }),
      ),
  ],
  ['train', () => benchTrain(6000)],
  ['trainSpeed', benchTrainSpeed],
  ['optimize', benchOptimize],
  ['cbackend', benchCBackend],
];

const args = process.argv.slice(2);
/** `--save`: also merge the sections run into bench/results.json, which `npm run readme` renders into README.md. */
const save = args.includes('--save');
const only = args.filter((a) => a !== '--save');
const result: Record<string, unknown> = {
  machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version, memoryGiB: Math.round(os.totalmem() / 2 ** 30) },
};
for (const [name, run] of sections) {
  if (only.length > 0 && !only.includes(name)) continue;
  process.stderr.write(`bench: ${name}…\n`);
  const t0 = performance.now();
  result[name] = await run();
  process.stderr.write(`bench: ${name} took ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}
result.peakRssMiB = Math.round(process.memoryUsage().rss / 2 ** 20);
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
if (save) {
  const file = new URL('results.json', import.meta.url);
  const previous = (await readFile(file, 'utf8').then(
    (t) => JSON.parse(t) as Record<string, unknown>,
    () => ({}),
  )) as Record<string, unknown>;
  await writeFile(file, `${JSON.stringify({ ...previous, ...result }, null, 2)}\n`);
  process.stderr.write('bench: saved to bench/results.json; run `npm run readme` to update the README tables\n');
}
