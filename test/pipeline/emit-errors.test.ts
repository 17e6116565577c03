import { mkdtemp, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeNpy } from '../../src/util/npy.js';
import { writeHandModel } from '../fixtures/hand-written.js';
import { runCli } from '../helpers/cli.js';

/**
 * Issue 2's bad-input acceptance through the real CLI: one line on stderr,
 * exit code 1, and no output folder (or temp folder) left behind.
 */
let work: string;
let calib: string;

const conv = {
  class_name: 'Conv2D',
  config: {
    name: 'conv',
    filters: 2,
    kernel_size: [1, 1],
    padding: 'same',
    activation: 'relu',
    use_bias: true,
    batch_input_shape: [null, 4, 4, 1],
  },
};
const convWeights = [
  { name: 'conv/kernel', shape: [1, 1, 1, 2], data: [0.5, -0.25] },
  { name: 'conv/bias', shape: [2], data: [0.1, 0] },
];
const sequential = (layers: object[]) => ({ class_name: 'Sequential', config: { name: 'seq', layers } });

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'tinypdm-emit-errors-'));
  calib = path.join(work, 'calib.npy');
  await writeFile(
    calib,
    encodeNpy(
      [2, 4, 4, 1],
      Float32Array.from({ length: 32 }, (_, i) => i / 32),
    ),
  );
});
afterAll(() => rm(work, { recursive: true, force: true }));

async function expectCleanFailure(args: string[], out: string, code: string, ...mentions: RegExp[]): Promise<void> {
  const r = await runCli([...args, '--out', out]);
  expect(r.exitCode).toBe(1);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toContain(`[${code}]`);
  for (const m of mentions) expect(lines[0]).toMatch(m);
  const left = (await readdir(path.dirname(out))).filter(
    (f) => f.startsWith(path.basename(out)) || f.startsWith(`.tmp-${path.basename(out)}`),
  );
  expect(left).toEqual([]);
}

describe('emit on bad input', () => {
  it('names an unsupported layer, its class and the supported list', async () => {
    const model = await writeHandModel(
      path.join(work, 'lstm'),
      sequential([conv, { class_name: 'LSTM', config: { name: 'memory_cell', units: 4 } }]),
      convWeights,
    );
    await expectCleanFailure(
      ['emit', model, '--calib', calib],
      path.join(work, 'out-lstm'),
      'UNSUPPORTED_LAYER',
      /memory_cell/,
      /LSTM/,
      /Conv2D/,
    );
  });

  it('names a missing weights file', async () => {
    const model = await writeHandModel(path.join(work, 'noshard'), sequential([conv]), convWeights);
    await rm(path.join(work, 'noshard', 'weights.bin'));
    await expectCleanFailure(['emit', model, '--calib', calib], path.join(work, 'out-noshard'), 'MISSING_WEIGHTS', /weights\.bin/);
  });

  it('names a truncated (corrupt) weights file', async () => {
    const model = await writeHandModel(path.join(work, 'short'), sequential([conv]), convWeights);
    await truncate(path.join(work, 'short', 'weights.bin'), 5);
    await expectCleanFailure(['emit', model, '--calib', calib], path.join(work, 'out-short'), 'CORRUPT_FILE', /weights\.bin/);
  });

  it('refuses a JSON file that is not a model', async () => {
    const notModel = path.join(work, 'package.json');
    await writeFile(notModel, JSON.stringify({ name: 'x', version: '1.0.0' }));
    await expectCleanFailure(['emit', notModel, '--calib', calib], path.join(work, 'out-notmodel'), 'NOT_A_MODEL', /package\.json/);
  });

  it('refuses calibration data of the wrong shape', async () => {
    const model = await writeHandModel(path.join(work, 'good'), sequential([conv]), convWeights);
    const bad = path.join(work, 'bad-calib.npy');
    await writeFile(bad, encodeNpy([3, 5], new Float32Array(15)));
    await expectCleanFailure(['emit', model, '--calib', bad], path.join(work, 'out-badcalib'), 'SHAPE_MISMATCH', /bad-calib\.npy/);
  });

  it('keeps a previous output intact when a later emit fails', async () => {
    const model = await writeHandModel(path.join(work, 'keep'), sequential([conv]), convWeights);
    const out = path.join(work, 'out-keep');
    expect((await runCli(['emit', model, '--calib', calib, '--out', out])).exitCode).toBe(0);
    const before = (await readdir(out)).sort();
    const r = await runCli(['emit', model, '--calib', path.join(work, 'missing.npy'), '--out', out]);
    expect(r.exitCode).toBe(1);
    expect((await readdir(out)).sort()).toEqual(before);
  });
});
