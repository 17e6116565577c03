import { describe, expect, it } from 'vitest';
import { TinyPdmError } from '../../src/util/errors.js';
import { GraphBuilder } from '../../src/ir/builder.js';
import { calibrate } from '../../src/compiler/3-quantize/calibrate.js';
import { decodeWavBytes, encodeWav16 } from '../../src/audio/wav.js';
import { encodeNpy, parseNpy } from '../../src/util/npy.js';
import { checkMemory, DEFAULT_MAX_BYTES, MAX_BYTES_ENV, maxBytes } from '../../src/util/limits.js';
import { readTflite, writeTflite } from '../../src/compiler/index.js';

/** The resource cap (src/util/limits.ts) and its checks in the readers and in calibration. */
function withCap<T>(cap: string | undefined, run: () => T): T {
  const old = process.env[MAX_BYTES_ENV];
  if (cap === undefined) delete process.env[MAX_BYTES_ENV];
  else process.env[MAX_BYTES_ENV] = cap;
  try {
    return run();
  } finally {
    if (old === undefined) delete process.env[MAX_BYTES_ENV];
    else process.env[MAX_BYTES_ENV] = old;
  }
}

function errorOf(run: () => unknown): TinyPdmError {
  try {
    run();
  } catch (e) {
    if (e instanceof TinyPdmError) return e;
    throw e;
  }
  throw new Error('expected a TinyPdmError');
}

describe('maxBytes', () => {
  it('parses plain bytes and binary suffixes, defaults to 2 GiB, refuses junk', () => {
    expect(maxBytes({})).toBe(DEFAULT_MAX_BYTES);
    expect(maxBytes({ [MAX_BYTES_ENV]: '1000' })).toBe(1000);
    expect(maxBytes({ [MAX_BYTES_ENV]: '512M' })).toBe(512 * 1024 * 1024);
    expect(maxBytes({ [MAX_BYTES_ENV]: '4GiB' })).toBe(4 * 1024 ** 3);
    expect(maxBytes({ [MAX_BYTES_ENV]: '1.5k' })).toBe(1536);
    for (const bad of ['-1', '0', 'lots', '1X', '1e9']) expect(() => maxBytes({ [MAX_BYTES_ENV]: bad }), bad).toThrow(/BAD|not a size/);
  });

  it('checkMemory passes at the cap, refuses one byte over and non-finite needs, with the numbers', () => {
    const env = { [MAX_BYTES_ENV]: '1M' };
    expect(() => checkMemory(1024 * 1024, 'x', env)).not.toThrow();
    const e = errorOf(() => checkMemory(1024 * 1024 + 1, 'thing.bin: the data', env));
    expect(e.code).toBe('RESOURCE_LIMIT');
    expect(e.message).toBe(
      'thing.bin: the data needs 1.0 MiB (1048577 bytes), over the 1.0 MiB limit (1048576 bytes); use a smaller input, or raise the limit with TINYPDM_MAX_BYTES (e.g. TINYPDM_MAX_BYTES=1G)',
    );
    expect(errorOf(() => checkMemory(Infinity, 'y', env)).code).toBe('RESOURCE_LIMIT');
    expect(errorOf(() => checkMemory(NaN, 'y', env)).code).toBe('RESOURCE_LIMIT');
  });
});

describe('the cap in readers and calibration', () => {
  it('readTflite refuses a model whose tensors claim more than the cap (4 GiB activation, default cap), before running anything', () => {
    const b = new GraphBuilder('huge');
    // 1 x 32768 x 32768 x 1 float32 = 4 GiB, under the reader's 2^31-element sanity bound, over the default 2 GiB cap.
    const x = b.addTensor('x', [1, 32768, 32768, 1], 'float32');
    const y = b.addTensor('y', [1, 16384, 16384, 1], 'float32');
    b.addOp('MAX_POOL_2D', 'pool', [x], [y], { padding: 'VALID', strideH: 2, strideW: 2, filterH: 2, filterW: 2, activation: 'NONE' });
    b.inputs = [x];
    b.outputs = [y];
    const bytes = writeTflite(b.build(), { description: 'huge' });
    expect(bytes.length).toBeLessThan(2000);
    const e = withCap(undefined, () => errorOf(() => readTflite(bytes, 'huge.tflite')));
    expect(e.code).toBe('RESOURCE_LIMIT');
    expect(e.message).toContain(
      "huge.tflite: its 2 tensors (largest 'x' [1, 32768, 32768, 1] float32) needs 5.0 GiB (5368709120 bytes), over the 2.0 GiB limit",
    );
  });

  it('parseNpy and the WAV decoder refuse inputs over a small cap; they read under it', () => {
    const npy = encodeNpy([4, 256], new Float32Array(1024));
    expect(withCap('8K', () => parseNpy(npy, 'a.npy')).shape).toEqual([4, 256]);
    expect(withCap('2K', () => errorOf(() => parseNpy(npy, 'a.npy'))).message).toContain(
      'a.npy: shape (4, 256) as float32 needs 4.0 KiB (4096 bytes)',
    );

    const wav = encodeWav16(new Int16Array(1000), 16000);
    expect(withCap('64K', () => decodeWavBytes(wav, 'a.wav')).samples.length).toBe(1000);
    // 2044 file bytes + 1000 samples x 16 + 1000 x 8.
    expect(withCap('16K', () => errorOf(() => decodeWavBytes(wav, 'a.wav'))).message).toContain(
      'a.wav: 1000 frames x 1 channels of audio needs 25.4 KiB (26044 bytes)',
    );
  });

  it('calibrate refuses before running the model', () => {
    const b = new GraphBuilder('g');
    const x = b.addTensor('x', [1, 8, 8, 1], 'float32');
    const y = b.addTensor('y', [1, 4, 4, 1], 'float32');
    b.addOp('MAX_POOL_2D', 'pool', [x], [y], { padding: 'VALID', strideH: 2, strideW: 2, filterH: 2, filterW: 2, activation: 'NONE' });
    b.inputs = [x];
    b.outputs = [y];
    const g = b.build();
    const samples = new Float32Array(64 * 3);
    expect(withCap('2K', () => calibrate(g, samples, 'c.npy')).size).toBe(2);
    // (64 + 16) x 4 activation bytes + 768 sample bytes + 3 x 320 bytes of the outlier check's subsample = 2048 > 1000.
    const e = withCap('1000', () => errorOf(() => calibrate(g, samples, 'c.npy')));
    expect(e.message).toContain(
      "c.npy: calibrating 'g' (2 activation tensors, 320 bytes per sample, plus 768 bytes of samples and 960 bytes of range statistics) needs 2.0 KiB (2048 bytes)",
    );
  });
});
