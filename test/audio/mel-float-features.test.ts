import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { choosePdmRate } from '../../src/audio/index.js';
import { computeFeatures, type FeaturesOptions } from '../../src/data/index.js';
import { readNpy } from '../../src/util/index.js';
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

const spec: FeaturesOptions['spec'] = {
  mode: 'float',
  sampleRate: 12000,
  pdmRate: choosePdmRate(12000),
  nFft: 1024,
  hop: 256,
  nMels: 64,
  fmin: 0,
  fmax: 6000,
  topDb: 80,
  windowFrames: 1,
  windowHop: 1,
};
const base = { spec, scope: 'clip' as const };

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
      spec: { ...spec, windowFrames: 8, windowHop: 4 },
      out: path.join(dir, 'w.npy'),
      scope: 'windows',
    });
    const nFrames = 1 + Math.floor(6000 / 256);
    const perClip = 1 + Math.floor((nFrames - 8) / 4);
    expect(result.rowsPerFile).toEqual([perClip, perClip, perClip]);
    expect(result.shape).toEqual([3 * perClip, 64, 8, 1]);
  });

  it('refuses a clip sampled below the target rate with BAD_RATE', async () => {
    await expect(computeFeatures([path.join(dir, 'low.wav')], { ...base, out: path.join(dir, 'x.npy') })).rejects.toMatchObject({
      code: 'BAD_RATE',
      message: expect.stringMatching(/low\.wav: sampled at 8000 Hz, below --rate 12000 Hz; .*choose --rate ≤ 8000/),
    });
  });

  it('refuses clips of different lengths, and empty inputs', async () => {
    await expect(
      computeFeatures([path.join(dir, 'clips', 'a.wav'), path.join(dir, 'short.wav')], { ...base, out: path.join(dir, 'x.npy') }),
    ).rejects.toMatchObject({
      code: 'BAD_DATASET',
      message: expect.stringMatching(/short\.wav: gives 64x12.*a\.wav gave 64x24; cut all clips/),
    });
    await mkdir(path.join(dir, 'empty'), { recursive: true });
    await expect(computeFeatures([path.join(dir, 'empty')], { ...base, out: path.join(dir, 'x.npy') })).rejects.toMatchObject({
      code: 'BAD_DATASET',
    });
    await expect(computeFeatures([path.join(dir, 'missing')], { ...base, out: path.join(dir, 'x.npy') })).rejects.toMatchObject({
      code: 'FILE_NOT_FOUND',
    });
  });
});

describe('computeFeatures (fixed mode)', () => {
  it("runs the device front-end's twin (the path training takes) and agrees with the float reference in dB", async () => {
    const fixed = await computeFeatures([path.join(dir, 'clips')], {
      ...base,
      spec: { ...spec, mode: 'fixed' },
      out: path.join(dir, 'fx.npy'),
    });
    const float = await computeFeatures([path.join(dir, 'clips')], { ...base, out: path.join(dir, 'fl.npy') });
    expect(fixed.shape).toEqual(float.shape);
    const a = (await readNpy(fixed.out)).data;
    const b = (await readNpy(float.out)).data;
    // The device's anti-alias filter differs from resampy's near Nyquist: compare the bands below the top eighth.
    const [, nMels, nFrames] = fixed.shape;
    const diffs: number[] = [];
    for (let n = 0; n < fixed.shape[0]; n++) {
      for (let m = 0; m < (nMels * 7) / 8; m++)
        for (let f = 0; f < nFrames; f++) diffs.push(Math.abs(a[(n * nMels + m) * nFrames + f]! - b[(n * nMels + m) * nFrames + f]!));
    }
    diffs.sort((x, y) => x - y);
    expect(diffs[Math.floor(diffs.length / 2)]).toBeLessThan(0.5);
    // Not the same numbers: the fixed path really ran.
    expect(diffs[diffs.length - 1]).toBeGreaterThan(0);
  });

  it('refuses a configuration the fixed-point front-end cannot run', async () => {
    await expect(
      computeFeatures([path.join(dir, 'clips')], { ...base, spec: { ...spec, mode: 'fixed', nFft: 1000 }, out: path.join(dir, 'fx.npy') }),
    ).rejects.toMatchObject({
      code: 'BAD_ARGUMENT',
      message: expect.stringMatching(/n_fft 1000 is not a power of two/),
    });
  });
});
