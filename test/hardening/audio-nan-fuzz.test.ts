import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeWavBytes, readWav, readWavInt16 } from '../../src/audio/wav.js';
import { FUZZ_RUNS, FUZZ_SEED, outcome } from './fuzz-helpers.js';

/**
 * NaN and Inf in float WAVs (issue 13, part 4): generated float32/float64
 * clips, plain or WAVE_FORMAT_EXTENSIBLE, 1-3 channels, with 0-3 non-finite
 * samples (quiet and signalling NaNs with any payload and sign, ±Inf) at
 * random places. A clip with any is refused with BAD_WAV naming the file and
 * exactly the first bad sample (frame order, then channel) and its value; one
 * without reads back exactly. No NaN ever reaches the samples.
 */
const FILE = 'nan-fuzzed.wav';
let work: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'tinypdm-audio-nan-'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** A non-finite value as raw bits: every NaN encoding (sign, quiet/signalling, payload) and ±Inf. */
const nonFinite32 = fc.oneof(
  fc.constantFrom(0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7f800001, 0x7fffffff),
  fc.integer({ min: 1, max: 0x7fffff }).chain((payload) => fc.constantFrom(0x7f800000 | payload, 0xff800000 | payload)),
);
const nonFinite64 = fc.oneof(
  fc.constantFrom(0x7ff00000_00000000n, 0xfff00000_00000000n, 0x7ff80000_00000000n, 0x7ff00000_00000001n, 0xffffffff_ffffffffn),
  fc.bigInt({ min: 1n, max: (1n << 52n) - 1n }).map((payload) => 0x7ff00000_00000000n | payload),
);

interface Clip {
  bits: 32 | 64;
  channels: number;
  frames: number;
  sampleRate: number;
  extensible: boolean;
  /** Interleaved finite values, then the raw bits of the non-finite ones written over them. */
  values: number[];
  bad: Array<{ at: number; bits32: number; bits64: bigint }>;
}

const clip: fc.Arbitrary<Clip> = fc
  .record({
    bits: fc.constantFrom(32 as const, 64 as const),
    channels: fc.integer({ min: 1, max: 3 }),
    frames: fc.integer({ min: 1, max: 40 }),
    sampleRate: fc.constantFrom(8000, 16000, 48000, 1),
    extensible: fc.boolean(),
  })
  .chain((h) =>
    fc.record({
      bits: fc.constant(h.bits),
      channels: fc.constant(h.channels),
      frames: fc.constant(h.frames),
      sampleRate: fc.constant(h.sampleRate),
      extensible: fc.constant(h.extensible),
      values: fc.array(fc.double({ noNaN: true, noDefaultInfinity: true, min: -4, max: 4 }), {
        minLength: h.channels * h.frames,
        maxLength: h.channels * h.frames,
      }),
      // Half the clips are clean; the rest carry 1-3 bad samples.
      bad: fc.oneof(
        fc.constant([] as Clip['bad']),
        fc.array(fc.record({ at: fc.nat(h.channels * h.frames - 1), bits32: nonFinite32, bits64: nonFinite64 }), {
          minLength: 1,
          maxLength: 3,
        }),
      ),
    }),
  );

function encode(c: Clip): Uint8Array {
  const width = c.bits / 8;
  const fmtSize = c.extensible ? 40 : 16;
  const dataBytes = c.values.length * width;
  const out = new Uint8Array(12 + 8 + fmtSize + 8 + dataBytes);
  const v = new DataView(out.buffer);
  const ascii = (at: number, s: string) => [...s].forEach((ch, i) => (out[at + i] = ch.charCodeAt(0)));
  ascii(0, 'RIFF');
  v.setUint32(4, out.length - 8, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  v.setUint32(16, fmtSize, true);
  v.setUint16(20, c.extensible ? 0xfffe : 3, true);
  v.setUint16(22, c.channels, true);
  v.setUint32(24, c.sampleRate, true);
  v.setUint32(28, c.sampleRate * c.channels * width, true);
  v.setUint16(32, c.channels * width, true);
  v.setUint16(34, c.bits, true);
  if (c.extensible) {
    v.setUint16(36, 22, true);
    v.setUint16(38, c.bits, true);
    v.setUint32(40, 0, true);
    v.setUint16(44, 3, true); // KSDATAFORMAT_SUBTYPE_IEEE_FLOAT
    out.set([0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xaa, 0, 0x38, 0x9b, 0x71], 46);
  }
  const data = 20 + fmtSize;
  ascii(data, 'data');
  v.setUint32(data + 4, dataBytes, true);
  c.values.forEach((x, i) => (c.bits === 32 ? v.setFloat32(data + 8 + 4 * i, x, true) : v.setFloat64(data + 8 + 8 * i, x, true)));
  for (const b of c.bad) {
    if (c.bits === 32) v.setUint32(data + 8 + 4 * b.at, b.bits32, true);
    else v.setBigUint64(data + 8 + 8 * b.at, b.bits64, true);
  }
  return out;
}

/** The message the rule gives for the first bad sample in frame order, then channel; undefined for a clean clip. */
function expectedError(c: Clip): string | undefined {
  if (c.bad.length === 0) return undefined;
  const first = Math.min(...c.bad.map((b) => b.at));
  const frame = Math.floor(first / c.channels);
  const channel = first % c.channels;
  const last = c.bad.filter((b) => b.at === first).at(-1)!;
  const value =
    c.bits === 32
      ? new DataView(Uint32Array.of(last.bits32).buffer).getFloat32(0, true)
      : new DataView(BigUint64Array.of(last.bits64).buffer).getFloat64(0, true);
  const where = c.channels > 1 ? `float sample ${frame} of channel ${channel}` : `float sample ${frame}`;
  return `${FILE}: ${where} (of ${c.frames}, at ${(frame / c.sampleRate).toFixed(3)} s) is ${value}; audio samples must be finite numbers; re-export the clip, or fix the tool that wrote it`;
}

describe('NaN and Inf in float WAVs', () => {
  it(`${FUZZ_RUNS} generated clips: refused naming the first bad sample, or read back exactly`, () => {
    const seen = new Map<string, number>();
    fc.assert(
      fc.property(clip, fc.constantFrom<'mix' | 0>('mix', 0), (c, channel) => {
        const r = outcome(() => decodeWavBytes(encode(c), FILE, { channel }), FILE);
        const want = expectedError(c);
        const key = `${c.bits}-bit ${r.ok ? 'ok' : r.error.code}`;
        seen.set(key, (seen.get(key) ?? 0) + 1);
        if (want !== undefined) {
          expect(r.ok, want).toBe(false);
          if (!r.ok) {
            expect(r.error.code).toBe('BAD_WAV');
            expect(r.error.message).toBe(want);
          }
          return;
        }
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        const frames = c.frames;
        const expected = Array.from({ length: frames }, (_, i) => {
          const at = (ch: number) => (c.bits === 32 ? Math.fround(c.values[i * c.channels + ch]!) : c.values[i * c.channels + ch]!);
          if (channel === 0) return Math.fround(at(0));
          let sum = 0;
          for (let ch = 0; ch < c.channels; ch++) sum += at(ch);
          return Math.fround(c.channels === 1 ? at(0) : sum / c.channels);
        });
        expect(Array.from(r.value.samples)).toEqual(expected);
        expect(r.value.samples.every(Number.isFinite)).toBe(true);
      }),
      { numRuns: FUZZ_RUNS, seed: FUZZ_SEED },
    );
    console.log('audio NaN/Inf fuzz outcomes', Object.fromEntries([...seen].sort()));
    for (const bits of [32, 64]) {
      expect(seen.get(`${bits}-bit ok`) ?? 0).toBeGreaterThan(FUZZ_RUNS / 10);
      expect(seen.get(`${bits}-bit BAD_WAV`) ?? 0).toBeGreaterThan(FUZZ_RUNS / 10);
    }
  });

  it('from disk too: readWav and readWavInt16 (the fixed front-end’s input) refuse the same file the same way', async () => {
    const c: Clip = {
      bits: 32,
      channels: 2,
      frames: 3,
      sampleRate: 16000,
      extensible: false,
      values: [0, 0, 0.5, -0.5, 0.25, 0.25],
      bad: [{ at: 3, bits32: 0x7fc00000, bits64: 0n }],
    };
    const file = path.join(work, FILE);
    await writeFile(file, encode(c));
    const want = expectedError(c)!.replace(`${FILE}:`, `${file}:`);
    expect(() => readWav(file)).toThrow(want);
    expect(() => readWavInt16(file)).toThrow(want);
  });
});
