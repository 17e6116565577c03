import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { melFilterbank } from '../../src/audio/mel-filters.js';
import { melSpectrogramDb, planRealFft, powerMel, type MelConfig } from '../../src/audio/mel-float/index.js';
import { TinyPdmError } from '../../src/util/errors.js';

/**
 * The float Mel reference against an independent numpy implementation
 * (test/audio/ref/mel_ref.py), run once for all cases on signals made here.
 */
const REF = path.join(path.dirname(fileURLToPath(import.meta.url)), 'ref', 'mel_ref.py');
const PYTHON = '/usr/bin/python3';

type SignalKind = 'chirp' | 'noise' | 'tones' | 'silence' | 'impulses';

/** Deterministic test signals; `seed` keeps the noise reproducible (mulberry32). */
function makeSignal(kind: SignalKind, sampleRate: number, seconds: number, seed = 1): Float64Array {
  const n = Math.round(sampleRate * seconds);
  const y = new Float64Array(n);
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const nyquist = sampleRate / 2;
  for (let i = 0; i < n; i++) {
    const t = i / sampleRate;
    if (kind === 'chirp') {
      // Linear sweep from 20 Hz to 0.9·Nyquist over the clip.
      const f1 = 0.9 * nyquist;
      y[i] = 0.5 * Math.sin(2 * Math.PI * (20 * t + ((f1 - 20) * t * t) / (2 * seconds)));
    } else if (kind === 'noise') y[i] = random() * 2 - 1;
    else if (kind === 'tones')
      y[i] = 0.3 * Math.sin(2 * Math.PI * 0.1 * nyquist * t) + 0.2 * Math.sin(2 * Math.PI * 0.37 * nyquist * t + 1);
    else if (kind === 'impulses') y[i] = i % 997 === 0 ? 1 : 0;
  }
  return y;
}

interface Case {
  name: string;
  kind: SignalKind;
  seconds: number;
  cfg: MelConfig;
  window?: { windowFrames: number; hopFrames: number };
}

const cfg = (sampleRate: number, nFft: number, hop: number, nMels: number, extra: Partial<MelConfig> = {}): MelConfig => ({
  sampleRate,
  nFft,
  hop,
  nMels,
  fmin: 0,
  fmax: sampleRate / 2,
  topDb: 80,
  ...extra,
});

const CASES: Case[] = [
  { name: 'chirp 24k paper config', kind: 'chirp', seconds: 2, cfg: cfg(24000, 2048, 512, 256) },
  { name: 'noise 12k', kind: 'noise', seconds: 2, cfg: cfg(12000, 2048, 512, 256) },
  { name: 'tones 6k nfft 1024', kind: 'tones', seconds: 2, cfg: cfg(6000, 1024, 256, 128) },
  { name: 'chirp 3k nfft 512', kind: 'chirp', seconds: 3, cfg: cfg(3000, 512, 128, 64) },
  { name: 'noise 1500 nfft 256', kind: 'noise', seconds: 3, cfg: cfg(1500, 256, 64, 32) },
  { name: 'tones 750 paper config (window longer than clip)', kind: 'tones', seconds: 2, cfg: cfg(750, 2048, 512, 256) },
  { name: 'chirp 375 nfft 256', kind: 'chirp', seconds: 4, cfg: cfg(375, 256, 32, 40) },
  { name: 'silence 6k (all at the amin floor)', kind: 'silence', seconds: 1, cfg: cfg(6000, 1024, 512, 64) },
  { name: 'impulses 12k fmin/fmax band', kind: 'impulses', seconds: 1, cfg: cfg(12000, 1024, 300, 64, { fmin: 50, fmax: 5000 }) },
  { name: 'noise 24k top_db 40, hop not dividing', kind: 'noise', seconds: 1, cfg: cfg(24000, 2048, 500, 128, { topDb: 40 }) },
  { name: 'chirp 16k n_fft 1000 (Bluestein)', kind: 'chirp', seconds: 1, cfg: cfg(16000, 1000, 160, 64) },
  { name: 'tones 8k n_fft 999 (odd, Bluestein)', kind: 'tones', seconds: 1, cfg: cfg(8000, 999, 128, 40) },
  {
    name: 'noise+chirp 6k per-window top_db',
    kind: 'chirp',
    seconds: 4,
    cfg: cfg(6000, 512, 128, 64, { topDb: 30 }),
    window: { windowFrames: 32, hopFrames: 16 },
  },
];

interface RefOutput {
  filters: Float64Array;
  power: Float64Array;
  db: Float64Array;
  nBins: number;
  nFrames: number;
}

let dir: string;
const refs = new Map<string, RefOutput>();

function readF64(buf: Buffer): Float64Array {
  const out = new Float64Array(buf.length / 8);
  for (let i = 0; i < out.length; i++) out[i] = buf.readDoubleLE(i * 8);
  return out;
}

function f64Bytes(x: Float64Array): Buffer {
  const buf = Buffer.alloc(x.length * 8);
  x.forEach((v, i) => buf.writeDoubleLE(v, i * 8));
  return buf;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tinypdm-mel-'));
  const manifest = await Promise.all(
    CASES.map(async (c, i) => {
      const signal = path.join(dir, `case${i}.f64`);
      await writeFile(signal, f64Bytes(makeSignal(c.kind, c.cfg.sampleRate, c.seconds, i + 1)));
      return { signal, out: path.join(dir, `case${i}`), sr: c.cfg.sampleRate, ...c.cfg, ...c.window };
    }),
  );
  await writeFile(path.join(dir, 'cases.json'), JSON.stringify(manifest));
  const { stdout } = await execa(PYTHON, [REF, path.join(dir, 'cases.json')]);
  const shapes = JSON.parse(stdout) as { nBins: number; nFrames: number }[];
  for (const [i, c] of CASES.entries()) {
    const prefix = path.join(dir, `case${i}`);
    refs.set(c.name, {
      filters: readF64(await readFile(`${prefix}.filters.f64`)),
      power: readF64(await readFile(`${prefix}.power.f64`)),
      db: readF64(await readFile(`${prefix}.db.f64`)),
      ...shapes[i]!,
    });
  }
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

function arrayMax(a: ArrayLike<number>): number {
  let m = -Infinity;
  for (let i = 0; i < a.length; i++) if (a[i]! > m) m = a[i]!;
  return m;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

describe('float Mel reference vs independent numpy', () => {
  for (const [i, c] of CASES.entries()) {
    it(c.name, () => {
      const ref = refs.get(c.name)!;
      const y = makeSignal(c.kind, c.cfg.sampleRate, c.seconds, i + 1);

      const filters = melFilterbank(c.cfg);
      const flat = new Float64Array(filters.length * ref.nBins);
      filters.forEach((row, m) => {
        expect(row.length).toBe(ref.nBins);
        flat.set(row, m * ref.nBins);
      });
      const filterPeak = arrayMax(ref.filters);
      expect(maxAbsDiff(flat, ref.filters)).toBeLessThan(1e-12 * Math.max(1, filterPeak));

      const power = powerMel(y, c.cfg);
      expect(power.nFrames).toBe(ref.nFrames);
      // A relative bound at the array's peak: rounding in the FFT scales with it.
      const peak = Math.max(1e-30, arrayMax(ref.power));
      expect(maxAbsDiff(power.data, ref.power)).toBeLessThan(1e-9 * peak);

      if (c.window) {
        const windows = melSpectrogramDb(y, c.cfg, c.window);
        expect(windows.length).toBeGreaterThan(1);
        const flatDb = new Float64Array(windows.length * c.cfg.nMels * c.window.windowFrames);
        windows.forEach((w, k) => {
          expect(w.nFrames).toBe(c.window!.windowFrames);
          flatDb.set(w.data, k * w.data.length);
        });
        expect(maxAbsDiff(flatDb, ref.db)).toBeLessThan(1e-4);
      } else {
        const db = melSpectrogramDb(y, c.cfg);
        expect([db.nMels, db.nFrames]).toEqual([c.cfg.nMels, ref.nFrames]);
        expect(maxAbsDiff(db.data, ref.db)).toBeLessThan(1e-4);
      }
    });
  }
});

describe('float Mel reference properties', () => {
  it('frame count is 1 + len // hop (center=True) and a 10 s clip at 48 kHz runs', () => {
    const c = cfg(48000, 2048, 512, 256);
    const y = makeSignal('noise', 48000, 10);
    const db = melSpectrogramDb(y, c);
    expect(db.nFrames).toBe(1 + Math.floor(480000 / 512));
    expect(db.data.every(Number.isFinite)).toBe(true);
  });

  it('top_db clip: nothing lies below peak − topDb, and the floor is reached on a quiet tail', () => {
    const c = cfg(8000, 512, 128, 40, { topDb: 50 });
    const y = makeSignal('tones', 8000, 1);
    for (let i = 4000; i < y.length; i++) y[i] = 0;
    const { data } = melSpectrogramDb(y, c);
    const peak = arrayMax(data);
    expect(-arrayMax(data.map((v) => -v))).toBeCloseTo(peak - 50, 9);
  });

  it('a pure tone peaks in the Mel band whose triangle centre is nearest its frequency', () => {
    const sr = 16000;
    const f0 = 1000;
    const y = new Float64Array(sr).map((_, i) => Math.sin((2 * Math.PI * f0 * i) / sr));
    const c = cfg(sr, 1024, 256, 40);
    const { data, nFrames } = melSpectrogramDb(y, c);
    const mid = Math.floor(nFrames / 2);
    let best = 0;
    for (let m = 1; m < 40; m++) if (data[m * nFrames + mid]! > data[best * nFrames + mid]!) best = m;
    const filters = melFilterbank(c);
    const centreHz = (m: number) => (filters[m]!.indexOf(Math.max(...filters[m]!)) * sr) / 1024;
    expect(Math.abs(centreHz(best) - f0)).toBeLessThan(120);
  });

  it('real FFT matches a direct DFT for power-of-two and other sizes', () => {
    for (const n of [1, 2, 8, 64, 3, 5, 12, 100, 243]) {
      const x = makeSignal('noise', n, 1, n);
      const fft = planRealFft(n);
      const re = new Float64Array(fft.bins);
      const im = new Float64Array(fft.bins);
      fft.forward(x, re, im);
      for (let k = 0; k < fft.bins; k++) {
        let dr = 0;
        let di = 0;
        for (let t = 0; t < n; t++) {
          dr += x[t]! * Math.cos((2 * Math.PI * k * t) / n);
          di -= x[t]! * Math.sin((2 * Math.PI * k * t) / n);
        }
        expect(Math.abs(re[k]! - dr)).toBeLessThan(1e-10 * n);
        expect(Math.abs(im[k]! - di)).toBeLessThan(1e-10 * n);
      }
    }
  });

  it('is deterministic', () => {
    const c = cfg(12000, 2048, 512, 128);
    const y = makeSignal('noise', 12000, 1, 7);
    const a = melSpectrogramDb(y, c).data;
    const b = melSpectrogramDb(Float64Array.from(y), c).data;
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
  });

  it('rejects a bad config with a one-line error naming the value', () => {
    const y = new Float64Array(100);
    expect(() => powerMel(y, cfg(8000, 512, 0, 40))).toThrow(/hop must be a positive integer, got 0/);
    expect(() => powerMel(y, cfg(8000, 512, 128, 40, { fmax: 6000 }))).toThrow(TinyPdmError);
    expect(() => powerMel(y, cfg(8000, 512, 128, 40, { fmax: 6000 }))).toThrow(/choose --fmax ≤ 4000/);
  });
});
