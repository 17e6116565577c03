import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createRng, fail, writeOutputFolder, type Rng } from '../../util/index.js';
import { ANOMALY_CUES } from './anomalies/index.js';
import { drawMachine, drawNormalParams, generateNormalClip } from './normal.js';
import { ANOMALY_TYPES, type AnomalyType, type MachineParams, type NormalClipParams } from './types.js';
import { encodeWavPcm16 } from './wav.js';

export interface SynthOptions {
  outDir: string;
  seed: number;
  normal: number;
  anomaliesPerType: number;
  durationSec: number;
  sampleRate?: number;
  /** 0 = obvious faults, 1 = faults at or below the normal clips' own variation. */
  difficulty: number;
  types?: AnomalyType[];
  /** Stops the run: nothing is written, a previous dataset stays as it was. */
  signal?: AbortSignal;
}

export interface SynthClip {
  /** Path relative to the dataset root, with forward slashes. */
  file: string;
  label: 'normal' | 'anomaly';
  type?: AnomalyType;
  params: NormalClipParams;
  cue?: unknown;
  clippedSamples: number;
}

export interface SynthManifest {
  generator: 'tinypdm-synth';
  version: 1;
  seed: number;
  options: Required<Omit<SynthOptions, 'outDir' | 'signal'>>;
  machine: MachineParams;
  clips: SynthClip[];
}

/** One clip's sound, before any file I/O. Pure: same inputs, same samples. */
export function renderClip(datasetSeed: number, clip: Pick<SynthClip, 'file' | 'type' | 'params' | 'cue'>): Float32Array {
  const audioRng = clipRng(datasetSeed, clip.file).derive('audio');
  if (clip.type === undefined) return generateNormalClip(clip.params, audioRng);
  return ANOMALY_CUES[clip.type].render(clip.params, clip.cue, audioRng);
}

/**
 * The clip plan of a dataset (names and parameters of every clip), no audio.
 * Each clip draws from its own stream named by its file, so the plan of clip
 * k does not change when the counts change.
 */
export function planDataset(opts: Omit<SynthOptions, 'outDir' | 'signal'>): SynthManifest {
  const options = validate(opts);
  const machine = drawMachine(createRng(options.seed).derive('machine'));
  const clips: SynthClip[] = [];
  const plan = (file: string, type?: AnomalyType): void => {
    const rng = clipRng(options.seed, file).derive('params');
    const params = drawNormalParams(rng.derive('normal'), machine, options.sampleRate, options.durationSec);
    const cue: unknown = type === undefined ? undefined : ANOMALY_CUES[type].draw(rng.derive('cue'), options.difficulty, params);
    clips.push({ file, label: type ? 'anomaly' : 'normal', ...(type ? { type, cue } : {}), params, clippedSamples: 0 });
  };
  for (let i = 0; i < options.normal; i++) plan(`normal/normal_${pad(i)}.wav`);
  for (const type of options.types) {
    for (let i = 0; i < options.anomaliesPerType; i++) plan(`anomaly/${type}/${type}_${pad(i)}.wav`, type);
  }
  return { generator: 'tinypdm-synth', version: 1, seed: options.seed, options, machine, clips };
}

/**
 * Writes `normal/*.wav`, `anomaly/<type>/*.wav` (16-bit PCM mono) and
 * `manifest.json` into `outDir` through the output writer (src/util/output/:
 * a folder that is not an earlier synth output is refused; an interrupted
 * run leaves the previous dataset, if any, untouched).
 */
export async function synthesizeDataset(opts: SynthOptions): Promise<SynthManifest> {
  const manifest = planDataset(opts);
  return writeOutputFolder({ dest: opts.outDir, command: 'synth', ...(opts.signal ? { signal: opts.signal } : {}) }, async (tmp) => {
    for (const clip of manifest.clips) {
      opts.signal?.throwIfAborted();
      const { bytes, clipped } = encodeWavPcm16(renderClip(manifest.seed, clip), manifest.options.sampleRate);
      clip.clippedSamples = clipped;
      const dest = path.join(tmp, ...clip.file.split('/'));
      await mkdir(path.dirname(dest), { recursive: true });
      await writeFile(dest, bytes);
    }
    await writeFile(path.join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
    return manifest;
  });
}

function clipRng(seed: number, file: string): Rng {
  return createRng(seed).derive(`clip:${file}`);
}

function pad(i: number): string {
  return String(i).padStart(4, '0');
}

/**
 * The shortest clip synth writes: every clip must give at least one model
 * window (32 frames) at every rate of the default sweep with train's automatic
 * features, or train, eval and sweep refuse the dataset. The binding rate is
 * the lowest, 375 Hz, where the hop shrinks to its smallest (4 samples), so a
 * window needs 31 hops of 4 samples plus the front-end's frame: measured
 * through the fixed front-end, 15,745 samples at 48 kHz (0.32802 s); at 8 kHz
 * 0.32813 s. Pinned by test/train/synth-duration.test.ts.
 */
export const MIN_CLIP_SECONDS = 0.33;
const MIN_CLIP_RATE = 375;
const MAX_CLIP_SECONDS = 60;

function validate(o: Omit<SynthOptions, 'outDir' | 'signal'>): Required<Omit<SynthOptions, 'outDir' | 'signal'>> {
  const count = (name: string, v: number) =>
    Number.isInteger(v) && v >= 0 ? v : fail('BAD_ARGUMENT', `synth option ${name} must be a non-negative integer, got ${v}`);
  Number.isInteger(o.seed) || fail('BAD_ARGUMENT', `synth seed must be an integer, got ${o.seed}`);
  const sampleRate = o.sampleRate ?? 48000;
  (Number.isInteger(sampleRate) && sampleRate >= 8000 && sampleRate <= 192000) ||
    fail('BAD_RATE', `synth sampleRate must be an integer in 8000..192000 Hz, got ${sampleRate}; the default 48000 matches ToyADMOS`);
  (o.durationSec >= MIN_CLIP_SECONDS && o.durationSec <= MAX_CLIP_SECONDS) ||
    fail(
      'BAD_ARGUMENT',
      `synth --duration must be in [${MIN_CLIP_SECONDS}, ${MAX_CLIP_SECONDS}] seconds, got ${o.durationSec}; ` +
        `a clip shorter than ${MIN_CLIP_SECONDS} s gives no whole model window at ${MIN_CLIP_RATE} Hz`,
    );
  (o.difficulty >= 0 && o.difficulty <= 1) ||
    fail('BAD_ARGUMENT', `synth difficulty must be in [0, 1] (0 = obvious, 1 = very hard), got ${o.difficulty}`);
  const types = o.types ?? [...ANOMALY_TYPES];
  for (const t of types) {
    ANOMALY_TYPES.includes(t) || fail('BAD_ARGUMENT', `unknown anomaly type "${t}"; supported: ${ANOMALY_TYPES.join(', ')}`);
  }
  new Set(types).size === types.length || fail('BAD_ARGUMENT', `anomaly types listed twice: ${types.join(', ')}`);
  return {
    seed: o.seed,
    normal: count('normal', o.normal),
    anomaliesPerType: count('anomaliesPerType', o.anomaliesPerType),
    durationSec: o.durationSec,
    sampleRate,
    difficulty: o.difficulty,
    types,
  };
}
