import { describe, expect, it } from 'vitest';
import { paperAutoencoder } from '../../src/learn/architectures.js';
import { activationBytesPerWindow, inferenceBatchSize, trainingBatchSize } from '../../src/learn/batch-memory.js';

/**
 * `train --paper` at 16 kHz (256 Mel × 316 frames): batch 32 aborted the wasm
 * backend near 4 GiB; 16 trains. The guard refuses an explicit 32 with the
 * size that fits, and lowers the default with a note.
 */
describe('training batch vs the wasm heap', () => {
  const paper = paperAutoencoder([256, 316, 1], 1);

  it('counts every layer output of the nested encoder/decoder', () => {
    // conv1 32·256·316 + pool 32·128·158 + conv2 64·128·158 + pool 64·64·79 + conv 32·64·79 + up 32·128·158 + conv 16·128·158 + up 16·256·316 + conv 256·316 (+ input)
    const values = 256 * 316 * (32 + 8 + 16 + 4 + 2 + 8 + 4 + 16 + 1 + 1);
    expect(activationBytesPerWindow(paper)).toBe(4 * values);
  });

  it('refuses an explicit batch that does not fit, naming one that does', () => {
    expect(() => trainingBatchSize(paper, 32, true, 'wasm', 'data')).toThrow(/RESOURCE_LIMIT|--batch-size 16/);
    try {
      trainingBatchSize(paper, 32, true, 'wasm', 'data');
    } catch (e) {
      expect((e as { code?: string }).code).toBe('RESOURCE_LIMIT');
      expect((e as Error).message).toMatch(/data: a training batch of 32 windows needs about .* use --batch-size 16/);
    }
  });

  it('lowers the default with a note, and leaves fitting batches and other backends alone', () => {
    expect(trainingBatchSize(paper, 32, false, 'wasm', 'data')).toEqual({
      batchSize: 16,
      note: expect.stringMatching(/training with batch size 16/),
    });
    expect(trainingBatchSize(paper, 8, true, 'wasm', 'data')).toEqual({ batchSize: 8 });
    expect(trainingBatchSize(paper, 32, true, 'tensorflow', 'data')).toEqual({ batchSize: 32 });
    const demo = paperAutoencoder([32, 32, 1], 1);
    expect(trainingBatchSize(demo, 32, false, 'wasm', 'data')).toEqual({ batchSize: 32 });
    expect(inferenceBatchSize(demo, 64)).toBe(64);
    expect(inferenceBatchSize(paper, 128)).toBe(72);
  });
});
