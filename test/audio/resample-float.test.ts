import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { besselI0, resampleFloat, resampledLength } from '../../src/audio/resample-float.js';

const REF = path.join(path.dirname(fileURLToPath(import.meta.url)), 'ref', 'resample_ref.py');

/** Tones well inside both Nyquists (≤ 0.35 of the lower one) plus a DC offset. */
function inBandTones(rate: number, lowerNyquist: number, samples: number): Float64Array {
  const freqs = [0.05, 0.13, 0.22, 0.35].map((f) => f * lowerNyquist);
  return Float64Array.from(
    { length: samples },
    (_, i) => 0.05 + freqs.reduce((acc, f, k) => acc + (0.2 / (k + 1)) * Math.sin((2 * Math.PI * f * i) / rate + k), 0),
  );
}

function inBandTonesAt(time: number, lowerNyquist: number): number {
  const freqs = [0.05, 0.13, 0.22, 0.35].map((f) => f * lowerNyquist);
  return 0.05 + freqs.reduce((acc, f, k) => acc + (0.2 / (k + 1)) * Math.sin(2 * Math.PI * f * time + k), 0);
}

const CASES = [
  { from: 48000, to: 24000, samples: 4800 },
  { from: 48000, to: 16000, samples: 4801 },
  { from: 48000, to: 375, samples: 12000 },
  { from: 24000, to: 1500, samples: 4000 },
  { from: 16000, to: 12000, samples: 3203 },
  { from: 12000, to: 16000, samples: 2001 },
  { from: 44100, to: 24000, samples: 4410 },
];

let dir: string;
const refs: { kaiser: Float64Array; poly: Float64Array }[] = [];

const readF64 = (buf: Buffer) => Float64Array.from({ length: buf.length / 8 }, (_, i) => buf.readDoubleLE(i * 8));
const f64Bytes = (x: Float64Array) => {
  const buf = Buffer.alloc(x.length * 8);
  x.forEach((v, i) => buf.writeDoubleLE(v, i * 8));
  return buf;
};
const signalFor = (c: (typeof CASES)[number]) => inBandTones(c.from, Math.min(c.from, c.to) / 2, c.samples);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tinypdm-resample-'));
  const manifest = await Promise.all(
    CASES.map(async (c, i) => {
      const signal = path.join(dir, `r${i}.f64`);
      await writeFile(signal, f64Bytes(signalFor(c)));
      return { signal, out: path.join(dir, `r${i}`), from: c.from, to: c.to };
    }),
  );
  await writeFile(path.join(dir, 'cases.json'), JSON.stringify(manifest));
  await execa('/usr/bin/python3', [REF, path.join(dir, 'cases.json')]);
  for (let i = 0; i < CASES.length; i++) {
    refs.push({
      kaiser: readF64(await readFile(path.join(dir, `r${i}.kaiser.f64`))),
      poly: readF64(await readFile(path.join(dir, `r${i}.poly.f64`))),
    });
  }
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>, from = 0, to = a.length): number {
  let worst = 0;
  for (let i = from; i < to; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

describe('resampleFloat vs numpy/scipy', () => {
  for (const [i, c] of CASES.entries()) {
    it(`${c.from} → ${c.to} Hz`, () => {
      const y = resampleFloat(signalFor(c), c.from, c.to);
      const { kaiser, poly } = refs[i]!;
      expect(y.length).toBe(Math.ceil((c.samples * c.to) / c.from));
      expect(kaiser.length).toBe(y.length);
      // Same algorithm written independently in numpy with scipy's Kaiser window.
      expect(maxAbsDiff(y, kaiser)).toBeLessThan(1e-11);
      // A different filter (scipy's polyphase) and the continuous signal itself
      // agree on in-band content away from the edges, where both filters see zeros.
      const edge = Math.ceil(0.1 * y.length);
      const end = Math.floor((c.samples * c.to) / c.from) - edge;
      expect(maxAbsDiff(y, poly, edge, end)).toBeLessThan(2e-3);
      const analytic = Float64Array.from(y, (_, t) => inBandTonesAt(t / c.to, Math.min(c.from, c.to) / 2));
      // (resampy's integer table step, e.g. 170 for 1/3, costs about 1e-3 here.)
      expect(maxAbsDiff(y, analytic, edge, end)).toBeLessThan(3e-3);
    });
  }
});

describe('resampleFloat properties', () => {
  it('a tone stays a tone at the same frequency (DFT peak), and out-of-band tones are removed', () => {
    const from = 48000;
    const to = 6000;
    const n = 48000;
    const f0 = 1234.5;
    const alias = 4700; // above the 3 kHz target Nyquist: must not fold back to 1300 Hz
    const x = Float64Array.from(
      { length: n },
      (_, i) => Math.sin((2 * Math.PI * f0 * i) / from) + Math.sin((2 * Math.PI * alias * i) / from),
    );
    const y = resampleFloat(x, from, to);
    const power = (f: number) => {
      let re = 0;
      let im = 0;
      // Hann-weighted so the strong tone's leakage does not mask the alias bin.
      const span = y.length - 1200;
      for (let t = 600; t < y.length - 600; t++) {
        const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * (t - 600)) / span);
        re += w * y[t]! * Math.cos((2 * Math.PI * f * t) / to);
        im += w * y[t]! * Math.sin((2 * Math.PI * f * t) / to);
      }
      return re * re + im * im;
    };
    let best = 0;
    for (let f = 1200; f <= 1270; f += 0.5) if (power(f) > power(best || 1000)) best = f;
    expect(best).toBe(f0);
    expect(power(to - alias) / power(f0)).toBeLessThan(1e-8);
  });

  it('length is ceil(len·to/from); the sample past floor(...) is zero as librosa pads it', () => {
    expect(resampledLength(1001, 48000, 24000)).toBe(501);
    const y = resampleFloat(new Float64Array(1001).fill(0.5), 48000, 24000);
    expect(y.length).toBe(501);
    expect(y[500]).toBe(0);
    expect(y[250]).toBeCloseTo(0.5, 3);
    expect(resampleFloat(new Float64Array(10), 16000, 16000).length).toBe(10);
  });

  it('I0 matches its series values', () => {
    expect(besselI0(0)).toBe(1);
    expect(besselI0(1)).toBeCloseTo(1.2660658777520082, 14);
    // scipy.special.i0(14.769656459379492)
    expect(besselI0(14.769656459379492) / 271903.6406814566).toBeCloseTo(1, 13);
  });

  it('handles a 10 s clip at 48 kHz and is deterministic', () => {
    const x = inBandTones(48000, 12000, 480000);
    const a = resampleFloat(x, 48000, 24000);
    const b = resampleFloat(Float64Array.from(x), 48000, 24000);
    expect(a.length).toBe(240000);
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
  });

  it('rejects bad rates and clips too short to resample', () => {
    expect(() => resampleFloat(new Float64Array(4), 0, 16000)).toThrow(/source rate must be a positive number of Hz, got 0/);
    expect(() => resampleFloat(new Float64Array(4), 48000, 375)).toThrow(/give no samples at 375 Hz/);
  });
});
