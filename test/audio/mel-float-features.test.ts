import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeFeatures } from '../../src/data/features/compute-features.js';
import { writeWav } from '../../src/audio/wav.js';

/**
 * The features command end to end: WAVs written here, the .npy checked with
 * numpy against the numpy references of the resampler and the Mel front-end.
 */
const REF_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'ref');
const PYTHON = '/usr/bin/python3';

let dir: string;
const clip = (seed: number, seconds: number, rate: number) =>
  Int16Array.from({ length: Math.round(seconds * rate) }, (_, i) =>
    Math.round(8000 * Math.sin((2 * Math.PI * (300 + 200 * seed) * i) / rate) + 3000 * Math.sin(i * i * 1e-7 * seed)),
  );

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tinypdm-features-'));
  await mkdir(path.join(dir, 'clips', 'sub'), { recursive: true });
  // Written out of order, and one in a subdirectory, to check the sorted order.
  await writeWav(path.join(dir, 'clips', 'b.wav'), clip(2, 0.5, 48000), 48000);
  await writeWav(path.join(dir, 'clips', 'a.wav'), clip(1, 0.5, 48000), 48000);
  await writeWav(path.join(dir, 'clips', 'sub', 'c.WAV'), clip(3, 0.5, 48000), 48000);
  await writeWav(path.join(dir, 'low.wav'), clip(1, 0.5, 8000), 8000);
  await writeWav(path.join(dir, 'short.wav'), clip(1, 0.25, 48000), 48000);
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const base = { rate: 12000, nFft: 1024, hop: 256, nMels: 64 };

describe('computeFeatures (float mode)', () => {
  it('stacks sorted clips into [N, nMels, nFrames, 1] matching the numpy pipeline', async () => {
    const out = path.join(dir, 'f.npy');
    const result = await computeFeatures([path.join(dir, 'clips')], { ...base, out });
    expect(result.files.map((f) => path.relative(dir, f))).toEqual(['clips/a.wav', 'clips/b.wav', 'clips/sub/c.WAV']);
    const nFrames = 1 + Math.floor(6000 / 256);
    expect(result.shape).toEqual([3, 64, nFrames, 1]);

    const script = `
import json, sys, numpy as np, scipy.io.wavfile as w
sys.path.insert(0, sys.argv[1])
import mel_ref, resample_ref
feats = np.load(sys.argv[2])
worst = 0.0
for k, name in enumerate(sys.argv[3:]):
    sr, x = w.read(name)
    y = resample_ref.resample_kaiser(x.astype(np.float64) / 32768, sr, 12000)
    power = mel_ref.mel_filters(12000, 1024, 64, 0, 6000) @ mel_ref.power_spectrogram(y, 1024, 256)
    db = 10 * np.log10(np.maximum(1e-10, power))
    db = np.maximum(db, db.max() - 80)
    worst = max(worst, float(np.abs(feats[k, :, :, 0] - db).max()))
print(json.dumps({'dtype': str(feats.dtype), 'shape': list(feats.shape), 'worst': worst}))
`;
    const { stdout } = await execa(PYTHON, ['-c', script, REF_DIR, out, ...result.files]);
    const got = JSON.parse(stdout) as { dtype: string; shape: number[]; worst: number };
    expect(got.dtype).toBe('float32');
    expect(got.shape).toEqual([3, 64, nFrames, 1]);
    // float32 storage of values down to about −100 dB: a few 1e-6 dB.
    expect(got.worst).toBeLessThan(1e-4);
  });

  it('writes byte-identical output for the same inputs, whatever order they are named in', async () => {
    const a = path.join(dir, 'd1.npy');
    const b = path.join(dir, 'd2.npy');
    await computeFeatures([path.join(dir, 'clips', 'b.wav'), path.join(dir, 'clips', 'a.wav')], { ...base, out: a });
    await computeFeatures([path.join(dir, 'clips', 'a.wav'), path.join(dir, 'clips', 'b.wav')], { ...base, out: b });
    expect((await readFile(a)).equals(await readFile(b))).toBe(true);
  });

  it('per-window top_db scope gives one row per window', async () => {
    const result = await computeFeatures([path.join(dir, 'clips')], {
      ...base,
      out: path.join(dir, 'w.npy'),
      scope: { windowFrames: 8, hopFrames: 4 },
    });
    const nFrames = 1 + Math.floor(6000 / 256);
    const perClip = 1 + Math.floor((nFrames - 8) / 4);
    expect(result.rowsPerFile).toEqual([perClip, perClip, perClip]);
    expect(result.shape).toEqual([3 * perClip, 64, 8, 1]);
  });

  it('refuses a clip sampled below the target rate with BAD_RATE', async () => {
    await expect(computeFeatures([path.join(dir, 'low.wav')], { ...base, out: path.join(dir, 'x.npy') })).rejects.toMatchObject({
      code: 'BAD_RATE',
      message: expect.stringMatching(/low\.wav: sampled at 8000 Hz, below --rate 12000: the data holds up to 8000 Hz; choose --rate ≤ 8000/),
    });
  });

  it('refuses clips of different lengths, and empty inputs', async () => {
    await expect(
      computeFeatures([path.join(dir, 'clips', 'a.wav'), path.join(dir, 'short.wav')], { ...base, out: path.join(dir, 'x.npy') }),
    ).rejects.toMatchObject({ code: 'BAD_DATASET', message: expect.stringMatching(/short\.wav: gives 64x12.*a\.wav gave 64x24; cut all clips/) });
    await mkdir(path.join(dir, 'empty'), { recursive: true });
    await expect(computeFeatures([path.join(dir, 'empty')], { ...base, out: path.join(dir, 'x.npy') })).rejects.toMatchObject({ code: 'BAD_DATASET' });
    await expect(computeFeatures([path.join(dir, 'missing')], { ...base, out: path.join(dir, 'x.npy') })).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
  });
});

describe('computeFeatures (fixed mode plug-in)', () => {
  it('hands the extractor int16 samples at the file rate and stacks what it returns', async () => {
    const seen: [number, number, number][] = [];
    const result = await computeFeatures([path.join(dir, 'clips')], {
      ...base,
      out: path.join(dir, 'fx.npy'),
      mode: 'fixed',
      fixedExtractor: (samples, sampleRate) => {
        seen.push([samples.length, sampleRate, samples[1]!]);
        return { nMels: 2, nFrames: 3, data: Float64Array.from([1, 2, 3, 4, 5, 6]) };
      },
    });
    expect(seen).toEqual([
      [24000, 48000, clip(1, 0.5, 48000)[1]!],
      [24000, 48000, clip(2, 0.5, 48000)[1]!],
      [24000, 48000, clip(3, 0.5, 48000)[1]!],
    ]);
    expect(result.shape).toEqual([3, 2, 3, 1]);
  });

  it('without an extractor, fixed mode is a clear error', async () => {
    await expect(computeFeatures([path.join(dir, 'clips')], { ...base, out: path.join(dir, 'fx.npy'), mode: 'fixed' })).rejects.toMatchObject({
      code: 'BAD_ARGUMENT',
    });
  });
});
