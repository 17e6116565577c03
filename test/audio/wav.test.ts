import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWav, readWavInt16, writeWav } from '../../src/audio/wav.js';
import { TinyPdmError } from '../../src/util/errors.js';

/**
 * WAV files are built byte by byte here (not with our writer), so the reader is
 * checked against the RIFF layout itself; the writer is checked with scipy.
 */
interface WavSpec {
  formatCode: number;
  channels: number;
  sampleRate: number;
  bits: number;
  /** Raw sample bytes, interleaved. */
  data: Uint8Array;
  extensibleSubformat?: number;
  extraChunkBeforeData?: boolean;
  dataSizeOverride?: number;
}

function buildWav(s: WavSpec): Buffer {
  const fmtSize = s.extensibleSubformat === undefined ? 16 : 40;
  const fmt = Buffer.alloc(8 + fmtSize);
  fmt.write('fmt ', 0, 'ascii');
  fmt.writeUInt32LE(fmtSize, 4);
  fmt.writeUInt16LE(s.extensibleSubformat === undefined ? s.formatCode : 0xfffe, 8);
  fmt.writeUInt16LE(s.channels, 10);
  fmt.writeUInt32LE(s.sampleRate, 12);
  fmt.writeUInt32LE((s.sampleRate * s.channels * s.bits) / 8, 16);
  fmt.writeUInt16LE((s.channels * s.bits) / 8, 20);
  fmt.writeUInt16LE(s.bits, 22);
  if (s.extensibleSubformat !== undefined) {
    fmt.writeUInt16LE(22, 24); // cbSize
    fmt.writeUInt16LE(s.bits, 26); // valid bits
    fmt.writeUInt32LE(s.channels === 1 ? 4 : 3, 28); // channel mask
    // KSDATAFORMAT_SUBTYPE GUID: {0000xxxx-0000-0010-8000-00aa00389b71}
    Buffer.from([0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xaa, 0, 0x38, 0x9b, 0x71]).copy(fmt, 34);
    fmt.writeUInt16LE(s.extensibleSubformat, 32);
  }
  const list = Buffer.from('LIST\x05\x00\x00\x00INFOx\x00', 'latin1'); // odd size: padded
  const dataHeader = Buffer.alloc(8);
  dataHeader.write('data', 0, 'ascii');
  dataHeader.writeUInt32LE(s.dataSizeOverride ?? s.data.length, 4);
  const body = Buffer.concat([Buffer.from('WAVE'), fmt, s.extraChunkBeforeData ? list : Buffer.alloc(0), dataHeader, s.data]);
  const riff = Buffer.alloc(8);
  riff.write('RIFF', 0, 'ascii');
  riff.writeUInt32LE(body.length, 4);
  return Buffer.concat([riff, body]);
}

function pcmBytes(values: number[], bits: number): Uint8Array {
  const width = bits / 8;
  const out = Buffer.alloc(values.length * width);
  values.forEach((v, i) => out.writeIntLE(v, i * width, width));
  return out;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tinypdm-wav-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function put(name: string, bytes: Uint8Array): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, bytes);
  return file;
}

describe('readWav decodes', () => {
  it('16-bit mono PCM, with an odd-sized chunk before the data', async () => {
    const ints = [0, 1, -1, 32767, -32768, 12345, -2000];
    const file = await put(
      'm16.wav',
      buildWav({ formatCode: 1, channels: 1, sampleRate: 16000, bits: 16, data: pcmBytes(ints, 16), extraChunkBeforeData: true }),
    );
    const wav = readWav(file);
    expect(wav).toMatchObject({ sampleRate: 16000, channels: 1, bitsPerSample: 16, format: 'pcm' });
    expect(wav.durationSec).toBeCloseTo(7 / 16000, 12);
    expect(Array.from(wav.samples)).toEqual(ints.map((v) => v / 32768));
    expect(Array.from(readWavInt16(file).samples)).toEqual(ints);
  });

  it('24-bit and 32-bit PCM scale by 2^(bits−1)', async () => {
    for (const bits of [24, 32]) {
      const full = 2 ** (bits - 1);
      const ints = [0, full - 1, -full, 3 << 10, -(5 << 9)];
      const file = await put(`m${bits}.wav`, buildWav({ formatCode: 1, channels: 1, sampleRate: 48000, bits, data: pcmBytes(ints, bits) }));
      const wav = readWav(file);
      expect(wav.bitsPerSample).toBe(bits);
      expect(Array.from(wav.samples)).toEqual(ints.map((v) => Math.fround(v / full)));
      // int16 as the microphone: round(x·32768) half away from zero, saturated.
      expect(Array.from(readWavInt16(file).samples)).toEqual(
        ints.map((v) => Math.min(32767, Math.max(-32768, Math.sign(v) * Math.round(Math.abs((v / full) * 32768)))) + 0),
      );
    }
  });

  it('float32, plain and WAVE_FORMAT_EXTENSIBLE', async () => {
    const values = [0, 0.5, -0.25, 0.999, -1];
    const data = Buffer.alloc(values.length * 4);
    values.forEach((v, i) => data.writeFloatLE(v, i * 4));
    for (const extensible of [false, true]) {
      const file = await put(
        `f32-${extensible}.wav`,
        buildWav({ formatCode: 3, channels: 1, sampleRate: 8000, bits: 32, data, ...(extensible ? { extensibleSubformat: 3 } : {}) }),
      );
      const wav = readWav(file);
      expect(wav.format).toBe('float');
      expect(Array.from(wav.samples)).toEqual(values.map(Math.fround));
    }
  });

  it('stereo: picks a channel or averages them (default)', async () => {
    const left = [1000, -2000, 3000];
    const right = [3000, 2000, -1000];
    const interleaved = left.flatMap((l, i) => [l, right[i]!]);
    for (const extensibleSubformat of [undefined, 1]) {
      const file = await put(
        `st-${extensibleSubformat}.wav`,
        buildWav({
          formatCode: 1,
          channels: 2,
          sampleRate: 16000,
          bits: 16,
          data: pcmBytes(interleaved, 16),
          ...(extensibleSubformat ? { extensibleSubformat } : {}),
        }),
      );
      expect(readWav(file).channels).toBe(2);
      expect(Array.from(readWav(file, { channel: 0 }).samples)).toEqual(left.map((v) => v / 32768));
      expect(Array.from(readWav(file, { channel: 1 }).samples)).toEqual(right.map((v) => v / 32768));
      expect(Array.from(readWav(file).samples)).toEqual(left.map((l, i) => (l + right[i]!) / 2 / 32768));
      expect(Array.from(readWavInt16(file, { channel: 1 }).samples)).toEqual(right);
      expect(() => readWav(file, { channel: 2 })).toThrow(/channel 2 does not exist \(the file has 2\); choose --channel 0\.\.1 or mix/);
    }
  });
});

describe('readWav refuses bad input with BAD_WAV naming the file and the fix', () => {
  const good16 = () => pcmBytes([1, 2, 3, 4], 16);
  const cases: [string, () => Uint8Array, RegExp][] = [
    ['empty.wav', () => new Uint8Array(0), /empty\.wav: the file is empty/],
    ['short.wav', () => Buffer.from('RIFF\x00'), /too short.*truncated/],
    [
      'text.wav',
      () => Buffer.from('hello, this is not audio at all'),
      /text\.wav: not a RIFF\/WAVE file \(it starts with 'hell'\).*sox in\.wav -b 16 -e signed-integer out\.wav/,
    ],
    [
      'mulaw.wav',
      () => buildWav({ formatCode: 7, channels: 1, sampleRate: 8000, bits: 8, data: new Uint8Array(8) }),
      /8-bit μ-law is not supported.*sox in\.wav -b 16 -e signed-integer out\.wav/,
    ],
    [
      'alaw.wav',
      () => buildWav({ formatCode: 6, channels: 1, sampleRate: 8000, bits: 8, data: new Uint8Array(8) }),
      /8-bit A-law is not supported.*sox/,
    ],
    [
      'adpcm.wav',
      () => buildWav({ formatCode: 0x11, channels: 1, sampleRate: 8000, bits: 4, data: new Uint8Array(8) }),
      /IMA ADPCM is not supported.*sox/,
    ],
    [
      'u8.wav',
      () => buildWav({ formatCode: 1, channels: 1, sampleRate: 8000, bits: 8, data: new Uint8Array(8) }),
      /8-bit PCM is not supported.*sox/,
    ],
    [
      'zero-ch.wav',
      () => buildWav({ formatCode: 1, channels: 0, sampleRate: 8000, bits: 16, data: good16() }),
      /zero-ch\.wav: the header says 0 channels/,
    ],
    [
      'huge.wav',
      () => buildWav({ formatCode: 1, channels: 1, sampleRate: 8000, bits: 16, data: good16(), dataSizeOverride: 0x7ffffff0 }),
      /claims 2147483632 bytes of samples but only 8 follow: the file is truncated/,
    ],
    [
      'cut.wav',
      () => buildWav({ formatCode: 1, channels: 1, sampleRate: 8000, bits: 16, data: good16() }).subarray(0, 50),
      /claims 8 bytes of samples but only 6 follow/,
    ],
    [
      'half-frame.wav',
      () => buildWav({ formatCode: 1, channels: 2, sampleRate: 8000, bits: 16, data: pcmBytes([1, 2, 3], 16) }),
      /6 bytes, not a whole number of 4-byte frames/,
    ],
    [
      'nodata.wav',
      () => buildWav({ formatCode: 1, channels: 1, sampleRate: 8000, bits: 16, data: good16() }).subarray(0, 36),
      /no 'data' chunk/,
    ],
    [
      'rf64.wav',
      () =>
        Buffer.concat([
          Buffer.from('RF64'),
          buildWav({ formatCode: 1, channels: 1, sampleRate: 8000, bits: 16, data: good16() }).subarray(4),
        ]),
      /RF64 WAV containers are not supported/,
    ],
  ];
  for (const [name, make, message] of cases) {
    it(name, async () => {
      const file = await put(name, make());
      let error: unknown;
      try {
        readWav(file);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(TinyPdmError);
      expect((error as TinyPdmError).code).toBe('BAD_WAV');
      expect((error as TinyPdmError).message).toMatch(message);
      expect((error as TinyPdmError).message).toContain(file);
    });
  }

  it('a missing file is FILE_NOT_FOUND', () => {
    expect(() => readWav(path.join(dir, 'nope.wav'))).toThrow(expect.objectContaining({ code: 'FILE_NOT_FOUND' }));
  });
});

describe('float samples that are not numbers', () => {
  const floats = (values: number[], bits: 32 | 64) => {
    const out = Buffer.alloc((values.length * bits) / 8);
    values.forEach((v, i) => (bits === 32 ? out.writeFloatLE(v, i * 4) : out.writeDoubleLE(v, i * 8)));
    return out;
  };
  const cases: [string, WavSpec, string][] = [
    [
      'nan32.wav',
      { formatCode: 3, channels: 1, sampleRate: 8000, bits: 32, data: floats([0, 0.5, NaN, 0.1], 32) },
      'float sample 2 (of 4, at 0.000 s) is NaN',
    ],
    [
      'inf32.wav',
      { formatCode: 3, channels: 1, sampleRate: 1000, bits: 32, data: floats([...new Array(1500).fill(0.25), Infinity], 32) },
      'float sample 1500 (of 1501, at 1.500 s) is Infinity',
    ],
    [
      'ninf64.wav',
      { formatCode: 3, channels: 1, sampleRate: 8000, bits: 64, data: floats([-Infinity, 0], 64) },
      'float sample 0 (of 2, at 0.000 s) is -Infinity',
    ],
    [
      'stereo.wav',
      { formatCode: 3, channels: 2, sampleRate: 8000, bits: 32, data: floats([0, 0, 0.1, NaN], 32) },
      'float sample 1 of channel 1 (of 2, at 0.000 s) is NaN',
    ],
    [
      'ext.wav',
      { formatCode: 3, extensibleSubformat: 3, channels: 1, sampleRate: 8000, bits: 32, data: floats([0.1, 0.2, 0.3, NaN], 32) },
      'float sample 3 (of 4, at 0.000 s) is NaN',
    ],
  ];
  for (const [name, spec, message] of cases) {
    it(`${name}: BAD_WAV naming the file and the first bad sample, from readWav and readWavInt16, whatever channel is read`, async () => {
      const file = await put(name, buildWav(spec));
      for (const read of [() => readWav(file), () => readWavInt16(file), () => readWav(file, { channel: 0 })]) {
        let error: unknown;
        try {
          read();
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(TinyPdmError);
        expect((error as TinyPdmError).code).toBe('BAD_WAV');
        expect((error as TinyPdmError).message).toBe(
          `${file}: ${message}; audio samples must be finite numbers; re-export the clip, or fix the tool that wrote it`,
        );
      }
    });
  }

  it('finite float extremes (±1e30, subnormals) still read; writeWav refuses a non-finite sample instead of writing 0', async () => {
    const file = await put(
      'big.wav',
      buildWav({ formatCode: 3, channels: 1, sampleRate: 8000, bits: 32, data: floats([1e30, -1e30, 1e-45], 32) }),
    );
    expect(Array.from(readWav(file).samples)).toEqual([Math.fround(1e30), Math.fround(-1e30), Math.fround(1e-45)]);
    await expect(writeWav(path.join(dir, 'w.wav'), Float32Array.from([0, NaN]), 8000)).rejects.toThrow(
      'cannot write a WAV with sample 1 = NaN',
    );
  });
});

describe('writeWav', () => {
  it('writes 16-bit PCM that scipy reads back, with saturation and half-away rounding', async () => {
    const input = Float32Array.from([0, 0.5, -0.5, 1, -1, 1.5, -1.5, 0.25 / 32768 + 1 / 32768, -1.5 / 32768, 1e-6]);
    const file = path.join(dir, 'out.wav');
    await writeWav(file, input, 22050);
    const script =
      'import sys, json, scipy.io.wavfile as w\nsr, x = w.read(sys.argv[1])\nprint(json.dumps({"sr": sr, "dtype": str(x.dtype), "x": x.tolist()}))';
    const { stdout } = await execa('/usr/bin/python3', ['-c', script, file]);
    const got = JSON.parse(stdout) as { sr: number; dtype: string; x: number[] };
    expect(got.sr).toBe(22050);
    expect(got.dtype).toBe('int16');
    expect(got.x).toEqual([0, 16384, -16384, 32767, -32768, 32767, -32768, 1, -2, 0]);
  });

  it('is deterministic and round-trips int16 exactly', async () => {
    const ints = Int16Array.from({ length: 1001 }, (_, i) => ((i * 7919) % 65536) - 32768);
    const a = path.join(dir, 'a.wav');
    const b = path.join(dir, 'b.wav');
    await writeWav(a, ints, 16000);
    await writeWav(b, ints, 16000);
    expect((await readFile(a)).equals(await readFile(b))).toBe(true);
    expect((await readFile(a)).length).toBe(44 + 2 * ints.length);
    expect(Array.from(readWavInt16(a).samples)).toEqual(Array.from(ints));
  });
});
