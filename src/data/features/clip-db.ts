import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fail } from '../../util/index.js';
import { buildFrontEndTables, fixedFeatures, type FrontEndTables } from '../../audio/index.js';
import { powerMel, powerToDbUnclipped } from '../../audio/index.js';
import { resampleFloat } from '../../audio/index.js';
import { simulateMicrophone } from '../../audio/index.js';
import { readWav, type WavAudio } from '../../audio/index.js';
import { MODEL_INPUT_QUANT, type FeatureSpec } from '../run-config.js';
import { writeFileAtomic } from '../../util/index.js';

/**
 * A clip's dB columns before any top_db clamp or normalisation — the part of
 * the features that does not depend on the training set, so it is cached.
 * 'q8': the fixed-point twin's dB·256 (exactly what the device computes);
 * 'float': the float64 reference, stored as float32.
 * Row-major [n_mels][n_frames].
 */
export type ClipDb =
  | { kind: 'q8'; nMels: number; nFrames: number; data: Int16Array }
  | { kind: 'float'; nMels: number; nFrames: number; data: Float32Array };

/** Bump when the cached bytes for the same key would change. */
const CACHE_VERSION = 1;
const MAGIC = 0x43465054; // 'TPFC'

export interface ClipDbOptions {
  /** Cache folder; undefined disables caching. */
  cacheDir?: string;
  /** The channel to read from a multi-channel WAV (MIMII's microphone array); undefined = the mix of all channels. */
  channel?: number;
}

export async function clipDb(file: string, features: FeatureSpec, opts: ClipDbOptions = {}): Promise<ClipDb> {
  const bytes = new Uint8Array(await readFile(file));
  const key = cacheKey(bytes, features, opts.channel);
  const cached = opts.cacheDir ? await readCache(path.join(opts.cacheDir, `${key}.bin`)) : undefined;
  if (cached) return cached;
  const result = extractClip(features, readWav(file, { channel: opts.channel ?? 'mix' }), file);
  if (opts.cacheDir) {
    await mkdir(opts.cacheDir, { recursive: true });
    await writeFileAtomic(path.join(opts.cacheDir, `${key}.bin`), encode(result));
  }
  return result;
}

/**
 * A clip → its dB columns, as the device (mode 'fixed': the front-end's
 * bit-exact twin on what the microphone captures) or the paper (mode 'float':
 * librosa's melspectrogram + power_to_db, resampled as resampy does) computes
 * them. Every path from audio to features goes through here: training,
 * evaluation, fine-tuning, the sweep and the `features` command. `file` names
 * the clip in errors.
 */
export function extractClip(f: FeatureSpec, wav: Pick<WavAudio, 'sampleRate' | 'samples'>, file: string, mode: FeatureSpec['mode'] = f.mode): ClipDb {
  wav.sampleRate >= f.sampleRate ||
    fail('BAD_RATE', `${file}: sampled at ${wav.sampleRate} Hz, below --rate ${f.sampleRate} Hz; the data holds nothing above ${wav.sampleRate / 2} Hz — choose --rate ≤ ${wav.sampleRate}`);
  if (mode === 'float') {
    const y = resampleFloat(wav.samples, wav.sampleRate, f.sampleRate);
    const mel = powerMel(y, f);
    return { kind: 'float', nMels: mel.nMels, nFrames: mel.nFrames, data: Float32Array.from(powerToDbUnclipped(mel.data)) };
  }
  const pcm = simulateMicrophone(wav.samples, wav.sampleRate, f.pdmRate);
  const out = fixedFeatures(pcm, columnTables(f));
  return { kind: 'q8', nMels: out.nMels, nFrames: out.nFrames, data: out.dbColumnsQ8 };
}

/**
 * Front-end tables for the dB columns only: the affine is a placeholder
 * (columns do not depend on it; windows are re-quantised later with the
 * fitted one) and the window is one frame so no clip is too short.
 */
function columnTables(f: FeatureSpec): FrontEndTables {
  return buildFrontEndTables({
    sampleRate: f.sampleRate, pdmRate: f.pdmRate, nFft: f.nFft, hop: f.hop, nMels: f.nMels, fmin: f.fmin, fmax: f.fmax,
    windowFrames: 1, windowHop: 1, topDb: null,
    affine: { a: 1 / 100, b: 1, inputScale: MODEL_INPUT_QUANT.scale, inputZeroPoint: MODEL_INPUT_QUANT.zeroPoint },
  });
}

/** Content hash of the clip plus every config field the dB columns depend on (not top_db, windows or normalisation), and the channel read. */
function cacheKey(bytes: Uint8Array, f: FeatureSpec, channel: number | undefined): string {
  const cfg = {
    v: CACHE_VERSION, mode: f.mode, sampleRate: f.sampleRate, pdmRate: f.pdmRate, nFft: f.nFft, hop: f.hop, nMels: f.nMels, fmin: f.fmin, fmax: f.fmax,
    ...(channel !== undefined ? { channel } : {}), // the mix keeps the keys it always had
  };
  return createHash('sha256').update(bytes).update(JSON.stringify(cfg)).digest('hex').slice(0, 40);
}

function encode(c: ClipDb): Uint8Array {
  const payload = new Uint8Array(c.data.buffer, c.data.byteOffset, c.data.byteLength);
  const out = new Uint8Array(16 + payload.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, c.kind === 'q8' ? 0 : 1, true);
  view.setUint32(8, c.nMels, true);
  view.setUint32(12, c.nFrames, true);
  out.set(payload, 16);
  return out;
}

async function readCache(file: string): Promise<ClipDb | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(file));
  } catch {
    return undefined;
  }
  if (bytes.length < 16) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const [magic, kind, nMels, nFrames] = [0, 4, 8, 12].map((o) => view.getUint32(o, true)) as [number, number, number, number];
  const n = nMels * nFrames;
  if (magic !== MAGIC || bytes.length !== 16 + n * (kind === 0 ? 2 : 4)) return undefined; // stale or torn: recompute
  const payload = bytes.slice(16).buffer;
  return kind === 0 ? { kind: 'q8', nMels, nFrames, data: new Int16Array(payload) } : { kind: 'float', nMels, nFrames, data: new Float32Array(payload) };
}

