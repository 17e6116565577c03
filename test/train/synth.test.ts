import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeNpy } from '../../src/util/npy.js';
import { createRng } from '../../src/util/random.js';
import { splitNormal } from '../../src/data/split.js';
import { ANOMALY_TYPES, planDataset, renderClip, synthesizeDataset, type AnomalyType, type SynthClip } from '../../src/data/synth/index.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'tinypdm-synth-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** numpy does the spectral measurements, so they do not share code with the generator. */
function python(script: string, args: string[]): any {
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, ...args], { encoding: 'utf8' }));
}

/** The same clip without its fault: same parameters, same audio stream. */
function normalTwin(seed: number, clip: SynthClip): Float32Array {
  return renderClip(seed, { file: clip.file, params: clip.params });
}

const BAND_FRACTIONS_PY = `
import sys, json, numpy as np
out = {}
for name in sys.argv[1:]:
    x = np.load(name).astype(np.float64)
    p = np.abs(np.fft.rfft(x)) ** 2
    f = np.fft.rfftfreq(len(x), 1 / 48000)
    out[name] = {k: float(p[(f >= lo) & (f < hi)].sum() / p.sum()) for k, (lo, hi) in
        {'below1000': (0, 1000), '500to3000': (500, 3000), '1500to3200': (1500, 3200), '3500to7000': (3500, 7000), '7000to12500': (7000, 12500), '4500to9000': (4500, 9000), '6000to10000': (6000, 10000)}.items()}
print(json.dumps(out))
`;

describe('synthesizeDataset', () => {
  const opts = { seed: 7, normal: 3, anomaliesPerType: 1, durationSec: 0.5, difficulty: 0.5 };

  it('writes the same bytes for the same seed and different bytes for another seed', async () => {
    const a = await synthesizeDataset({ ...opts, outDir: path.join(tmp, 'a') });
    await synthesizeDataset({ ...opts, outDir: path.join(tmp, 'b') });
    const c = await synthesizeDataset({ ...opts, seed: 8, outDir: path.join(tmp, 'c') });
    expect(a.clips.map((x) => x.file)).toEqual([
      'normal/normal_0000.wav',
      'normal/normal_0001.wav',
      'normal/normal_0002.wav',
      ...ANOMALY_TYPES.map((t) => `anomaly/${t}/${t}_0000.wav`),
    ]);
    for (const clip of a.clips) {
      const bytesA = readFileSync(path.join(tmp, 'a', clip.file));
      expect(Buffer.compare(bytesA, readFileSync(path.join(tmp, 'b', clip.file)))).toBe(0);
      expect(Buffer.compare(bytesA, readFileSync(path.join(tmp, 'c', clip.file)))).not.toBe(0);
    }
    expect(readFileSync(path.join(tmp, 'a', 'manifest.json'), 'utf8')).toBe(readFileSync(path.join(tmp, 'b', 'manifest.json'), 'utf8'));
    expect(JSON.parse(readFileSync(path.join(tmp, 'a', 'manifest.json'), 'utf8')).seed).toBe(7);
    expect(c.machine.humF0Hz).not.toBe(a.machine.humF0Hz);
  });

  it('writes 16-bit PCM WAVs that scipy reads back as our samples (±1 LSB)', async () => {
    const m = await synthesizeDataset({ ...opts, outDir: path.join(tmp, 'wav') });
    const clip = m.clips[3]!;
    const ours = renderClip(m.seed, clip);
    await writeNpy(path.join(tmp, 'ours.npy'), [ours.length], ours);
    const r = python(
      `import sys, json, numpy as np
from scipy.io import wavfile
sr, x = wavfile.read(sys.argv[1])
ref = np.load(sys.argv[2]) * 32767
print(json.dumps({'sr': sr, 'dtype': str(x.dtype), 'n': len(x), 'maxdiff': float(np.abs(x - ref).max()), 'peak': int(np.abs(x).max())}))`,
      [path.join(tmp, 'wav', clip.file), path.join(tmp, 'ours.npy')],
    );
    expect(r).toMatchObject({ sr: 48000, dtype: 'int16', n: 24000 });
    expect(r.maxdiff).toBeLessThanOrEqual(0.5 + 1e-6);
    expect(r.peak).toBeGreaterThan(1000); // not silent
    expect(clip.clippedSamples).toBe(0);
  });

  it('keeps a clip unchanged when other clips are added (per-clip streams)', () => {
    const small = planDataset({ ...opts, normal: 2 });
    const large = planDataset({ ...opts, normal: 5, anomaliesPerType: 3 });
    expect(large.clips[1]).toEqual(small.clips[1]);
    const belt = (m: typeof small) => m.clips.find((c) => c.file === 'anomaly/belt-slip/belt-slip_0000.wav');
    expect(belt(large)).toEqual(belt(small));
  });

  it('rejects bad options with a message that names the value', () => {
    expect(() => planDataset({ ...opts, difficulty: 2 })).toThrow(/difficulty must be in \[0, 1\].*got 2/);
    expect(() => planDataset({ ...opts, types: ['rusty' as AnomalyType] })).toThrow(
      /unknown anomaly type "rusty"; supported: damaged-roller/,
    );
    expect(() => planDataset({ ...opts, normal: 1.5 })).toThrow(/normal must be a non-negative integer, got 1.5/);
  });
});

describe('anomaly cues sit in their bands', () => {
  const plan = planDataset({ seed: 3, normal: 0, anomaliesPerType: 3, durationSec: 1, difficulty: 0.3 });

  it('residual (fault minus its normal twin) energy lies in each fault band, measured by numpy', async () => {
    const files: Record<string, string> = {};
    for (const clip of plan.clips.filter((c) => c.type !== 'belt-slip')) {
      const anomaly = renderClip(plan.seed, clip);
      const twin = normalTwin(plan.seed, clip);
      const residual = anomaly.map((v, i) => v - twin[i]!);
      const f = path.join(tmp, `${path.basename(clip.file, '.wav')}.npy`);
      await writeNpy(f, [residual.length], residual);
      files[clip.file] = f;
    }
    const fractions = python(BAND_FRACTIONS_PY, Object.values(files));
    for (const clip of plan.clips) {
      if (clip.type === 'belt-slip') continue;
      const b = fractions[files[clip.file]!];
      if (clip.type === 'dry-bearing') expect(b['4500to9000'], clip.file).toBeGreaterThan(0.95);
      if (clip.type === 'damaged-roller') {
        // The bright ring plus the roller modes the same strike excites; nothing elsewhere.
        expect(b['6000to10000'] + b['500to3000'], clip.file).toBeGreaterThan(0.9);
        // The bright ring is short (2–5 ms) and the crack rings the body modes harder, so its energy share is
        // small; it is still the only cue above 6 kHz (the one that needs a 24 kHz rate).
        expect(b['6000to10000'], clip.file).toBeGreaterThan(0.003);
      }
      if (clip.type === 'loose-part') {
        // The knock at 150–1000 Hz and the rattle's three partials; nothing elsewhere. Each partial carries its share.
        const rattle = [b['1500to3200'], b['3500to7000'], b['7000to12500']];
        expect(b.below1000 + rattle[0] + rattle[1] + rattle[2], clip.file).toBeGreaterThan(0.9);
        for (const share of rattle) expect(share, clip.file).toBeGreaterThan(0.05);
      }
    }
  });

  it('dry bearing and damaged roller raise the energy of their bands above every normal clip', async () => {
    const m = await synthesizeDataset({
      seed: 4,
      normal: 8,
      anomaliesPerType: 3,
      durationSec: 1,
      difficulty: 0.2,
      types: ['dry-bearing', 'damaged-roller'],
      outDir: path.join(tmp, 'hf'),
    });
    const wavs = m.clips.map((c) => path.join(tmp, 'hf', c.file));
    // Share of each clip's energy in 4.5-9 kHz and in 6-10 kHz.
    const shares: [number, number][] = python(
      `import sys, json, numpy as np
from scipy.io import wavfile
out = []
for name in sys.argv[1:]:
    sr, x = wavfile.read(name)
    p = np.abs(np.fft.rfft(x.astype(np.float64))) ** 2
    f = np.fft.rfftfreq(len(x), 1 / sr)
    out.append([float(p[(f >= lo) & (f < hi)].sum() / p.sum()) for lo, hi in ((4500, 9000), (6000, 10000))])
print(json.dumps(out))`,
      wavs,
    );
    const normals = shares.slice(0, 8);
    for (let i = 8; i < shares.length; i++) {
      const band = m.clips[i]!.type === 'dry-bearing' ? 0 : 1;
      expect(shares[i]![band], m.clips[i]!.file).toBeGreaterThan(Math.max(...normals.map((s) => s[band])));
    }
  });

  it('belt slip wobbles the motor hum (pitch, 0.7–3 Hz) by its drawn depth, measured by numpy', async () => {
    const m = planDataset({ seed: 5, normal: 0, anomaliesPerType: 3, durationSec: 4, difficulty: 0, types: ['belt-slip'] });
    const names: string[] = [];
    for (const clip of m.clips) {
      for (const [kind, x] of [
        ['slip', renderClip(m.seed, clip)],
        ['twin', normalTwin(m.seed, clip)],
      ] as const) {
        const f = path.join(tmp, `${kind}-${path.basename(clip.file, '.wav')}.npy`);
        await writeNpy(f, [x.length], x);
        names.push(f);
      }
    }
    // The hum fundamental's instantaneous frequency (analytic signal of its ±4 Hz neighbourhood), as a fraction of
    // its mean, then the RMS of its 0.6–3.2 Hz part: the slip's wobble, apart from the slower normal drift (≤ 0.4 Hz).
    const wobble: number[] = python(
      `import sys, json, numpy as np
sr = 48000
out = []
for name in sys.argv[1:]:
    x = np.load(name).astype(np.float64)
    X = np.fft.fft(x)
    f = np.fft.fftfreq(len(x), 1 / sr)
    band = (f >= 40) & (f < 130)
    f0 = f[band][np.argmax(np.abs(X[band]))]
    z = np.fft.ifft(np.where((f > 0) & (np.abs(f - f0) < 4), 2 * X, 0))
    inst = np.diff(np.unwrap(np.angle(z)))[sr // 2:-sr // 2] * sr / (2 * np.pi)
    dev = inst / inst.mean() - 1
    D = np.fft.rfft(dev)
    g = np.fft.rfftfreq(len(dev), 1 / sr)
    D[(g < 0.6) | (g > 3.2)] = 0
    out.append(float(np.sqrt(np.mean(np.fft.irfft(D, len(dev)) ** 2))))
print(json.dumps(out))`,
      names,
    );
    m.clips.forEach((clip, k) => {
      const [slip, twin] = [wobble[2 * k]!, wobble[2 * k + 1]!];
      // The twin's floor (noise and impacts near the hum line) adds in quadrature; what is left is the slip's wobble,
      // whose RMS is depth/√2 for a sine of peak `depth`.
      const expected = (clip.cue as { depth: number }).depth / Math.SQRT2;
      expect(twin, clip.file).toBeLessThan(0.5 * slip);
      expect(Math.sqrt(slip ** 2 - twin ** 2) / expected, clip.file).toBeGreaterThan(0.75);
      expect(Math.sqrt(slip ** 2 - twin ** 2) / expected, clip.file).toBeLessThan(1.25);
    });
    // And it squeals: the slipping clip has more of its energy at 1.5–3.2 kHz than its normal twin.
    const bands = python(BAND_FRACTIONS_PY, names);
    for (let i = 0; i < names.length; i += 2)
      expect(bands[names[i]!]['1500to3200'], names[i]).toBeGreaterThan(2 * bands[names[i + 1]!]['1500to3200']);
  });

  it('higher difficulty gives a weaker cue, for every fault type', () => {
    const residualRms = (difficulty: number, type: AnomalyType) => {
      const p = planDataset({ seed: 11, normal: 0, anomaliesPerType: 2, durationSec: 1, difficulty, types: [type] });
      return p.clips.map((clip) => {
        const a = renderClip(p.seed, clip);
        const b = normalTwin(p.seed, clip);
        let s = 0;
        for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
        return Math.sqrt(s / a.length);
      });
    };
    // A speed wobble decorrelates the hum's phase, so its residual saturates at large depths: for belt slip the
    // strength is the drawn wobble depth itself.
    const beltDepth = (difficulty: number) =>
      planDataset({ seed: 11, normal: 0, anomaliesPerType: 2, durationSec: 1, difficulty, types: ['belt-slip'] }).clips.map(
        (c) => (c.cue as { depth: number }).depth,
      );
    for (const type of ANOMALY_TYPES) {
      const levels = [0, 0.5, 1].map((d) => (type === 'belt-slip' ? beltDepth(d) : residualRms(d, type)));
      for (let k = 0; k < 2; k++) {
        expect(levels[0]![k], type).toBeGreaterThan(levels[1]![k]!);
        expect(levels[1]![k], type).toBeGreaterThan(levels[2]![k]!);
      }
    }
  });
});

describe('seeded helpers', () => {
  it('createRng replays and derive() gives independent named streams', () => {
    const draw = (seed: number, key?: string) => {
      const r = key === undefined ? createRng(seed) : createRng(seed).derive(key);
      return Array.from({ length: 5 }, () => r.next());
    };
    expect(draw(1)).toEqual(draw(1));
    expect(draw(1)).not.toEqual(draw(2));
    expect(draw(1, 'a')).not.toEqual(draw(1, 'b'));
    const values = draw(123).concat(draw(9, 'x'));
    for (const v of values) expect(v >= 0 && v < 1).toBe(true);
    // Uniformity, loosely: the mean of 20 000 draws is within 5 sigma of 1/2.
    const r = createRng(42);
    let sum = 0;
    for (let i = 0; i < 20000; i++) sum += r.next();
    expect(Math.abs(sum / 20000 - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / 20000));
  });

  it('splitNormal is 60/20/20, disjoint, complete, and independent of input order', () => {
    const files = Array.from({ length: 23 }, (_, i) => `normal_${String(i).padStart(2, '0')}.wav`);
    const s = splitNormal(files, 1);
    expect([s.train.length, s.val.length, s.test.length]).toEqual([13, 4, 6]);
    expect([...s.train, ...s.val, ...s.test].sort()).toEqual(files);
    expect(splitNormal([...files].reverse(), 1)).toEqual(s);
    expect(splitNormal(files, 2)).not.toEqual(s);
    expect(() => splitNormal(files, 1, [0.5, 0.2, 0.2])).toThrow(/sum to 1/);
  });
});
