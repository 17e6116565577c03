import { mkdtemp, readFile, readdir, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeNpy } from '../../src/util/npy.js';
import { buildFixture, FIXTURES, representativeInputs } from '../fixtures/models.js';
import { runCli } from '../helpers/cli.js';
import { readTflite } from '../../src/compiler/index.js';

/**
 * Issue 2's acceptance, through the real CLI: a trained TF.js model goes
 * through `emit --calib`, and `verify` checks the int8 flatbuffer against the
 * real TFLite runtime.
 */
interface Agreement {
  identicalShare: number;
  maxLsb: number;
  count: number;
}
interface VerifyJson {
  agreement: Agreement;
  runtimeRounded: Agreement;
  endToEnd: Agreement;
  perOp: Array<{ name: string; kind: string; agreement: Agreement; runtimeRounding?: string }>;
  floatError: { relativeRmse: number };
}

let work: string;
const built: Record<string, { model: string; calib: string }> = {};

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'tinypdm-emit-'));
  for (const name of FIXTURES.map((f) => f.name)) {
    const fixture = FIXTURES.find((f) => f.name === name);
    if (!fixture) continue;
    const { dir } = await buildFixture(fixture, work);
    const inputs = representativeInputs(fixture.inputShape, 8, 11);
    const calib = path.join(work, `${name}-calib.npy`);
    const flat = new Float32Array(inputs.length * inputs[0]!.length);
    inputs.forEach((x, i) => flat.set(x, i * x.length));
    await writeFile(calib, encodeNpy([inputs.length, ...fixture.inputShape], flat));
    built[name] = { model: path.join(dir, 'model.json'), calib };
  }
}, 600_000);

describe('tinypdm emit + verify', () => {
  it('compiles the paper autoencoder and passes verify against the TFLite runtime', async () => {
    const out = path.join(work, 'paper-out');
    const emit = await runCli(['emit', built.paper!.model, '--calib', built.paper!.calib, '--out', out]);
    expect(emit.stderr).toBe('');
    expect(emit.exitCode).toBe(0);
    expect((await readdir(out)).sort()).toEqual([
      '.tinypdm-output.json',
      'model.tflite',
      'model_data.cpp',
      'model_data.h',
      'model_float.tflite',
      'report.json',
      'report.md',
    ]);

    const graph = readTflite(new Uint8Array(await readFile(path.join(out, 'model.tflite'))), 'model.tflite');
    expect(graph.ops.map((o) => o.kind)).toEqual([
      'CONV_2D',
      'MAX_POOL_2D',
      'CONV_2D',
      'MAX_POOL_2D',
      'CONV_2D',
      'RESIZE_NEAREST_NEIGHBOR',
      'CONV_2D',
      'RESIZE_NEAREST_NEIGHBOR',
      'CONV_2D',
    ]);
    expect(graph.tensors[graph.inputs[0]!]!.dtype).toBe('int8');

    const verify = await runCli(['verify', path.join(out, 'model.tflite'), '--calib', built.paper!.calib, '--json']);
    expect(verify.exitCode).toBe(0);
    const r = JSON.parse(verify.stdout) as VerifyJson;
    // Every op, run alone in the real runtime on our interpreter's inputs, within 1 LSB and ≥ 99% identical.
    expect(r.perOp).toHaveLength(9);
    for (const op of r.perOp) {
      expect(op.agreement.maxLsb, op.name).toBeLessThanOrEqual(1);
      expect(op.agreement.identicalShare, op.name).toBeGreaterThanOrEqual(0.99);
    }
    // Output elements per op: conv1, pool1, conv2, pool2, conv3, up1, conv4, up2, conv5.
    const perInput = [
      64 * 48 * 32,
      32 * 24 * 32,
      32 * 24 * 64,
      16 * 12 * 64,
      16 * 12 * 32,
      32 * 24 * 32,
      32 * 24 * 16,
      64 * 48 * 16,
      64 * 48,
    ];
    expect(r.agreement.count).toBe((8 + 16) * perInput.reduce((a, b) => a + b, 0));
    expect(r.endToEnd.count).toBe((8 + 16) * 64 * 48);
    expect(r.endToEnd.identicalShare).toBeGreaterThanOrEqual(0.99);
    expect(r.floatError.relativeRmse).toBeLessThan(0.2);

    const report = JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8')) as { totals: { params: number; macs: number } };
    expect(report.totals.params).toBe(42049);
  });

  it.each(FIXTURES.map((f) => f.name).filter((n) => n !== 'paper'))('compiles and verifies the %s fixture', async (name) => {
    if (!built[name]) throw new Error(`fixture ${name} missing`);
    const out = path.join(work, `${name}-out`);
    const emit = await runCli(['emit', built[name].model, '--calib', built[name].calib, '--out', out]);
    expect(emit.stderr).toBe('');
    const verify = await runCli(['verify', path.join(out, 'model.tflite'), '--calib', built[name].calib, '--json']);
    const r = JSON.parse(verify.stdout) as VerifyJson;
    expect(r.agreement.maxLsb).toBeLessThanOrEqual(1);
    expect(r.agreement.identicalShare).toBeGreaterThanOrEqual(0.99);
    expect(verify.exitCode).toBe(0);
  });

  it('compiles the LeakyReLU fixture to LEAKY_RELU ops, each within 1 LSB of TFLite (whose XNNPACK rounds it its own way)', async () => {
    const out = path.join(work, 'leaky-relu-own-out');
    const emit = await runCli(['emit', built['leaky-relu']!.model, '--calib', built['leaky-relu']!.calib, '--out', out]);
    expect(emit.exitCode).toBe(0);
    const graph = readTflite(new Uint8Array(await readFile(path.join(out, 'model.tflite'))), 'model.tflite');
    const leaky = graph.ops.filter((o) => o.kind === 'LEAKY_RELU');
    // tf.layers.leakyReLU({ alpha: 0.2 }) and TF.js's default alpha 0.3, as float32.
    expect(leaky.map((o) => o.options.alpha)).toEqual([Math.fround(0.2), Math.fround(0.3)]);
    const verify = await runCli(['verify', path.join(out, 'model.tflite'), '--calib', built['leaky-relu']!.calib, '--json']);
    expect(verify.exitCode).toBe(0);
    const r = JSON.parse(verify.stdout) as VerifyJson;
    const leakyOps = r.perOp.filter((o) => o.kind === 'LEAKY_RELU');
    expect(leakyOps).toHaveLength(2);
    for (const o of leakyOps) {
      expect(o.runtimeRounding, o.name).toMatch(/XNNPACK/);
      expect(o.agreement.maxLsb, o.name).toBeLessThanOrEqual(1);
    }
    // Every LEAKY_RELU output was compared: (8 calibration + 16 random inputs) × (8·8·4 + 4·4·3) elements.
    expect(r.runtimeRounded.count).toBe(24 * (8 * 8 * 4 + 4 * 4 * 3));
    expect(r.agreement.identicalShare).toBeGreaterThanOrEqual(0.99);
  });

  it('produces byte-identical outputs on two runs from different working directories', async () => {
    const a = path.join(work, 'det-a');
    const b = path.join(work, 'det-b', 'nested');
    await mkdir(path.dirname(b), { recursive: true });
    await runCli(['emit', built.paper!.model, '--calib', built.paper!.calib, '--out', a]);
    await runCli(['emit', path.relative(work, built.paper!.model), '--calib', path.relative(work, built.paper!.calib), '--out', b], {
      cwd: work,
      env: { TZ: 'Asia/Kolkata', LANG: 'de_DE.UTF-8' },
    });
    for (const f of await readdir(a)) {
      expect(Buffer.compare(await readFile(path.join(a, f)), await readFile(path.join(b, f))), f).toBe(0);
    }
  });

  it('refuses to quantise without --calib, leaving no output folder', async () => {
    const out = path.join(work, 'no-calib');
    const r = await runCli(['emit', built.paper!.model, '--out', out]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/MISSING_CALIBRATION.*--calib/);
    await expect(readdir(out)).rejects.toThrow();
  });
});
