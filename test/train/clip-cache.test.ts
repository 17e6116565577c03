import { mkdir, mkdtemp, readdir, readFile, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWav16 } from '../../src/audio/wav.js';
import { computeFeatures } from '../../src/data/index.js';
import { TinyPdmError } from '../../src/util/errors.js';
import { extractClips } from '../../src/data/dataset.js';
import { readWav } from '../../src/audio/index.js';
import { clipDb, extractClip, resolveFeatureConfig } from '../../src/data/features/index.js';

const computeClipDb = (file: string, f: typeof fixed) => extractClip(f, readWav(file, { channel: 'mix' }), file);
import { decodeCacheEntry, encodeCacheEntry } from '../../src/data/features/clip-db.js';

/**
 * The feature cache (src/train/features/clip-db.ts) trusts nothing it reads
 * back: an entry whose checksum does not match its header and payload is
 * recomputed and rewritten, so a damaged cache never changes a result or
 * turns into a wrong error. And errors about a clip name the clip.
 */
let work: string;
let clip: string;
const fixed = resolveFeatureConfig(3000, { nMels: 8, frames: 8, windowHop: 4, nFft: 256, hop: 64 }).features;
const float = { ...fixed, mode: 'float' as const };

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'tinypdm-clip-cache-'));
  clip = path.join(work, 'clip.wav');
  await writeFile(
    clip,
    encodeWav16(
      Float32Array.from({ length: 12_000 }, (_, i) => 0.3 * Math.sin(i * 0.05) + 0.05 * Math.sin(i * 1.3)),
      16000,
    ),
  );
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** The one entry a fresh cache folder holds after one clipDb call. */
async function entryOf(cacheDir: string): Promise<string> {
  const names = await readdir(cacheDir);
  expect(names).toHaveLength(1);
  return path.join(cacheDir, names[0]!);
}

type Damage = [string, (entry: string, bytes: Uint8Array) => Promise<void>];
const damages: Damage[] = [
  [
    'a flipped payload byte',
    (e, b) =>
      writeFile(
        e,
        b.map((v, i) => (i === b.length - 3 ? v ^ 0x10 : v)),
      ),
  ],
  [
    'a flipped checksum byte',
    (e, b) =>
      writeFile(
        e,
        b.map((v, i) => (i === 25 ? v ^ 1 : v)),
      ),
  ],
  // The damage the old format could not see: nMels x nFrames swapped keeps the length, and the columns come out wrong-shaped.
  [
    'nMels and nFrames swapped (same length)',
    (e, b) => {
      const c = b.slice();
      const v = new DataView(c.buffer);
      const [m, f] = [v.getUint32(12, true), v.getUint32(16, true)];
      v.setUint32(12, f, true);
      v.setUint32(16, m, true);
      return writeFile(e, c);
    },
  ],
  [
    'a smaller frame count in the header',
    (e, b) =>
      writeFile(
        e,
        b.map((v, i) => (i === 16 ? 1 : v)),
      ),
  ],
  ['truncated to half', (e, b) => truncate(e, Math.floor(b.length / 2))],
  ['empty', (e) => writeFile(e, '')],
  [
    'random bytes',
    (e, b) =>
      writeFile(
        e,
        b.map((_, i) => (i * 131 + 7) & 0xff),
      ),
  ],
  [
    'a FIFO',
    async (e) => {
      await rm(e);
      await execa('mkfifo', [e]);
    },
  ],
  [
    'a symlink to /dev/zero',
    async (e) => {
      await rm(e);
      await symlink('/dev/zero', e);
    },
  ],
];

describe('clip cache entries are checked, and a damaged one is rebuilt', () => {
  let caches = 0;
  for (const features of [fixed, float]) {
    it.each(damages)(`${features.mode}: %s gives the uncached result and a sound entry again`, async (_, damage) => {
      const expected = computeClipDb(clip, features);
      const cacheDir = path.join(work, `cache-${features.mode}-${caches++}`);
      expect(await clipDb(clip, features, { cacheDir })).toEqual(expected);
      const entry = await entryOf(cacheDir);
      const sound = new Uint8Array(await readFile(entry));
      expect(decodeCacheEntry(sound)).toEqual(expected);
      await damage(entry, sound);
      expect(await clipDb(clip, features, { cacheDir })).toEqual(expected);
      // Rewritten: a regular file again, byte-identical to the first one.
      expect(lstatSync(entry).isFile()).toBe(true);
      expect(new Uint8Array(await readFile(entry))).toEqual(sound);
    });
  }

  it('decodeCacheEntry: a sound entry round-trips; a cut or empty one is refused', () => {
    const c = computeClipDb(clip, fixed);
    const entry = encodeCacheEntry(c);
    expect(decodeCacheEntry(entry)).toEqual(c);
    expect(decodeCacheEntry(entry.subarray(0, 52))).toBeUndefined();
    expect(decodeCacheEntry(new Uint8Array(0))).toBeUndefined();
  });
});

describe('errors about a clip name the clip', () => {
  it('a 1-sample clip in a dataset: the resampler’s error carries the clip’s path', async () => {
    const data = path.join(work, 'tiny-data');
    await mkdir(path.join(data, 'normal'), { recursive: true });
    await writeFile(path.join(data, 'normal', 'one.wav'), encodeWav16(Float32Array.of(0.5), 48000));
    for (const features of [fixed, float]) {
      const e = await extractClips(data, ['normal/one.wav'], features).then(
        () => expect.unreachable(),
        (x: unknown) => x as TinyPdmError,
      );
      expect(e).toBeInstanceOf(TinyPdmError);
      expect(e.message).toMatch(
        new RegExp(
          `^${path.join(data, 'normal', 'one.wav').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: resample: 1 samples at 48000 Hz give no samples at \\d+ Hz; use a longer clip$`,
        ),
      );
    }
  });

  it('float WAVs with NaN in a dataset and in `features` (fixed and float) are BAD_WAV naming the file and the sample', async () => {
    const dir = path.join(work, 'nan-data');
    await mkdir(path.join(dir, 'normal'), { recursive: true });
    const file = path.join(dir, 'normal', 'nan.wav');
    await writeFile(file, floatWav([0.1, 0.2, NaN, 0.3], 16000));
    const expected = `${file}: float sample 2 (of 4, at 0.000 s) is NaN; audio samples must be finite numbers; re-export the clip, or fix the tool that wrote it`;
    await expect(extractClips(dir, ['normal/nan.wav'], fixed)).rejects.toThrow(expected);
    const out = path.join(work, 'never.npy');
    await expect(computeFeatures([file], { out, spec: float, scope: 'clip' })).rejects.toThrow(expected);
    await expect(computeFeatures([file], { out, spec: fixed, scope: 'windows' })).rejects.toThrow(expected);
    await expect(readdir(work)).resolves.not.toContain('never.npy');
  });
});

/** A mono IEEE float32 WAV (format 3) with a plain 16-byte fmt chunk. */
function floatWav(values: number[], rate: number): Uint8Array {
  const out = Buffer.alloc(44 + values.length * 4);
  out.write('RIFF', 0, 'ascii');
  out.writeUInt32LE(36 + values.length * 4, 4);
  out.write('WAVEfmt ', 8, 'ascii');
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(3, 20);
  out.writeUInt16LE(1, 22);
  out.writeUInt32LE(rate, 24);
  out.writeUInt32LE(rate * 4, 28);
  out.writeUInt16LE(4, 32);
  out.writeUInt16LE(32, 34);
  out.write('data', 36, 'ascii');
  out.writeUInt32LE(values.length * 4, 40);
  values.forEach((v, i) => out.writeFloatLE(v, 44 + 4 * i));
  return out;
}
