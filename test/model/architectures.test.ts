import type * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { TinyPdmError } from '../../src/util/errors.js';
import { modelFromLayerList, paperAutoencoder } from '../../src/learn/architectures.js';
import { initBackend } from '../../src/learn/backend.js';

beforeAll(async () => {
  await initBackend();
});

/** Parameters of a k x k conv with bias, from the formula k*k*cin*cout + cout. */
const convParams = (k: number, cin: number, cout: number) => k * k * cin * cout + cout;

describe('paperAutoencoder', () => {
  it('has the paper layer stack (the paper layer stack) and about 42k parameters', () => {
    const m = paperAutoencoder([64, 48, 1], 3);
    const expected = convParams(3, 1, 32) + convParams(3, 32, 64) + convParams(3, 64, 32) + convParams(3, 32, 16) + convParams(3, 16, 1);
    expect(expected).toBe(42049);
    expect(m.countParams()).toBe(expected);
    const [encoder, decoder] = m.layers.filter((l) => l.getClassName() === 'Sequential') as tf.Sequential[];
    const describe = (s: tf.Sequential) =>
      s.layers.map((l) => {
        const c = l.getConfig();
        return [l.getClassName(), c['filters'] ?? c['poolSize'] ?? c['size'], c['activation'] ?? null, c['padding'] ?? null];
      });
    expect(describe(encoder!)).toEqual([
      ['Conv2D', 32, 'relu', 'same'],
      ['MaxPooling2D', [2, 2], null, 'valid'],
      ['Conv2D', 64, 'relu', 'same'],
      ['MaxPooling2D', [2, 2], null, 'valid'],
    ]);
    expect(describe(decoder!)).toEqual([
      ['Conv2D', 32, 'relu', 'same'],
      ['UpSampling2D', [2, 2], null, null],
      ['Conv2D', 16, 'relu', 'same'],
      ['UpSampling2D', [2, 2], null, null],
      ['Conv2D', 1, 'relu', 'same'],
    ]);
    expect(m.outputs[0]!.shape).toEqual([null, 64, 48, 1]);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const w = (seed: number) =>
      paperAutoencoder([16, 8, 1], seed)
        .getWeights()
        .map((t) => Array.from(t.dataSync()));
    expect(w(5)).toEqual(w(5));
    expect(w(5)).not.toEqual(w(6));
  });

  it('refuses shapes that are not multiples of 4 or not single-channel', () => {
    expect(() => paperAutoencoder([30, 48, 1])).toThrow(TinyPdmError);
    expect(() => paperAutoencoder([32, 48, 2])).toThrow(/1 channel/);
  });
});

describe('modelFromLayerList', () => {
  it('builds a Sequential from the --arch list', () => {
    const m = modelFromLayerList(
      '[{"type":"conv2d","filters":8,"kernel":3,"activation":"relu"},{"type":"maxpool","size":2},{"type":"upsample","size":2},{"type":"conv2d","filters":1,"activation":"linear"}]',
      [16, 8, 1],
      1,
    );
    expect(m.layers.map((l) => l.getClassName()).filter((c) => c !== 'InputLayer')).toEqual([
      'Conv2D',
      'MaxPooling2D',
      'UpSampling2D',
      'Conv2D',
    ]);
    expect(m.outputs[0]!.shape).toEqual([null, 16, 8, 1]);
    expect(m.countParams()).toBe(convParams(3, 1, 8) + convParams(3, 8, 1));
  });

  it.each([
    ['not json', /not valid JSON/],
    ['{}', /non-empty JSON list/],
    ['[{"type":"lstm"}]', /layer 0: unknown type "lstm"; use one of conv2d/],
    ['[{"type":"conv2d"}]', /layer 0 \(conv2d\): 'filters' must be a positive integer/],
    ['[{"type":"conv2d","filters":4,"size":3}]', /unknown key 'size'/],
    ['[{"type":"conv2d","filters":4,"activation":"tanh"}]', /'activation' must be one of/],
    [
      '[{"type":"maxpool","size":2},{"type":"conv2d","filters":2,"kernel":9,"padding":"valid"}]',
      /layer 1 \(conv2d\) does not fit its input/,
    ],
  ])('%s → BAD_ARGUMENT', (json, message) => {
    let err: unknown;
    try {
      modelFromLayerList(json, [8, 8, 1], 1);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TinyPdmError);
    expect((err as TinyPdmError).code).toBe('BAD_ARGUMENT');
    expect((err as TinyPdmError).message).toMatch(message);
  });
});
