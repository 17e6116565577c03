import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TinyPdmError } from '../../src/util/errors.js';
import { cloneGraph } from '../../src/ir/builder.js';
import { isConstant, type Graph } from '../../src/ir/graph.js';
import { validateGraph } from '../../src/compiler/index.js';
import { emit } from '../../src/compiler/compile.js';
import { readTflite, writeTflite } from '../../src/compiler/index.js';
import { MAX_BYTES_ENV } from '../../src/util/limits.js';
import { encodeNpy } from '../../src/util/npy.js';
import { verifyModel } from '../../src/verify/verify.js';
import { smallInt8Graph } from '../model/graph-cases.js';
import { allOpsGraph } from '../tflite/fixtures.js';
import { FUZZ_RUNS, FUZZ_SEED } from './fuzz-helpers.js';

/**
 * Issue 13's graph classes, generated from valid graphs (every op kind, float
 * and int8) by hostile edits, written as .tflite and fed to the reader plus the
 * graph validator, and to emit's and verify's entry points (emit() and
 * verifyModel() in-process, on every EMIT_EVERY-th case):
 *  - cyclic and miswired graphs (inputs rewired to later or own outputs, two
 *    producers, ops reordered or dropped, graph inputs/outputs removed);
 *  - inconsistent shapes and operands (dimensions, ranks, strides, windows,
 *    axes, reshape/pad/resize/transpose-conv operands);
 *  - zero, negative, NaN, infinite or subnormal scales, zero points out of
 *    range, NaN/Inf/huge weights and biases;
 *  - huge declared shapes.
 * The outcome is a consistent graph (or an emitted, verified model) or one
 * clean TinyPdmError naming the file; never an internal error. Runs under a
 * 64 MiB cap, so huge shapes must be refused before they are allocated; the
 * process's RSS is sampled and bounded. Counts per outcome are printed.
 */
const CAP = '64M';
const CAP_BYTES = 64 * 1024 ** 2;
/** What the test process itself may add to RSS besides the cap: V8, TF.js, the wasm runtime and its heap. */
const RSS_OVERHEAD = 700 * 1024 ** 2;
/** emit() and verifyModel() run on every EMIT_EVERY-th case (they write files and start the real runtime). */
const EMIT_EVERY = Number(process.env['TINYPDM_FUZZ_EMIT_EVERY'] ?? 10);
const USER_CODES = new Set([
  'CORRUPT_FILE',
  'UNSUPPORTED_OP',
  'UNSUPPORTED_FORMAT',
  'RESOURCE_LIMIT',
  'INVALID_GRAPH',
  'SHAPE_MISMATCH',
  'QUANTIZATION',
  'NON_FINITE',
  'MISSING_CALIBRATION',
]);

let work: string;
let oldCap: string | undefined;
let baselineRss = 0;
let peakRss = 0;
const sampleRss = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));

const BASES = [smallInt8Graph(), allOpsGraph('int8'), allOpsGraph('float32')];
const calibFor = new Map<string, string>();

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'tinypdm-graph-fuzz-'));
  oldCap = process.env[MAX_BYTES_ENV];
  process.env[MAX_BYTES_ENV] = CAP;
  // Calibration data for the float base, by input shape.
  const g = allOpsGraph('float32');
  const shape = g.tensors[g.inputs[0]!]!.shape;
  const size = shape.reduce((a, b) => a * b, 1);
  const file = path.join(work, 'calib.npy');
  await writeFile(
    file,
    encodeNpy(
      [3, ...shape.slice(1)],
      Float32Array.from({ length: 3 * size }, (_, i) => Math.sin(i / 5)),
    ),
  );
  calibFor.set(g.name, file);
  baselineRss = process.memoryUsage().rss;
});

afterAll(async () => {
  if (oldCap === undefined) delete process.env[MAX_BYTES_ENV];
  else process.env[MAX_BYTES_ENV] = oldCap;
  await rm(work, { recursive: true, force: true });
});

// ---- edits --------------------------------------------------------------

type Edit = (g: Graph, pick: (n: number) => number) => void;

const HUGE = [65536, 1 << 20, 1 << 24, 46341, 0x7fffffff, 1 << 30];
const BAD_SCALES = [0, -0, -1, NaN, Infinity, -Infinity, 1e-45, 1e-50, 5e-324, 1e39, 3.4e38];
const BAD_ZERO_POINTS = [128, -129, 255, 2 ** 31, -(2 ** 40), 7];
const BAD_VALUES = [NaN, Infinity, -Infinity, 3e38, -3e38, 1e30];

const activations = (g: Graph) => g.tensors.filter((t) => !isConstant(t));
const anyOf = <T>(xs: readonly T[], pick: (n: number) => number): T => xs[pick(xs.length)]!;

const STRUCTURE: Edit[] = [
  // An op input becomes any tensor: its own output, a later op's, a constant, or absent.
  (g, pick) => {
    const op = anyOf(g.ops, pick);
    if (op.inputs.length === 0) return;
    const later = g.ops.slice(g.ops.indexOf(op)).map((o) => o.outputs[0]!);
    op.inputs[pick(op.inputs.length)] = pick(3) === 0 ? anyOf(later, pick) : pick(4) === 0 ? -1 : pick(g.tensors.length);
  },
  (g, pick) => void (anyOf(g.ops, pick).outputs[0] = pick(g.tensors.length)),
  (g, pick) => {
    const i = pick(g.ops.length);
    const j = pick(g.ops.length);
    [g.ops[i], g.ops[j]] = [g.ops[j]!, g.ops[i]!];
  },
  (g, pick) => void g.ops.splice(pick(g.ops.length), 1),
  (g, pick) => void g.ops.splice(pick(g.ops.length), 0, { ...anyOf(g.ops, pick) }),
  (g, pick) => void (g.inputs = pick(3) === 0 ? [] : [pick(g.tensors.length)]),
  (g, pick) => void (g.outputs = pick(3) === 0 ? [] : [pick(g.tensors.length)]),
];

const SHAPES: Edit[] = [
  (g, pick) => {
    const t = anyOf(activations(g), pick);
    if (t.shape.length === 0) return;
    const k = pick(t.shape.length);
    t.shape[k] = Math.max(1, t.shape[k]! + anyOf([-1, 1, 2, -2], pick));
  },
  (g, pick) => {
    const t = anyOf(activations(g), pick);
    if (pick(2) === 0) t.shape.push(1 + pick(3));
    else t.shape.pop();
  },
  (g, pick) => {
    const op = anyOf(g.ops, pick);
    const o = op.options as Record<string, unknown>;
    const key = anyOf(Object.keys(o).length ? Object.keys(o) : ['none'], pick);
    const v = o[key];
    if (typeof v === 'number') o[key] = anyOf([0, -1, v + 1, v * 3, 1e9, 0.5], pick);
    else if (typeof v === 'boolean') o[key] = !v;
    else if (v === 'SAME' || v === 'VALID') o[key] = v === 'SAME' ? 'VALID' : 'SAME';
  },
  // Constant int32 operands (reshape shape, paddings, sizes, axes, output shapes).
  (g, pick) => {
    const t = anyOf(
      g.tensors.filter((x) => x.dtype === 'int32' && x.data && x.data.length > 0 && !x.quant),
      pick,
    );
    if (!t) return;
    (t.data as Int32Array)[pick(t.data!.length)] = anyOf([-1, 0, 1, 3, -7, 1 << 20, 0x7fffffff], pick);
  },
];

const NUMBERS: Edit[] = [
  (g, pick) => {
    const t = anyOf(
      g.tensors.filter((x) => x.quant),
      pick,
    );
    if (t) t.quant!.scale[pick(t.quant!.scale.length)] = anyOf(BAD_SCALES, pick);
  },
  (g, pick) => {
    const t = anyOf(
      g.tensors.filter((x) => x.quant),
      pick,
    );
    if (t) t.quant!.zeroPoint[pick(t.quant!.zeroPoint.length)] = anyOf(BAD_ZERO_POINTS, pick);
  },
  (g, pick) => {
    const t = anyOf(
      g.tensors.filter((x) => x.data instanceof Float32Array),
      pick,
    );
    if (t) (t.data as Float32Array)[pick(t.data!.length)] = anyOf(BAD_VALUES, pick);
  },
  (g, pick) => {
    const t = anyOf(
      g.tensors.filter((x) => x.dtype === 'int32' && x.quant),
      pick,
    );
    if (t) (t.data as Int32Array)[pick(t.data!.length)] = anyOf([0x7fffffff, -0x80000000, 1 << 30], pick);
  },
  (g, pick) => {
    const t = anyOf(
      g.tensors.filter((x) => x.quant && !isConstant(x)),
      pick,
    );
    if (t) delete t.quant;
  },
];

const HUGE_SHAPES: Edit[] = [
  (g, pick) => {
    const t = anyOf(activations(g), pick);
    t.shape[pick(t.shape.length)] = anyOf(HUGE, pick);
  },
  // The same huge spatial size on the input and every activation: shapes that may be consistent.
  (g, pick) => {
    const d = anyOf(HUGE, pick);
    for (const t of activations(g)) if (t.shape.length === 4) t.shape[1] = d;
  },
];

/**
 * smallInt8Graph scaled up consistently: input [1, 8f, 8f, 2] through to the
 * FULLY_CONNECTED, which then reads f² rows. Valid at any f, so the memory
 * checks (reader, verify, emit's runtime check), not the shape rules, decide.
 */
const scaleSmallGraph: Edit = (g, pick) => {
  if (g.name !== 'small_int8') return;
  const f = anyOf([2, 8, 32, 128, 512, 4096], pick);
  const dims: Record<string, number[]> = {
    input: [1, 8 * f, 8 * f, 2],
    conv: [1, 8 * f, 8 * f, 4],
    pool: [1, 4 * f, 4 * f, 4],
    add: [1, 4 * f, 4 * f, 4],
    flat: [f * f, 64],
    fc: [f * f, 3],
  };
  for (const t of g.tensors) if (dims[t.name]) t.shape = dims[t.name]!;
  g.tensors.find((t) => t.name === 'flat/shape')!.data = Int32Array.from([f * f, 64]);
};
HUGE_SHAPES.push(scaleSmallGraph, scaleSmallGraph);

const CLASSES: Record<string, Edit[]> = {
  'cyclic and miswired graphs': STRUCTURE,
  'inconsistent shapes and operands': SHAPES,
  'zero/NaN/Inf scales, weights and biases': NUMBERS,
  'huge declared shapes': HUGE_SHAPES,
};

// ---- one case -----------------------------------------------------------

type Tally = Map<string, number>;
/** The first few cases that verify ran and failed, printed for a look (an op the runtime and the interpreter disagree on). */
const verifyFailures: string[] = [];
const bump = (t: Tally, k: string) => t.set(k, (t.get(k) ?? 0) + 1);

/** A one-line TinyPdmError with a user code that names one of `files`; anything else fails the test. */
function checked(e: unknown, files: string[]): string {
  if (!(e instanceof TinyPdmError))
    throw new Error(`internal error: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`, { cause: e });
  if (e.message.includes('\n')) throw new Error(`multi-line user error: ${e.message}`);
  if (!USER_CODES.has(e.code)) throw new Error(`unexpected code ${e.code}: ${e.message}`);
  if (!files.some((f) => e.message.includes(f))) throw new Error(`user error names none of ${files.join(', ')}: ${e.message}`);
  return e.code;
}

async function runCase(
  base: Graph,
  edits: Array<[number, number[]]>,
  catalogue: Edit[],
  n: number,
  tallies: { reader: Tally; emit: Tally; verify: Tally },
): Promise<void> {
  const g = cloneGraph(base);
  for (const [e, picks] of edits) {
    let k = 0;
    catalogue[e % catalogue.length]!(g, (m) => (m <= 0 ? 0 : picks[k++ % picks.length]! % m));
  }
  let bytes: Uint8Array;
  try {
    bytes = writeTflite(g, { description: 'fuzz' });
  } catch (e) {
    // The writer's own IR checks (e.g. a constant whose data no longer fits its shape): not a file anyone can hand us.
    if (e instanceof TinyPdmError && e.code === 'BAD_ARGUMENT') return void bump(tallies.reader, 'not writable');
    throw e;
  }
  const file = path.join(work, `case-${n}.tflite`);
  try {
    readTflite(bytes, file);
    validateGraph(readTflite(bytes, file), file);
    bump(tallies.reader, 'ok');
  } catch (e) {
    bump(tallies.reader, checked(e, [file]));
  }
  if (n % EMIT_EVERY === 0) {
    await writeFile(file, bytes);
    const out = path.join(work, `out-${n}`);
    const calib = calibFor.get(g.name);
    let emitted = false;
    try {
      await emit({ model: file, out, io: 'int8', command: 'fuzz', ...(calib ? { calib } : {}) });
      emitted = true;
      bump(tallies.emit, 'ok');
    } catch (e) {
      bump(tallies.emit, checked(e, [file, ...(calib ? [calib] : [])]));
    }
    const model = emitted ? path.join(out, 'model.tflite') : file;
    try {
      const r = await verifyModel({
        modelPath: model,
        randomInputs: 1,
        seed: 1,
        maxLsb: 1,
        minIdenticalShare: 0.99,
        ...(calib && emitted ? { calibPath: calib } : {}),
      });
      bump(tallies.verify, r.passed ? 'ok' : 'ran, failed');
      if (!r.passed && verifyFailures.length < 5) {
        const op = r.perOp.find((o) => o.agreement.maxLsb > 1);
        verifyFailures.push(`case ${n}${op ? ` (op ${op.index} ${op.kind})` : ''}: ${r.failures.join('; ')}`);
        const keep = process.env['TINYPDM_FUZZ_KEEP'];
        if (keep) await writeFile(path.join(keep, `verify-failed-${n}.tflite`), await readFile(model));
      }
    } catch (e) {
      bump(tallies.verify, checked(e, [model, path.join(path.dirname(model), 'model_float.tflite')]));
    }
    await rm(out, { recursive: true, force: true });
    await rm(file, { force: true });
  }
  sampleRss();
}

const caseArb = (catalogue: Edit[]) =>
  fc.tuple(
    fc.integer({ min: 0, max: BASES.length - 1 }),
    fc.array(
      fc.tuple(fc.integer({ min: 0, max: catalogue.length - 1 }), fc.array(fc.nat({ max: 1 << 20 }), { minLength: 4, maxLength: 8 })),
      { minLength: 1, maxLength: 3 },
    ),
  );

describe('graph fuzz: hostile graphs through the reader, the validator, emit and verify', () => {
  it.each(Object.entries(CLASSES))(
    `%s (${FUZZ_RUNS} cases): a consistent graph or one clean user error, within the memory cap`,
    async (name, catalogue) => {
      const tallies: { reader: Tally; emit: Tally; verify: Tally } = { reader: new Map(), emit: new Map(), verify: new Map() };
      let n = 0;
      await fc.assert(
        fc.asyncProperty(caseArb(catalogue), async ([base, edits]) => {
          await runCase(BASES[base]!, edits, catalogue, n++, tallies);
        }),
        { numRuns: FUZZ_RUNS, seed: FUZZ_SEED },
      );
      const show = (t: Tally) => JSON.stringify(Object.fromEntries([...t].sort()));
      const rss = `peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB (baseline ${(baselineRss / 2 ** 20).toFixed(0)} MiB)`;
      console.log(
        `graph fuzz [${name}]: ${n} cases; reader+validator ${show(tallies.reader)}; emit ${show(tallies.emit)}; verify ${show(tallies.verify)}; ${rss}`,
      );
      if (verifyFailures.length > 0) console.log(`  verify ran and failed: ${verifyFailures.splice(0).join(' | ')}`);
      expect(n).toBe(FUZZ_RUNS);
      // Neither branch is vacuous: some cases stay valid, most are refused.
      const reader = tallies.reader;
      const total = [...reader.values()].reduce((a, b) => a + b, 0);
      expect(reader.get('not writable') ?? 0, 'most cases reach the reader').toBeLessThan(total / 2);
      expect([...reader.keys()].filter((k) => k !== 'ok' && k !== 'not writable').length, 'refusals happen').toBeGreaterThan(0);
      expect(peakRss - baselineRss).toBeLessThan(CAP_BYTES + RSS_OVERHEAD);
    },
    3_600_000,
  );
});

// ---- a sample through the real CLI ---------------------------------------

const BIN = path.resolve(import.meta.dirname, '../../bin/tinypdm.js');
const PEAK_RSS = path.resolve(import.meta.dirname, 'preload/peak-rss.mjs');
const CLI_CAP = '256M';
const CLI_CAP_BYTES = 256 * 1024 ** 2;
/** The CLI's own footprint besides what the cap governs: Node, tsx, TF.js and the wasm runtime (emit of the example run peaks at ~275 MB). */
const CLI_OVERHEAD = 400 * 1024 ** 2;

/** The hostile graphs also run through `verify` (all of them run through `emit`; both share the reader and the validator). */
const VERIFY_SAMPLE = new Set([
  'an op whose input is its own output',
  'a two-op cycle',
  'a scale of 0',
  'a FULLY_CONNECTED bias with one scale per unit for per-tensor weights',
]);

/** A RELU over [1, n, n, 1] int8: 2·n² bytes of tensors in a file of about 400 bytes. */
function reluGraph(n: number): Graph {
  const q = () => ({ scale: [0.02], zeroPoint: [0], axis: 0 });
  return {
    name: 'relu',
    tensors: [
      { id: 0, name: 'x', shape: [1, n, n, 1], dtype: 'int8', quant: q() },
      { id: 1, name: 'y', shape: [1, n, n, 1], dtype: 'int8', quant: q() },
    ],
    ops: [{ kind: 'RELU', name: 'relu', inputs: [0], outputs: [1], options: {} }],
    inputs: [0],
    outputs: [1],
  };
}

let cliRuns = 0;

async function cli(args: string[]): Promise<{ exitCode: number; stderr: string; peakRss: number }> {
  const { execa } = await import('execa');
  const rssFile = path.join(work, `rss-${cliRuns++}`);
  const r = await execa(process.execPath, ['--import', PEAK_RSS, BIN, ...args], {
    reject: false,
    stdin: 'ignore',
    env: { [MAX_BYTES_ENV]: CLI_CAP, TINYPDM_TEST_PEAK_RSS: rssFile },
    timeout: 600_000,
  });
  const kb = Number(await readFile(rssFile, 'utf8').catch(() => 'NaN'));
  return { exitCode: r.exitCode ?? -1, stderr: String(r.stderr), peakRss: kb * 1024 };
}

describe('graph fuzz sample through the real CLI, with its peak RSS', () => {
  it(`every case exits 0 or 1 (one line), with peak RSS under the ${CLI_CAP} cap plus ${CLI_OVERHEAD / 2 ** 20} MiB`, async () => {
    const cases: Array<{ name: string; args: string[]; expect?: string }> = [];
    const put = async (name: string, g: Graph) => {
      const file = path.join(work, `cli-${name}.tflite`);
      await writeFile(file, writeTflite(g, { description: 'fuzz' }));
      return file;
    };
    const huge = await put('relu-512mib', reluGraph(16384));
    cases.push({ name: 'verify, 2 × 256 MiB of tensors in 416 bytes', args: ['verify', huge], expect: 'RESOURCE_LIMIT' });
    cases.push({ name: 'emit, the same', args: ['emit', huge, '--out', path.join(work, 'cli-out-huge')], expect: 'RESOURCE_LIMIT' });
    const big = await put('relu-128mib', reluGraph(8192));
    cases.push({ name: 'verify, 2 × 64 MiB (under the cap, over it with the runtime)', args: ['verify', big], expect: 'RESOURCE_LIMIT' });
    const mid = await put('relu-8mib', reluGraph(2048));
    cases.push({ name: 'verify, 2 × 4 MiB: runs', args: ['verify', mid, '--random', '2'] });
    cases.push({ name: 'emit, 2 × 4 MiB: runs', args: ['emit', mid, '--out', path.join(work, 'cli-out-mid')] });
    const { HOSTILE_GRAPHS } = await import('../model/graph-cases.js');
    for (const [name, c] of Object.entries(HOSTILE_GRAPHS)) {
      const file = await put(name.replace(/\W+/g, '-'), c.graph());
      cases.push({
        name: `emit, ${name}`,
        args: ['emit', file, '--out', path.join(work, `cli-out-${path.basename(file)}`)],
        expect: c.code,
      });
      if (VERIFY_SAMPLE.has(name)) cases.push({ name: `verify, ${name}`, args: ['verify', file], expect: c.code });
    }
    const log: string[] = [];
    let largest = 0;
    for (const c of cases) {
      const r = await cli(c.args);
      largest = Math.max(largest, r.peakRss);
      log.push(
        `${c.name}: exit ${r.exitCode}, ${/\[([A-Z_]+)\]/.exec(r.stderr)?.[1] ?? 'no error'}, peak RSS ${(r.peakRss / 2 ** 20).toFixed(0)} MiB`,
      );
      expect([0, 1], `${c.name}: ${r.stderr}`).toContain(r.exitCode);
      if (r.exitCode === 1) expect(r.stderr.trim().split('\n'), c.name).toHaveLength(1);
      if (c.expect) expect(r.stderr, c.name).toContain(`[${c.expect}]`);
      else expect(r.exitCode, `${c.name}: ${r.stderr}`).toBe(0);
      expect(r.peakRss, `${c.name}: peak RSS recorded`).toBeGreaterThan(0);
      expect(r.peakRss, c.name).toBeLessThan(CLI_CAP_BYTES + CLI_OVERHEAD);
    }
    console.log(
      `graph fuzz CLI sample (${cases.length} runs, cap ${CLI_CAP}): largest peak RSS ${(largest / 2 ** 20).toFixed(0)} MiB\n  ${log.join('\n  ')}`,
    );
  }, 1_800_000);
});
