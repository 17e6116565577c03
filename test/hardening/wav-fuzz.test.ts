import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeWavBytes, inspectWav } from '../../src/audio/wav.js';
import { applyMutations, FUZZ_RUNS, FUZZ_SEED, mutationsOf, outcome } from './fuzz-helpers.js';

/**
 * The WAV reader on generated and hostile files. Valid files are built here
 * from the RIFF/WAVE layout (fmt chunk, optional WAVE_FORMAT_EXTENSIBLE, an
 * optional odd-sized chunk before the data with its pad byte), so a correct
 * read is checked against the sample values that were written.
 */
const FILE = 'fuzzed.wav';

interface Clip {
  format: 'pcm' | 'float';
  bits: 16 | 24 | 32 | 64;
  channels: number;
  sampleRate: number;
  extensible: boolean;
  junkBytes: number | undefined;
  /** Interleaved, already in the file's scale: integers for PCM, floats for float. */
  samples: number[];
}

const clip: fc.Arbitrary<Clip> = fc
  .record({
    kind: fc.constantFrom<['pcm' | 'float', 16 | 24 | 32 | 64]>(['pcm', 16], ['pcm', 24], ['pcm', 32], ['float', 32], ['float', 64]),
    channels: fc.integer({ min: 1, max: 3 }),
    frames: fc.integer({ min: 1, max: 24 }),
    sampleRate: fc.constantFrom(8000, 16000, 44100, 48000, 1),
    extensible: fc.boolean(),
    junkBytes: fc.option(fc.integer({ min: 0, max: 9 }), { nil: undefined }),
  })
  .chain(({ kind: [format, bits], channels, frames, ...rest }) => {
    const value =
      format === 'float'
        ? bits === 32
          ? fc.float({ noNaN: true, min: -1, max: 1 })
          : fc.double({ noNaN: true, min: -1, max: 1 })
        : fc.integer({ min: -(2 ** (bits - 1)), max: 2 ** (bits - 1) - 1 });
    return fc
      .array(value, { minLength: channels * frames, maxLength: channels * frames })
      .map((samples) => ({ format, bits, channels, samples, ...rest }));
  });

function encode(c: Clip): Uint8Array {
  const width = c.bits / 8;
  const fmtSize = c.extensible ? 40 : 16;
  const junk = c.junkBytes === undefined ? 0 : 8 + c.junkBytes + (c.junkBytes & 1);
  const dataBytes = c.samples.length * width;
  const out = new Uint8Array(12 + 8 + fmtSize + junk + 8 + dataBytes);
  const v = new DataView(out.buffer);
  const ascii = (at: number, s: string) => [...s].forEach((ch, i) => (out[at + i] = ch.charCodeAt(0)));
  const code = c.format === 'float' ? 3 : 1;
  ascii(0, 'RIFF');
  v.setUint32(4, out.length - 8, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  v.setUint32(16, fmtSize, true);
  v.setUint16(20, c.extensible ? 0xfffe : code, true);
  v.setUint16(22, c.channels, true);
  v.setUint32(24, c.sampleRate, true);
  v.setUint32(28, c.sampleRate * c.channels * width, true);
  v.setUint16(32, c.channels * width, true);
  v.setUint16(34, c.bits, true);
  if (c.extensible) {
    v.setUint16(36, 22, true); // cbSize
    v.setUint16(38, c.bits, true); // valid bits
    v.setUint32(40, 0, true); // channel mask
    // Sub-format GUID {0000000X-0000-0010-8000-00AA00389B71}
    v.setUint16(44, code, true);
    out.set([0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71], 46);
  }
  let at = 20 + fmtSize;
  if (c.junkBytes !== undefined) {
    ascii(at, 'LIST');
    v.setUint32(at + 4, c.junkBytes, true);
    at += junk;
  }
  ascii(at, 'data');
  v.setUint32(at + 4, dataBytes, true);
  at += 8;
  c.samples.forEach((x, i) => {
    const o = at + i * width;
    if (c.format === 'float') {
      if (c.bits === 32) v.setFloat32(o, x, true);
      else v.setFloat64(o, x, true);
    } else if (c.bits === 16) v.setInt16(o, x, true);
    else if (c.bits === 32) v.setInt32(o, x, true);
    else {
      v.setUint16(o, x & 0xffff, true);
      v.setInt8(o + 2, x >> 16);
    }
  });
  return out;
}

/** The channel's samples as readWav should return them: PCM scaled by 2^(bits-1), all rounded to float32. */
function expectedChannel(c: Clip, ch: number): number[] {
  const scale = c.format === 'pcm' ? 2 ** (c.bits - 1) : 1;
  return c.samples.filter((_, i) => i % c.channels === ch).map((x) => Math.fround(x / scale));
}

const USER_CODES = ['BAD_WAV', 'RESOURCE_LIMIT'];

describe('WAV reader fuzz', () => {
  it(`valid files of every supported encoding read back exactly, per channel (${FUZZ_RUNS} cases)`, () => {
    fc.assert(
      fc.property(clip, (c) => {
        const bytes = encode(c);
        for (let ch = 0; ch < c.channels; ch++) {
          const r = decodeWavBytes(bytes, FILE, { channel: ch });
          expect(r).toMatchObject({ sampleRate: c.sampleRate, channels: c.channels, bitsPerSample: c.bits, format: c.format });
          expect(Array.from(r.samples)).toEqual(expectedChannel(c, ch));
        }
      }),
      { numRuns: FUZZ_RUNS, seed: FUZZ_SEED },
    );
  });

  it(`mutated files (${FUZZ_RUNS} cases): a consistent clip or BAD_WAV/RESOURCE_LIMIT`, () => {
    const mutated = clip.chain((c) => {
      const bytes = encode(c);
      return mutationsOf(bytes.length).map((m) => applyMutations(bytes, m));
    });
    fc.assert(
      fc.property(mutated, (bytes) => {
        const r = outcome(() => decodeWavBytes(bytes, FILE), FILE);
        if (!r.ok) {
          expect(USER_CODES, r.error.message).toContain(r.error.code);
          return;
        }
        // A file that reads must agree with its own header: whole frames, the duration they make.
        const layout = inspectWav(bytes, FILE);
        const frames = layout.dataBytes / ((layout.channels * layout.bitsPerSample) / 8);
        expect(r.value.samples.length).toBe(frames);
        expect(r.value.sampleRate).toBe(layout.sampleRate);
        expect(r.value.samples.every((x) => Number.isFinite(x) || layout.format === 'float')).toBe(true);
      }),
      { numRuns: FUZZ_RUNS, seed: FUZZ_SEED },
    );
  });

  it('a 100-byte file whose data chunk claims 4 GiB of samples is refused from the header', () => {
    const bytes = encode({
      format: 'pcm',
      bits: 16,
      channels: 1,
      sampleRate: 16000,
      extensible: false,
      junkBytes: undefined,
      samples: new Array(28).fill(0),
    });
    expect(bytes.length).toBe(100);
    new DataView(bytes.buffer).setUint32(40, 0xfffffffe, true);
    const r = outcome(() => decodeWavBytes(bytes, FILE), FILE);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('BAD_WAV');
      expect(r.error.message).toContain('claims 4294967294 bytes of samples but only 56 follow');
    }
  });
});
