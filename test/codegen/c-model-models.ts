/**
 * The models the C runtime's tests and bench compile: the paper autoencoder
 * (test/fixtures/paper-ir.ts) with seeded random weights and realistic output
 * scales, the trained example run (the demo's architecture) with its
 * calibration windows, every Keras fixture of test/fixtures through `emit`,
 * and the interpreter's one-op cases (test/runtime/cases.ts).
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Graph, QuantParams, TensorData } from '../../src/ir/graph.js';
import { emit } from '../../src/compiler/compile.js';
import { encodeNpy, readNpy } from '../../src/util/npy.js';
import { buildFixture, FIXTURES, representativeInputs } from '../fixtures/models.js';
import { paperInt8Graph } from '../fixtures/paper-ir.js';
import { REPO_ROOT } from '../helpers/firmware-build.js';
import { mulberry32 } from '../helpers/random.js';
import { CASES, prepareCase } from '../runtime/cases.js';
import { rng } from '../runtime/helpers.js';
import { quantizeValue } from '../../src/ops/index.js';
import { readTflite } from '../../src/compiler/index.js';

export interface NamedModel {
  name: string;
  graph: Graph;
  inputs: TensorData[];
}

export const EXAMPLE_RUN = path.join(REPO_ROOT, 'arduino/example-run');

export function randomInputs(graph: Graph, count: number, seed: number): TensorData[] {
  const t = graph.tensors[graph.inputs[0]!]!;
  const n = t.shape.reduce((a, b) => a * b, 1);
  const r = mulberry32(seed);
  return Array.from({ length: count }, () =>
    t.dtype === 'float32'
      ? Float32Array.from({ length: n }, () => r() * 1.2 - 0.1)
      : Int8Array.from({ length: n }, () => Math.floor(r() * 256) - 128),
  );
}

/** The paper graph with random int8 weights and biases, conv outputs scaled to spread over int8, pools sharing params. */
export function paperWithRandomWeights(M: number, F: number, seed: number): Graph {
  const g = paperInt8Graph(M, F);
  const r = mulberry32(seed);
  const per = (scale: number, zp: number): QuantParams => ({ scale: [Math.fround(scale)], zeroPoint: [zp], axis: 0 });
  g.tensors[g.inputs[0]!]!.quant = per(1 / 255, -128);
  for (const op of g.ops) {
    const x = g.tensors[op.inputs[0]!]!;
    const y = g.tensors[op.outputs[0]!]!;
    if (op.kind !== 'CONV_2D') {
      y.quant = { ...x.quant!, scale: [...x.quant!.scale], zeroPoint: [...x.quant!.zeroPoint] };
      continue;
    }
    const w = g.tensors[op.inputs[1]!]!;
    const bias = g.tensors[op.inputs[2]!]!;
    const [cout, kh, kw, cin] = w.shape as [number, number, number, number];
    const scales = Array.from({ length: cout }, () => Math.fround(0.002 + r() * 0.02));
    w.data = Int8Array.from({ length: w.data!.length }, () => Math.floor(r() * 255) - 127);
    w.quant = { scale: scales, zeroPoint: scales.map(() => 0), axis: 0 };
    bias.data = Int32Array.from({ length: cout }, () => Math.floor(r() * 20000) - 10000);
    bias.quant = { scale: scales.map((s) => s * x.quant!.scale[0]!), zeroPoint: scales.map(() => 0), axis: 0 };
    y.quant = per(x.quant!.scale[0]! * 0.01 * 150 * Math.sqrt(kh * kw * cin), -100 + Math.floor(r() * 60));
  }
  return g;
}

async function emitGraph(modelJson: string, calib: string, out: string, io: 'int8' | 'float'): Promise<Graph> {
  await emit({ model: modelJson, out, io, command: 'test', calib });
  return readTflite(new Uint8Array(await readFile(path.join(out, 'model.tflite'))), 'model.tflite');
}

/** The trained example run (32 Mel × 32 frames, the demo architecture) and its calibration windows as int8. */
export async function exampleRunModel(work: string, calibCount: number): Promise<NamedModel> {
  const graph = await emitGraph(
    path.join(EXAMPLE_RUN, 'model.json'),
    path.join(EXAMPLE_RUN, 'calib.npy'),
    path.join(work, 'example'),
    'int8',
  );
  const calib = await readNpy(path.join(EXAMPLE_RUN, 'calib.npy'));
  const t = graph.tensors[graph.inputs[0]!]!;
  const n = t.shape.reduce((a, b) => a * b, 1);
  const { scale, zeroPoint } = { scale: t.quant!.scale[0]!, zeroPoint: t.quant!.zeroPoint[0]! };
  const windows = Array.from({ length: calibCount }, (_, k) =>
    Int8Array.from(calib.data.subarray(k * n, (k + 1) * n), (v) => quantizeValue(v, scale, zeroPoint)),
  );
  return { name: 'example-run', graph, inputs: [...windows, ...randomInputs(graph, 2, 5)] };
}

/** Every Keras fixture, built and emitted as int8 (and two with float I/O, for QUANTIZE / DEQUANTIZE). */
export async function fixtureModels(): Promise<NamedModel[]> {
  const work = await mkdtemp(path.join(tmpdir(), 'tp-cmodel-fixtures-'));
  const out: NamedModel[] = [];
  for (const f of FIXTURES) {
    const { dir } = await buildFixture(f, work);
    const samples = representativeInputs(f.inputShape, 8, 11);
    const flat = new Float32Array(samples.length * samples[0]!.length);
    samples.forEach((x, i) => flat.set(x, i * x.length));
    const calib = path.join(work, `${f.name}-calib.npy`);
    await writeFile(calib, encodeNpy([samples.length, ...f.inputShape], flat));
    for (const io of f.name === 'mixed' || f.name === 'sigmoid' ? (['int8', 'float'] as const) : (['int8'] as const)) {
      const graph = await emitGraph(path.join(dir, 'model.json'), calib, path.join(work, `${f.name}-${io}`), io);
      out.push({ name: `${f.name} (${io} I/O)`, graph, inputs: randomInputs(graph, 3, f.name.length) });
    }
  }
  return out;
}

/** The interpreter's one-op cases that have a single input (the C runtime compiles one-input models). */
export function oneOpModels(): NamedModel[] {
  return CASES.map((c, i) => {
    const { graph, inputs } = prepareCase(c, rng(1000 + i));
    return { name: `one op: ${c.name}`, graph, inputs };
  }).filter((m) => m.graph.inputs.length === 1);
}
