/**
 * Issue 16's bench: the C runtime against TFLM + CMSIS-NN on the Cortex-M4,
 * under QEMU mps2-an386 with -icount shift=0 and SysTick (instructions, not
 * cycles; the same method as the front-end bench and as the TFLM figures).
 *
 * Models: the demo model (paper autoencoder on 32 Mel × 32 frames; demo-out/run
 * when `npm run demo` made it, else the committed example run, which has the
 * same architecture and input) and the same with `--prune-channels 0.5`
 * (without fine-tuning here: the shapes, and so the counts, are the same).
 * Per model and optimisation level (-O2, -Os): instructions per inference and
 * per layer (per step of the generated model, conv and fused ops together),
 * instructions per MAC and the share of the SMLAD bound (0.5 per MAC) each
 * layer reaches, RAM (the activation buffer, exact), flash (the linked image
 * minus the harness alone, split into constant arrays and code), all beside
 * the TFLM figures measured with the real library. Also: code per kernel call
 * for every op (one-op models, -Os), and the whole window path of the
 * firmware (detector harness with the compiled model) per stage and per
 * second of audio.
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import type { CModel } from '../src/compiler/6-emit/c-model/index.js';
import type { Graph, TensorData } from '../src/ir/graph.js';
import { emit } from '../src/compiler/compile.js';
import { findRunConfig } from '../src/data/run-config.js';
import { runGraph } from '../src/runtime/index.js';
import { buildCModels, type CModelCase } from '../test/helpers/c-model-build.js';
import { oneOpModels, randomInputs } from '../test/codegen/c-model-models.js';
import { REPO_ROOT } from '../test/helpers/firmware-build.js';
import { buildDetectorHarness, conveyorStream } from '../test/sketch/helpers.js';
import { readTflite } from '../src/compiler/index.js';

/** Measured with TFLM (Arduino_TensorFlowLite 2.4.0-ALPHA, CMSIS-NN kernels), arm-none-eabi-gcc 12.2, QEMU mps2-an386 -icount shift=0. */
export const TFLM_REFERENCE = {
  demo: { macs: 7_569_408, instructionsO2: 18_826_321, perMacO2: 2.49, perMacOs: 3.41, arenaBytes: 43_780 },
  pruned: { macs: 2_015_232, instructionsO2: 6_860_467, perMacO2: 3.4, perMacOs: 4.52, arenaBytes: 22_724 },
  perLayerPerMacO2: { middleConvs: '2.0–2.2', firstConv: 8.6, lastConv: 7.9 },
  flashBytes: { runtimeAndKernelsO2: 56_700, runtimeAndKernelsOs: 48_948, flatbuffer: 49_200 },
};

/** The targets, from the figures above. */
const TARGETS = { instructionsVsTflm: 0.7, ramVsArena: 0.6 };

const SMLAD_BOUND = 0.5;
const LEVELS = ['-O2', '-Os'] as const;

interface BenchModel {
  graph: Graph;
  /** The model's int8 flatbuffer, what the TFLM sketch stores in flash. */
  flatbufferBytes: number;
}

async function demoGraphs(work: string): Promise<{ source: string; demo: BenchModel; pruned: BenchModel; runDir: string }> {
  const demoRun = path.resolve('demo-out/run');
  const has = await stat(path.join(demoRun, 'tinypdm.json')).then(
    () => true,
    () => false,
  );
  const runDir = has ? demoRun : path.join(REPO_ROOT, 'arduino/example-run');
  const graphOf = async (name: string, extra: object) => {
    const out = path.join(work, name);
    await emit({ model: path.join(runDir, 'model.json'), out, io: 'int8', command: `bench ${name}`, ...extra });
    const bytes = new Uint8Array(await readFile(path.join(out, 'model.tflite')));
    return { graph: readTflite(bytes, 'model.tflite'), flatbufferBytes: bytes.length };
  };
  return {
    source: has ? 'demo-out/run (npm run demo)' : 'arduino/example-run (the demo architecture: paper autoencoder, 32 × 32 × 1)',
    demo: await graphOf('demo', {}),
    pruned: await graphOf('pruned', { pruneChannels: 0.5, pruneNorm: 'l1' }),
    runDir,
  };
}

async function imageBytes(elf: string): Promise<number> {
  const r = await execa('arm-none-eabi-size', ['-A', elf]);
  // Flash holds .text (code and rodata) and the .data initialisers.
  let n = 0;
  for (const m of r.stdout.matchAll(/^\.(text|data|ARM\.exidx)\s+(\d+)/gm)) n += Number(m[2]);
  return n;
}

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

interface LayerRow {
  step: number;
  ops: string;
  layers: string;
  macs: number;
  instructions: number;
  perMac: number | null;
  smladBoundShare: number | null;
  tflmPerMac: number | string | null;
}

function tflmPerMac(model: CModel, step: number): number | string | null {
  const s = model.steps[step]!;
  if (!s.kinds.includes('CONV_2D')) return null;
  const convs = model.steps.map((x, i) => (x.kinds.includes('CONV_2D') ? i : -1)).filter((i) => i >= 0);
  if (step === convs[0]) return TFLM_REFERENCE.perLayerPerMacO2.firstConv;
  if (step === convs[convs.length - 1]) return TFLM_REFERENCE.perLayerPerMacO2.lastConv;
  return TFLM_REFERENCE.perLayerPerMacO2.middleConvs;
}

async function measureModel(
  name: 'demo' | 'pruned',
  { graph, flatbufferBytes }: BenchModel,
  level: (typeof LEVELS)[number],
  harnessOnly: number,
) {
  const inputs: TensorData[] = randomInputs(graph, 2, 7);
  const cases: CModelCase[] = [{ graph, target: 'cortex-m4', inputs }];
  const plain = await buildCModels(cases, { where: 'm4', cflags: [level] });
  const profiled = await buildCModels(cases, { where: 'm4', cflags: [level], profile: true });
  const [p] = await plain.run(cases);
  const [q] = await profiled.run(cases);
  // The bytes must be the interpreter's, or the counts measure something else.
  inputs.forEach((x, k) => {
    const ref = runGraph(graph, [x]).outputs[0]!;
    if (Buffer.compare(Buffer.from(ref.buffer, ref.byteOffset, ref.byteLength), Buffer.from(p!.outputs[k]!)) !== 0) {
      throw new Error(`bench: ${name} ${level} output differs from the reference interpreter`);
    }
  });
  const model = p!.model;
  const instructions = Math.round(p!.instructions / inputs.length);
  const flash = (await imageBytes(plain.exe)) - harnessOnly;
  const tflm = TFLM_REFERENCE[name];
  const tflmInstructions = level === '-O2' ? tflm.instructionsO2 : Math.round(tflm.perMacOs * tflm.macs);
  const layers: LayerRow[] = model.steps.map((s, i) => {
    const n = q!.stepInstructions[i]!;
    const perMac = s.macs > 0 ? n / s.macs : null;
    return {
      step: i,
      ops: s.kinds.join(' + '),
      layers: s.names.join(', '),
      macs: s.macs,
      instructions: n,
      perMac: perMac === null ? null : round(perMac),
      smladBoundShare: perMac === null ? null : round(SMLAD_BOUND / perMac),
      tflmPerMac: level === '-O2' ? tflmPerMac(model, i) : null,
    };
  });
  const macs = model.macs;
  return {
    model: name,
    level,
    macs,
    instructions,
    perMac: round(instructions / macs),
    tflm: {
      instructions: tflmInstructions,
      perMac: level === '-O2' ? tflm.perMacO2 : tflm.perMacOs,
      basis: level === '-O2' ? 'measured' : 'measured per MAC × MACs',
    },
    vsTflm: round(instructions / tflmInstructions, 3),
    layers,
    ramBytes: { activations: model.arenaBytes, tflmArena: tflm.arenaBytes, vsTflmArena: round(model.arenaBytes / tflm.arenaBytes, 3) },
    flashBytes: {
      total: flash,
      constants: model.constBytes,
      code: flash - model.constBytes,
      tflmRuntimeAndKernels:
        level === '-O2' ? TFLM_REFERENCE.flashBytes.runtimeAndKernelsO2 : TFLM_REFERENCE.flashBytes.runtimeAndKernelsOs,
      tflmFlatbuffer: flatbufferBytes,
    },
    layerTargetsMet:
      level === '-O2'
        ? layers.every((l) => l.perMac === null || typeof l.tflmPerMac !== 'number' || l.perMac <= l.tflmPerMac) &&
          layers.every((l) => l.perMac === null || typeof l.tflmPerMac !== 'string' || l.perMac <= 2.0)
        : null,
  };
}

/**
 * Per op kind at -Os, from one-op models (the interpreter's cases): code per
 * generated call (linked image minus the harness minus the constants) and
 * instructions per MAC (per output element for ops without MACs; MEAN: per
 * input element), the rates src/train/sweep/cost-model.ts uses.
 */
async function perOpKind(
  harnessOnlyOs: number,
): Promise<{ codeBytes: Record<string, number>; rates: Record<string, { per: string; instructions: number }> }> {
  const models = oneOpModels();
  const byKind = new Map<string, (typeof models)[number]>();
  for (const m of models) {
    const k = m.graph.ops[0]!.kind;
    if (m.graph.ops.length === 1 && !byKind.has(k)) byKind.set(k, m);
  }
  const codeBytes: Record<string, number> = {};
  const rates: Record<string, { per: string; instructions: number }> = {};
  for (const [kind, m] of [...byKind].sort(([a], [b]) => a.localeCompare(b))) {
    const cases: CModelCase[] = [{ graph: m.graph, target: 'cortex-m4', inputs: m.inputs.slice(0, 1) }];
    const built = await buildCModels(cases, { where: 'm4', cflags: ['-Os'] });
    const [r] = await built.run(cases);
    codeBytes[kind] = (await imageBytes(built.exe)) - harnessOnlyOs - built.models[0]!.constBytes;
    const size = (id: number) => m.graph.tensors[id]!.shape.reduce((a, b) => a * b, 1);
    const macs = built.models[0]!.macs;
    const per = macs > 0 && kind !== 'MEAN' && !kind.endsWith('POOL_2D') ? 'MAC' : kind === 'MEAN' ? 'input element' : 'output element';
    const units = per === 'MAC' ? macs : per === 'input element' ? size(m.graph.inputs[0]!) : size(m.graph.outputs[0]!);
    rates[kind] = { per, instructions: round(r!.instructions / units) };
  }
  return { codeBytes, rates };
}

/** The detector firmware with the compiled model, on a few seconds of synthetic conveyor sound. */
async function wholeFirmware(runDir: string, work: string, level: (typeof LEVELS)[number]) {
  const out = path.join(work, `sketch${level}`);
  await emit({ model: path.join(runDir, 'model.json'), out, io: 'int8', command: 'bench', board: 'nano33ble', sketchName: 'bench_sketch' });
  const run = (await findRunConfig(path.join(runDir, 'model.json')))!.config;
  const samples = conveyorStream(run.features.pdmRate);
  const harness = await buildDetectorHarness(path.join(out, 'bench_sketch'), 'm4', { cModel: true, cflags: [level] });
  const r = await harness.run(samples, []);
  const seconds = samples.length / run.features.pdmRate;
  const i = r.instructions;
  const perSecond = (n: number) => Math.round(n / seconds);
  const modelPerWindow = i.model / Math.max(1, r.summary.windows);
  const steady = run.features.sampleRate / (run.features.hop * run.features.windowHop);
  const steadyTotal = Math.round(perSecond(i.total) - perSecond(i.model) + modelPerWindow * steady);
  const stages = {
    resampling: i.resampling,
    melFrontEnd: i.frontend - i.resampling,
    model: i.model,
    scoreAndThreshold: i.score,
    ringAndGlue: i.total - i.frontend - i.model - i.score,
  };
  return {
    level,
    audioSeconds: round(seconds, 3),
    pdmRate: run.features.pdmRate,
    targetRate: run.features.sampleRate,
    windows: r.summary.windows,
    instructions: { total: i.total, ...stages },
    perSecondOfAudio: { total: perSecond(i.total), ...Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, perSecond(v)])) },
    modelPerWindow: Math.round(modelPerWindow),
    shareOf64MHz: round(i.total / seconds / 64e6, 3),
    // A short stream holds fewer windows than a long one (the first waits for a full window): at the steady rate
    // every hop of `windowHop` frames runs the model once.
    steady: { windowsPerSecond: round(steady, 3), modelPerSecond: Math.round(modelPerWindow * steady), totalPerSecond: steadyTotal },
    steadyShareOf64MHz: round(steadyTotal / 64e6, 3),
  };
}

export async function benchCBackend(): Promise<Record<string, unknown>> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'tinypdm-bench-c-'));
  try {
    const { source, demo, pruned, runDir } = await demoGraphs(work);
    const results = [];
    const harnessOnly: Record<string, number> = {};
    for (const level of LEVELS) {
      harnessOnly[level] = await imageBytes((await buildCModels([], { where: 'm4', cflags: [level] })).exe);
      for (const [name, graph] of [
        ['demo', demo],
        ['pruned', pruned],
      ] as const) {
        process.stderr.write(`  ${name} ${level}\n`);
        results.push(await measureModel(name, graph, level, harnessOnly[level]));
      }
    }
    process.stderr.write('  per op kind: code per call and instructions (-Os)\n');
    const perKind = await perOpKind(harnessOnly['-Os']!);
    process.stderr.write('  whole firmware (detector + compiled model)\n');
    const firmware = [];
    for (const level of LEVELS) firmware.push(await wholeFirmware(runDir, work, level));
    const demoO2 = results.find((r) => r.model === 'demo' && r.level === '-O2')!;
    const targets = {
      instructions: {
        demoO2: demoO2.instructions,
        limit: Math.round(TARGETS.instructionsVsTflm * TFLM_REFERENCE.demo.instructionsO2),
        met: results.every((r) => r.vsTflm <= TARGETS.instructionsVsTflm),
      },
      perLayer: { met: results.filter((r) => r.level === '-O2').every((r) => r.layerTargetsMet) },
      ram: {
        demo: demoO2.ramBytes.activations,
        limit: Math.round(TARGETS.ramVsArena * TFLM_REFERENCE.demo.arenaBytes),
        met: results.every((r) => r.ramBytes.vsTflmArena <= TARGETS.ramVsArena),
      },
      flash: {
        met: results.every((r) => r.flashBytes.total <= r.flashBytes.tflmRuntimeAndKernels + r.flashBytes.tflmFlatbuffer),
      },
    };
    return {
      models: source,
      method: 'QEMU mps2-an386 -icount shift=0, SysTick; arm-none-eabi-gcc 12.2 -mcpu=cortex-m4 -mfpu=fpv4-sp-d16',
      tflm: TFLM_REFERENCE,
      targets,
      results,
      perOpKindOs: perKind,
      wholeFirmware: firmware,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
