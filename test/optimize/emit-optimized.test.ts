import { mkdtemp, readFile, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeNpy } from '../../src/util/npy.js';
import { compressionReport } from '../../src/compiler/6-emit/report/index.js';
import { buildFixture, FIXTURES, representativeInputs } from '../fixtures/models.js';
import { runCli } from '../helpers/cli.js';
import { readTflite } from '../../src/compiler/index.js';
import type { Graph } from '../../src/ir/index.js';

/**
 * Issue 6 through the real CLI on the paper autoencoder: pruned, clustered
 * and filter-pruned models compile, shrink as promised, and pass `verify`
 * against the real TFLite runtime.
 */
let work: string;
let model: string;
let calib: string;
let dataDir: string;

let plainModel: ReturnType<typeof emitWith>;
const paper = FIXTURES.find((f) => f.name === 'paper')!;

function npy(inputs: Float32Array[]): Uint8Array {
  const flat = new Float32Array(inputs.length * inputs[0]!.length);
  inputs.forEach((x, i) => flat.set(x, i * x.length));
  return encodeNpy([inputs.length, ...paper.inputShape], flat);
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'tinypdm-opt-'));
  model = path.join((await buildFixture(paper, work)).dir, 'model.json');
  calib = path.join(work, 'calib.npy');
  await writeFile(calib, npy(representativeInputs(paper.inputShape, 8, 11)));
  dataDir = path.join(work, 'data');
  await mkdir(dataDir);
  await writeFile(path.join(dataDir, 'train.npy'), npy(representativeInputs(paper.inputShape, 24, 21)));
  await writeFile(path.join(dataDir, 'val.npy'), npy(representativeInputs(paper.inputShape, 8, 22)));
  plainModel = emitWith('plain', []);
  await plainModel;
}, 600_000);

async function emitWith(name: string, flags: string[]): Promise<{ out: string; graph: Graph; bytes: Uint8Array; stderr: string }> {
  const out = path.join(work, name);
  const r = await runCli(['emit', model, '--calib', calib, '--out', out, ...flags]);
  expect(r.exitCode, r.stderr).toBe(0);
  const bytes = new Uint8Array(await readFile(path.join(out, 'model.tflite')));
  return { out, graph: readTflite(bytes, 'model.tflite'), bytes, stderr: r.stderr };
}

async function verifyPasses(out: string): Promise<void> {
  const v = await runCli(['verify', path.join(out, 'model.tflite'), '--calib', calib, '--json']);
  expect(v.exitCode, v.stdout + v.stderr).toBe(0);
  const r = JSON.parse(v.stdout) as { passed: boolean; agreement: { maxLsb: number; identicalShare: number } };
  expect(r.passed).toBe(true);
  expect(r.agreement.maxLsb).toBeLessThanOrEqual(1);
}

/** Every int8 weight value per output channel (axis 0, OHWI). */
function distinctPerChannel(g: Graph, opIndex: number): number[] {
  const w = g.tensors[g.ops[opIndex]!.inputs[1]!]!;
  const per = w.data!.length / w.shape[0]!;
  return Array.from({ length: w.shape[0]! }, (_, c) => new Set(Array.from(w.data!.subarray(c * per, (c + 1) * per) as Int8Array)).size);
}

describe('emit with pruning and clustering', () => {
  it('50% unstructured + 16 clusters: zeros and <= 16 values per channel survive int8, gzip shrinks, verify passes', async () => {
    const plain = await plainModel;
    const opt = await emitWith('pruned-clustered', ['--prune', '0.5', '--cluster', '16']);
    expect(opt.stderr).toBe('');
    const convs = opt.graph.ops.map((o, i) => ({ o, i })).filter(({ o }) => o.kind === 'CONV_2D');
    expect(convs).toHaveLength(5);
    for (const { o, i } of convs) {
      const w = opt.graph.tensors[o.inputs[1]!]!.data as Int8Array;
      const zeros = w.filter((v) => v === 0).length;
      // Per-layer pruning zeroes floor(0.5 n) weights; int8 rounding can only add zeros.
      expect(zeros, o.name).toBeGreaterThanOrEqual(Math.floor(0.5 * w.length));
      expect(Math.max(...distinctPerChannel(opt.graph, i)), o.name).toBeLessThanOrEqual(16);
    }
    // Dense storage: same flatbuffer size; compressed weights at most half.
    expect(opt.bytes.length).toBe(plain.bytes.length);
    const before = compressionReport(plain.graph, plain.bytes).totals;
    const after = compressionReport(opt.graph, opt.bytes).totals;
    expect(after.gzipBytes).toBeLessThanOrEqual(0.5 * before.gzipBytes);
    expect(after.flatbufferGzipBytes!).toBeLessThan(before.flatbufferGzipBytes!);
    await verifyPasses(opt.out);
  });

  it('50% structured filter pruning: shapes shrink, MACs and flatbuffer bytes fall >= 40%, verify passes', async () => {
    const plain = await plainModel;
    const opt = await emitWith('channels', ['--prune-channels', '0.5', '--prune-norm', 'l2']);
    // The last conv writes the model output, so its single filter stays and a warning says so.
    expect(opt.stderr).toMatch(/warning: decoder_conv3.*filters kept.*model output/);
    const couts = opt.graph.ops.filter((o) => o.kind === 'CONV_2D').map((o) => opt.graph.tensors[o.inputs[1]!]!.shape);
    expect(couts).toEqual([
      [16, 3, 3, 1],
      [32, 3, 3, 16],
      [16, 3, 3, 32],
      [8, 3, 3, 16],
      [1, 3, 3, 8],
    ]);
    const macs = (g: Graph) => compressionReport(g).totals.macs;
    expect(macs(opt.graph)).toBeLessThanOrEqual(0.6 * macs(plain.graph));
    expect(opt.bytes.length).toBeLessThanOrEqual(0.6 * plain.bytes.length);
    await verifyPasses(opt.out);
  });

  it('fine-tuning prunes gradually to the exact sparsity, keeps the clusters and is deterministic', async () => {
    const flags = [
      '--prune',
      '0.5',
      '--prune-scope',
      'global',
      '--cluster',
      '8',
      '--cluster-init',
      'kmeans++',
      '--finetune',
      '1',
      '--data',
      dataDir,
    ];
    const a = await emitWith('ft-a', flags);
    const b = await emitWith('ft-b', flags);
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
    const noFt = await emitWith('no-ft', flags.slice(0, 6));
    expect(Buffer.from(a.bytes).equals(Buffer.from(noFt.bytes))).toBe(false);
    const ft = readTflite(new Uint8Array(await readFile(path.join(a.out, 'model_float.tflite'))), 'f');
    let zeros = 0;
    let total = 0;
    ft.ops.forEach((o) => {
      if (o.kind !== 'CONV_2D') return;
      const w = ft.tensors[o.inputs[1]!]!.data as Float32Array;
      expect(new Set(w).size, o.name).toBeLessThanOrEqual(8);
      zeros += w.filter((v) => v === 0).length;
      total += w.length;
    });
    // The global schedule ends at exactly floor(S·n) zeros over all layers, held through clustering.
    expect(zeros).toBe(Math.floor(0.5 * total));
    // ...and through int8: a clustered layer shares one scale, so it has <= 8 int8 codes in all.
    a.graph.ops.forEach((o) => {
      if (o.kind !== 'CONV_2D') return;
      const w = a.graph.tensors[o.inputs[1]!]!;
      expect(new Set(w.quant!.scale).size, o.name).toBe(1);
      expect(new Set(w.data as Int8Array).size, o.name).toBeLessThanOrEqual(8);
    });
    const report = JSON.parse(await readFile(path.join(a.out, 'report.json'), 'utf8'));
    expect(report.optimization.passes).toEqual(['prune-magnitude-gradual', 'cluster-weights', 'finetune-clusters']);
    expect(await readFile(path.join(a.out, 'report.md'), 'utf8')).toMatch(/## Optimisation[\s\S]*\| Layer \| Op \| Sparsity/);
    await verifyPasses(a.out);
  }, 600_000);

  it('a bad value is a one-line user error (exit 1); the full list is in passes.test.ts', async () => {
    const r = await runCli(['emit', model, '--calib', calib, '--out', path.join(work, 'bad'), '--prune', '0.5', '--cluster', '257']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/--cluster 257: .* from 2 to 256/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
