import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fail } from '../../util/index.js';
import { buildFrontEndTables, fixedFeatures, type FrontEndTables } from '../../audio/index.js';
import { powerMel, powerToDbUnclipped } from '../../audio/index.js';
import { resampleFloat } from '../../audio/index.js';
import { simulateMicrophone } from '../../audio/index.js';
import { decodeWavBytes, type WavAudio } from '../../audio/index.js';
import { MODEL_INPUT_QUANT, type FeatureSpec } from '../run-config.js';
import { aboutFile, readInput, writeFileAtomic } from '../../util/index.js';

/**
 * A clip's dB columns before any top_db clamp or normalisation — the part of
 * the features that does not depend on the training set, so it is cached.
 * 'q8': the fixed-point twin's dB·256 (exactly what the device computes);
 * 'float': the float64 reference, stored as float32.
 * Row-major [n_mels][n_frames].
 */
export type ClipDb =
  { kind: 'q8'; nMels: number; nFrames: number; data: Int16Array } | { kind: 'float'; nMels: number; nFrames: number; data: Float32Array };

/** Bump when the cached bytes for the same key would change (2: a checksum over header and payload). */
const CACHE_VERSION = 2;
const MAGIC = 0x43465054; // 'TPFC'
/** magic, version, kind, nMels, nFrames (u32 each), then the SHA-256 of those 20 bytes and the payload. */
const HEADER_BYTES = 20;
const DIGEST_BYTES = 32;

export interface ClipDbOptions {
  /** Cache folder; undefined disables caching. */
  cacheDir?: string;
  /** The channel to read from a multi-channel WAV (MIMII's microphone array); undefined = the mix of all channels. */
  channel?: number;
}

/**
 * The clip's dB columns, from the cache when a sound entry is there. The WAV
 * is read once, through the bounded reader, and the same bytes are hashed
 * for the key and decoded. A cache entry is trusted only when its checksum
 * matches: a damaged, truncated or foreign entry is ignored and rewritten.
 */
export async function clipDb(file: string, features: FeatureSpec, opts: ClipDbOptions = {}): Promise<ClipDb> {
  const bytes = await readInput(file, { what: 'the WAV file', fix: 'check the path' });
  const key = cacheKey(bytes, features, opts.channel);
  const entry = opts.cacheDir ? path.join(opts.cacheDir, `${key}.bin`) : undefined;
  const cached = entry ? await readCache(entry) : undefined;
  if (cached) return cached;
  const result = extractClip(features, decodeWavBytes(bytes, file, { channel: opts.channel ?? 'mix' }), file);
  if (opts.cacheDir) {
    await mkdir(opts.cacheDir, { recursive: true });
    await writeFileAtomic(entry!, encodeCacheEntry(result));
  }
  return result;
}

/**
 * A clip → its dB columns, as the device (mode 'fixed': the front-end's
 * bit-exact twin on what the microphone captures) or the paper (mode 'float':
 * librosa's melspectrogram + power_to_db, resampled as resampy does) computes
 * them. Every path from audio to features goes through here: training,
 * evaluation, fine-tuning, the sweep and the `features` command. `file` names
 * the clip in errors, including those from the stages below (resampling, the front-end).
 */
export function extractClip(
  f: FeatureSpec,
  wav: Pick<WavAudio, 'sampleRate' | 'samples'>,
  file: string,
  mode: FeatureSpec['mode'] = f.mode,
): ClipDb {
  wav.sampleRate >= f.sampleRate ||
    fail(
      'BAD_RATE',
      `${file}: sampled at ${wav.sampleRate} Hz, below --rate ${f.sampleRate} Hz; the data holds nothing above ${wav.sampleRate / 2} Hz — choose --rate ≤ ${wav.sampleRate}`,
    );
  return aboutFile(file, () => {
    if (mode === 'float') {
      const y = resampleFloat(wav.samples, wav.sampleRate, f.sampleRate);
      const mel = powerMel(y, f);
      return { kind: 'float', nMels: mel.nMels, nFrames: mel.nFrames, data: Float32Array.from(powerToDbUnclipped(mel.data)) };
    }
    const pcm = simulateMicrophone(wav.samples, wav.sampleRate, f.pdmRate);
    const out = fixedFeatures(pcm, columnTables(f));
    return { kind: 'q8', nMels: out.nMels, nFrames: out.nFrames, data: out.dbColumnsQ8 };
  });
}

/**
 * Front-end tables for the dB columns only: the affine is a placeholder
 * (columns do not depend on it; windows are re-quantised later with the
 * fitted one) and the window is one frame so no clip is too short.
 */
function columnTables(f: FeatureSpec): FrontEndTables {
  return buildFrontEndTables({
    sampleRate: f.sampleRate,
    pdmRate: f.pdmRate,
    nFft: f.nFft,
    hop: f.hop,
    nMels: f.nMels,
    fmin: f.fmin,
    fmax: f.fmax,
    windowFrames: 1,
    windowHop: 1,
    topDb: null,
    affine: { a: 1 / 100, b: 1, inputScale: MODEL_INPUT_QUANT.scale, inputZeroPoint: MODEL_INPUT_QUANT.zeroPoint },
  });
}

/** Content hash of the clip plus every config field the dB columns depend on (not top_db, windows or normalisation), and the channel read. */
function cacheKey(bytes: Uint8Array, f: FeatureSpec, channel: number | undefined): string {
  const cfg = {
    v: CACHE_VERSION,
    mode: f.mode,
    sampleRate: f.sampleRate,
    pdmRate: f.pdmRate,
    nFft: f.nFft,
    hop: f.hop,
    nMels: f.nMels,
    fmin: f.fmin,
    fmax: f.fmax,
    ...(channel !== undefined ? { channel } : {}), // the mix keeps the keys it always had
  };
  return createHash('sha256').update(bytes).update(JSON.stringify(cfg)).digest('hex').slice(0, 40);
}

/** A cache entry: header, checksum, payload (the column data as stored in memory, little-endian on every host Node runs on). */
export function encodeCacheEntry(c: ClipDb): Uint8Array {
  const payload = new Uint8Array(c.data.buffer, c.data.byteOffset, c.data.byteLength);
  const out = new Uint8Array(HEADER_BYTES + DIGEST_BYTES + payload.length);
  const view = new DataView(out.buffer);
  [MAGIC, CACHE_VERSION, c.kind === 'q8' ? 0 : 1, c.nMels, c.nFrames].forEach((v, i) => view.setUint32(4 * i, v, true));
  out.set(payload, HEADER_BYTES + DIGEST_BYTES);
  out.set(digest(out.subarray(0, HEADER_BYTES), payload), HEADER_BYTES);
  return out;
}

/** The entry's columns, or undefined when it is missing, unreadable, stale or damaged (the caller recomputes it). */
export function decodeCacheEntry(bytes: Uint8Array): ClipDb | undefined {
  if (bytes.length < HEADER_BYTES + DIGEST_BYTES) return undefined;
  const header = bytes.subarray(0, HEADER_BYTES);
  const stored = bytes.subarray(HEADER_BYTES, HEADER_BYTES + DIGEST_BYTES);
  const payload = bytes.subarray(HEADER_BYTES + DIGEST_BYTES);
  if (!digest(header, payload).every((b, i) => b === stored[i])) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const [magic, version, kind, nMels, nFrames] = [0, 4, 8, 12, 16].map((o) => view.getUint32(o, true)) as Quintuple;
  // With the checksum sound, these can only fail for an entry this code did not write.
  if (magic !== MAGIC || version !== CACHE_VERSION || (kind !== 0 && kind !== 1)) return undefined;
  if (payload.length !== nMels * nFrames * (kind === 0 ? 2 : 4)) return undefined;
  const data = payload.slice().buffer;
  if (kind === 0) return { kind: 'q8', nMels, nFrames, data: new Int16Array(data) };
  return { kind: 'float', nMels, nFrames, data: new Float32Array(data) };
}

type Quintuple = [number, number, number, number, number];

async function readCache(file: string): Promise<ClipDb | undefined> {
  // Any failure (missing, damaged, not a regular file, over the cap) means: compute the columns again and rewrite the entry.
  const bytes = await readInput(file, { what: 'a feature cache entry', fix: 'delete the .cache folder' }).catch(() => undefined);
  return bytes ? decodeCacheEntry(bytes) : undefined;
}

function digest(header: Uint8Array, payload: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(header).update(payload).digest());
}
