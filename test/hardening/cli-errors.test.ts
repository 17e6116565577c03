import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { writeTinyModel } from './tiny-model.js';

/**
 * The error model through the real CLI: a user error exits 1 with one line
 * (stack only with --verbose); an internal error exits 2 with the bug hint
 * (stack only with --verbose); a resource limit is refused before any work
 * with the numbers.
 */
const BIN = path.resolve(import.meta.dirname, '../../bin/tinypdm.js');
const INTERNAL_BUG = path.resolve(import.meta.dirname, 'preload/internal-bug.mjs');
const STACK_LINE = /^\s+at /m;

let work: string;
let tiny: { model: string; calib: string };

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'tinypdm-cli-errors-'));
  tiny = await writeTinyModel(path.join(work, 'tiny'), { seed: 5, samples: 4 });
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('CLI error model', () => {
  it('user error: exit 1, one line naming the file and code, no stack; --verbose adds the stack', async () => {
    const missing = path.join(work, 'nope.json');
    const plain = await runCli(['emit', missing, '--out', path.join(work, 'o1')]);
    expect(plain.exitCode).toBe(1);
    expect(plain.stderr.trim().split('\n')).toHaveLength(1);
    expect(plain.stderr).toMatch(/^tinypdm: error \[FILE_NOT_FOUND\]: .*nope\.json/);
    expect(plain.stderr).not.toMatch(STACK_LINE);

    const verbose = await runCli(['emit', missing, '--out', path.join(work, 'o1'), '--verbose']);
    expect(verbose.exitCode).toBe(1);
    expect(verbose.stderr.split('\n')[0]).toBe(plain.stderr.trim());
    expect(verbose.stderr).toMatch(STACK_LINE);
  });

  it('a corrupt input is a user error too, and leaves no output', async () => {
    const bad = path.join(work, 'bad.tflite');
    await writeFile(bad, Buffer.concat([Buffer.from([0, 0, 0, 0]), Buffer.from('TFL3'), Buffer.alloc(40, 0xff)]));
    const r = await runCli(['emit', bad, '--out', path.join(work, 'o2')]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^tinypdm: error \[CORRUPT_FILE\]: .*bad\.tflite: not a valid TFLite model/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect((await readdir(work)).filter((f) => f === 'o2' || f.startsWith('.tmp-'))).toEqual([]);
  });

  it('internal error (a plain TypeError from inside): exit 2 with the bug hint; --verbose prints its stack', async () => {
    const run = (extra: string[]) =>
      execa(process.execPath, ['--import', INTERNAL_BUG, BIN, 'emit', tiny.model, '--out', path.join(work, 'o3'), ...extra], {
        reject: false,
      });
    const plain = await run([]);
    expect(plain.exitCode).toBe(2);
    expect(plain.stderr).toContain('tinypdm: internal error: simulated bug');
    expect(plain.stderr).toContain('This is a bug in tinypdm. Re-run with --verbose');
    expect(plain.stderr).not.toMatch(STACK_LINE);
    const verbose = await run(['--verbose']);
    expect(verbose.exitCode).toBe(2);
    expect(verbose.stderr).toMatch(/TypeError: simulated bug[\s\S]*\n\s+at /);
  });

  it('resource limit: TINYPDM_MAX_BYTES below the calibration needs is refused with the numbers, before any output', async () => {
    // One 16x12x1 sample's float32 activations: input 768 B, conv 6144 B, pool 1536 B, upsample 6144 B, output 768 B
    // = 15,360 B, plus 4 samples x 768 B = 3,072 B, plus the outlier check's subsample of every activation over the
    // 4 samples (4 x 15,360 B = 61,440 B). The model files and the .npy are each under 10 KiB, so calibration is
    // the first check over the cap.
    const r = await runCli(['emit', tiny.model, '--calib', tiny.calib, '--out', path.join(work, 'o4')], {
      env: { TINYPDM_MAX_BYTES: '10K' },
    });
    expect(r.exitCode).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(
      "calib.npy: calibrating 'tiny_ae' (5 activation tensors, 15360 bytes per sample, plus 3072 bytes of samples and 61440 bytes of range statistics) " +
        'needs 78.0 KiB (79872 bytes), over the 10.0 KiB limit (10240 bytes)',
    );
    expect(r.stderr).toMatch(/^tinypdm: error \[RESOURCE_LIMIT\]: .*raise the limit with TINYPDM_MAX_BYTES/);
    expect((await readdir(work)).filter((f) => f === 'o4' || f.startsWith('.tmp-'))).toEqual([]);

    const malformed = await runCli(['emit', tiny.model, '--calib', tiny.calib, '--out', path.join(work, 'o4')], {
      env: { TINYPDM_MAX_BYTES: 'lots' },
    });
    expect(malformed.exitCode).toBe(1);
    expect(malformed.stderr).toMatch(/BAD_ARGUMENT.*TINYPDM_MAX_BYTES="lots" is not a size/);
  });
});
