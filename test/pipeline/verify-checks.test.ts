import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TinyPdmError } from '../../src/util/errors.js';
import { emit } from '../../src/compiler/compile.js';
import { writeTflite } from '../../src/compiler/index.js';
import { encodeNpy } from '../../src/util/npy.js';
import { verifyModel, type VerifyOptions } from '../../src/verify/verify.js';
import { writeHandModel } from '../fixtures/hand-written.js';
import { runCli } from '../helpers/cli.js';
import { allOpsGraph } from '../tflite/fixtures.js';

/**
 * Issue 13 §4 and §7 for `verify`: a check that checks nothing does not pass,
 * a bad float model beside the model is blamed by its own name (and verify
 * suggests no command that does not exist), and the runtime's own log lines
 * never reach the terminal.
 */
let work: string;
let model: string;
let calib: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'tinypdm-verify-checks-'));
  const json = await writeHandModel(
    path.join(work, 'src'),
    {
      class_name: 'Sequential',
      config: {
        name: 'seq',
        layers: [
          { class_name: 'Dense', config: { name: 'dense', units: 4, activation: 'relu', use_bias: true, batch_input_shape: [null, 6] } },
        ],
      },
    },
    [
      { name: 'dense/kernel', shape: [6, 4], data: Float32Array.from({ length: 24 }, (_, i) => Math.cos(i) / 2) },
      { name: 'dense/bias', shape: [4], data: [0.1, -0.1, 0.2, 0] },
    ],
  );
  calib = path.join(work, 'calib.npy');
  await writeFile(
    calib,
    encodeNpy(
      [16, 6],
      Float32Array.from({ length: 96 }, (_, i) => Math.abs(Math.sin(i * 0.7))),
    ),
  );
  await emit({ model: json, calib, out: path.join(work, 'build'), io: 'int8', command: 'test' });
  model = path.join(work, 'build', 'model.tflite');
});
afterAll(() => rm(work, { recursive: true, force: true }));

const base = (): VerifyOptions => ({ modelPath: model, randomInputs: 4, seed: 1, maxLsb: 1, minIdenticalShare: 0.99 });

async function errorOf(opts: Partial<VerifyOptions>): Promise<TinyPdmError> {
  try {
    await verifyModel({ ...base(), ...opts });
  } catch (e) {
    if (e instanceof TinyPdmError) return e;
    throw e;
  }
  throw new Error('verify passed');
}

/** A copy of the model in its own folder, with `floatBytes` as model_float.tflite beside it (none when undefined). */
async function besideFloat(name: string, floatBytes?: Uint8Array | string): Promise<string> {
  const dir = path.join(work, name);
  await mkdir(dir, { recursive: true });
  const copy = path.join(dir, 'model.tflite');
  await copyFile(model, copy);
  if (floatBytes !== undefined) await writeFile(path.join(dir, 'model_float.tflite'), floatBytes);
  return copy;
}

describe('verify', () => {
  it("passes the emitted model with its float model, and prints nothing on stderr (the runtime's INFO line is captured)", async () => {
    const r = await runCli(['verify', model, '--calib', calib]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(
      /int8 vs float model \(calibration inputs\): .*% of RMS\)\n {2}PASS \(tolerance ≤ 1 LSB, ≥ 99% identical, int8 vs float ≤ 25% RMS\)/,
    );
  });

  it('refuses a check that checks nothing: --random 0 without --calib; and random counts that are not whole numbers', async () => {
    const cli = await runCli(['verify', model, '--random', '0']);
    expect(cli.exitCode).toBe(1);
    expect(cli.stderr.trim().split('\n')).toHaveLength(1);
    expect(cli.stderr).toMatch(/\[BAD_ARGUMENT\].*nothing to check: --random 0 and no --calib/);
    for (const bad of [-1, NaN, 1.5, 1e12])
      expect((await errorOf({ randomInputs: bad })).message, String(bad)).toMatch(
        new RegExp(`--random ${String(bad)}: the number of random inputs must be a whole number`),
      );
    expect((await verifyModel({ ...base(), randomInputs: 0, calibPath: calib })).inputs).toEqual({ calibration: 16, random: 0 });
    for (const bad of [-0.1, NaN, Infinity]) expect((await errorOf({ maxFloatError: bad })).code).toBe('BAD_ARGUMENT');
    expect((await errorOf({ seed: 0.5 })).message).toMatch(/--seed 0\.5/);
  });

  it('blames a bad model_float.tflite by its name, never the model, and suggests no command that does not exist', async () => {
    const garbage = await besideFloat('garbage', 'this is not a model at all');
    const r = await runCli(['verify', garbage, '--random', '2']);
    expect(r.exitCode).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /\[CORRUPT_FILE\]: .*garbage\/model_float\.tflite: not a valid TFLite model.*the float reference for the int8-vs-float error, not the model under test/,
    );
    expect(r.stderr).not.toContain('inspect');

    const other = allOpsGraph('float32');
    const mismatched = await besideFloat('mismatched', writeTflite(other, { description: 'other' }));
    const e = await errorOf({ modelPath: mismatched });
    expect(e.code).toBe('SHAPE_MISMATCH');
    expect(e.message).toMatch(/mismatched\/model_float\.tflite: does not match .*mismatched\/model\.tflite/);

    // A float model our validator refuses (NaN weight) names the float file too.
    const nan = allOpsGraph('float32');
    (nan.tensors.find((t) => t.name === 'conv/w')!.data as Float32Array)[0] = NaN;
    const invalid = await besideFloat('nan-float', writeTflite(nan, { description: 'nan' }));
    expect((await errorOf({ modelPath: invalid })).message).toMatch(/nan-float\/model_float\.tflite: .*holds NaN/);

    const missing = await errorOf({ floatModelPath: path.join(work, 'nowhere.tflite') });
    expect(missing.code).toBe('FILE_NOT_FOUND');
    // The bounded reader's wording, with the float model's remedy.
    expect(missing.message).toMatch(/nowhere\.tflite: cannot read it, no such file .*the float reference for the int8-vs-float error/);
  });

  it('without a float model beside it, says the int8-vs-float error was not measured', async () => {
    const alone = await besideFloat('alone');
    const r = await verifyModel({ ...base(), modelPath: alone });
    expect(r.floatError).toBeUndefined();
    expect(r.floatSkipped).toBe('no model_float.tflite beside the model');
    expect(r.passed).toBe(true);
  });
});
