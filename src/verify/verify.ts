import path from 'node:path';
import { fail, TinyPdmError } from '../util/index.js';
import { tensorSize, type Graph, type QuantParams, type TensorData } from '../ir/index.js';
import { runGraph } from '../runtime/index.js';
import { checkRunMemory, createTfliteRunner, type TfliteRunner } from '../tflite/index.js';
import { readTflite, validateGraph, writeTflite } from '../compiler/index.js';
import { OPS } from '../ops/index.js';
import { isMissingInput, readInput, readNpy } from '../util/index.js';
import {
  accumulateFloatError,
  accumulateLsb,
  emptyAgreement,
  emptyFloatErrorSums,
  finishFloatError,
  mergeAgreement,
  type FloatError,
  type LsbAgreement,
} from './compare.js';
import { isolateOp } from './isolate-op.js';
import { verifyMemory } from './memory.js';

/**
 * Runs a quantised model in the real TFLite runtime and in our reference
 * interpreter on the same inputs and measures how far they disagree.
 * The tolerance is 1 LSB: the runtime uses XNNPACK, which may round some
 * int8 products differently from TFLM's reference kernels (the XNNPACK delegate of the tfjs-tflite runtime).
 * With the float model beside it, the int8 output's error against the float
 * output (relative RMSE) is a second criterion: a model whose int8 arithmetic
 * is exact but whose quantisation lost the signal (a calibration range an
 * outlier blew up) must not pass.
 */
export interface VerifyOptions {
  modelPath: string;
  /** Float inputs [N, ...inputShape] as .npy; quantised with the model's input params. */
  calibPath?: string;
  randomInputs: number;
  seed: number;
  /** Float model to measure int8-vs-float error; defaults to model_float.tflite beside the model (skipped when absent). */
  floatModelPath?: string;
  maxLsb: number;
  minIdenticalShare: number;
  /** Largest int8-vs-float RMSE relative to the float output's RMS; default DEFAULT_MAX_FLOAT_ERROR. */
  maxFloatError?: number;
}

/**
 * The default --max-float-error: 0.25, i.e. an int8-vs-float RMSE of 25 % of
 * the float output's RMS. Measured with this code on correctly quantised
 * models: the committed example run (paper autoencoder) 0.63 % on its
 * calibration inputs; the test fixtures (test/fixtures/models.ts, fitted for
 * two epochs only) 0.3–6.1 % on calibration inputs and 0.3–10.7 % on random
 * ones. The example run calibrated with one value of its data replaced by an
 * outlier: 30 (32× the data's range) 4.6 %, 300 42 %, 1e4 and 1e30 100 % (the
 * int8 output is constant). 25 % leaves 2.3× headroom over the worst good
 * model and fails the broken ones.
 */
export const DEFAULT_MAX_FLOAT_ERROR = 0.25;
/** More random inputs than anyone means; a typo such as 1e9 would run for days. */
export const MAX_RANDOM_INPUTS = 100_000;

export interface OpAgreement {
  index: number;
  kind: string;
  name: string;
  agreement: LsbAgreement;
  /** Set when the runtime rounds this op its own way (the op's descriptor says why): held to the LSB bound only. */
  runtimeRounding?: string;
}

export interface VerifyReport {
  model: string;
  inputs: { calibration: number; random: number };
  /** Every op run alone on identical inputs, except those in `runtimeRounded`: the pass criterion. */
  agreement: LsbAgreement;
  /** Ops whose int8 kernel the runtime computes with rounding of its own: they must stay within the LSB bound. */
  runtimeRounded: LsbAgreement;
  perOp: OpAgreement[];
  /** Whole-model outputs, where earlier ops' rounding differences propagate: informational. */
  endToEnd: LsbAgreement;
  /** int8 vs the float model, on the calibration inputs (the random ones when there are none). */
  floatError?: FloatError & { model: string; inputs: 'calibration' | 'random' };
  /** Why the float comparison was skipped, when it was. */
  floatSkipped?: string;
  passed: boolean;
  /** One line per failed criterion; empty when passed. */
  failures: string[];
  tolerance: { maxLsb: number; minIdenticalShare: number; maxFloatError: number };
}

export async function verifyModel(opts: VerifyOptions): Promise<VerifyReport> {
  const maxFloatError = checkOptions(opts);
  const bytes = await readModelFile(opts.modelPath);
  const graph = readTflite(bytes, opts.modelPath);
  validateGraph(graph, opts.modelPath);
  if (graph.inputs.length !== 1)
    fail('UNSUPPORTED_FORMAT', `${opts.modelPath}: verify supports single-input models; this one has ${graph.inputs.length}`);
  const input = graph.tensors[graph.inputs[0]!]!;
  const modelInputQuant = quantOfModelInput(graph);
  if (!modelInputQuant)
    fail(
      'UNSUPPORTED_FORMAT',
      `${opts.modelPath}: the model is not quantised; verify checks int8 models against the TFLite runtime (run tinypdm emit --calib first)`,
    );

  const floatModel = await readFloatModel(opts, graph);
  const floatInputs: Float32Array[] = opts.calibPath
    ? splitSamples(await readNpy(opts.calibPath), tensorSize(input.shape), opts.calibPath)
    : [];
  const floatPart = floatModel ? { graph: floatModel.graph, fileBytes: floatModel.bytes.length } : undefined;
  const samplesBytes = 4 * tensorSize(input.shape) * floatInputs.length;
  checkRunMemory(verifyMemory(graph, bytes.length, samplesBytes, floatPart), `verify ${opts.modelPath}`);
  if (floatInputs.length + opts.randomInputs === 0) {
    fail(
      'BAD_ARGUMENT',
      `${opts.modelPath}: nothing to check: --random 0 and no --calib; a check that runs no input cannot pass. ` +
        'Give --calib x.npy or --random N with N ≥ 1',
    );
  }
  const random = seededInputs(tensorSize(input.shape), opts.seed, modelInputQuant);
  const toModelInput = (x: Float32Array): TensorData => (input.dtype === 'float32' ? x : quantizeInput(x, modelInputQuant));

  const runners: TfliteRunner[] = [];
  try {
    const runner = await createTfliteRunner(bytes, opts.modelPath);
    runners.push(runner);
    const opRunners = [];
    for (const op of graph.ops) {
      const isolated = isolateOp(graph, op);
      const opBytes = writeTflite(isolated.graph, { description: 'tinypdm verify' });
      const opRunner = await createTfliteRunner(opBytes, `${opts.modelPath} (op ${opRunners.length} ${op.kind} '${op.name}' alone)`);
      runners.push(opRunner);
      opRunners.push({ op, inputIds: isolated.inputIds, runner: opRunner });
    }
    const floatRunner = floatModel ? await createTfliteRunner(floatModel.bytes, floatModel.path, FLOAT_MODEL_FIX) : undefined;
    if (floatRunner) runners.push(floatRunner);

    let endToEnd = emptyAgreement();
    const perOp: OpAgreement[] = opRunners.map(({ op }, index) => {
      const runtimeRounding = OPS[op.kind].runtimeRounding;
      return { index, kind: op.kind, name: op.name, agreement: emptyAgreement(), ...(runtimeRounding ? { runtimeRounding } : {}) };
    });
    let floatSums = emptyFloatErrorSums();
    const total = floatInputs.length + opts.randomInputs;
    for (let k = 0; k < total; k++) {
      const x = k < floatInputs.length ? floatInputs[k]! : random();
      const modelInput = toModelInput(x);
      const { outputs: ours, tensors } = runGraph(graph, [modelInput], { captureAll: true });
      const theirs = runner.run([modelInput as ArrayLike<number>]);
      graph.outputs.forEach((id, j) => {
        endToEnd = accumulateLsb(endToEnd, ours[j] as ArrayLike<number>, theirs[j]!, lsbOf(graph, id));
      });
      opRunners.forEach(({ op, inputIds, runner: opRunner }, j) => {
        const got = opRunner.run(inputIds.map((id) => tensors!.get(id) as ArrayLike<number>));
        op.outputs.forEach((id, o) => {
          perOp[j]!.agreement = accumulateLsb(perOp[j]!.agreement, tensors!.get(id) as ArrayLike<number>, got[o]!, lsbOf(graph, id));
        });
      });
      // Random inputs span the whole int8 input range, far outside what the model was calibrated on:
      // the float comparison uses the calibration inputs when there are any.
      if (floatRunner && (k < floatInputs.length || floatInputs.length === 0)) {
        const float = floatRunner.run([dequantizeInput(modelInput, graph)])[0]! as ArrayLike<number>;
        floatSums = accumulateFloatError(floatSums, dequantizeOutput(graph, ours[0]!), float);
      }
    }
    const merged = (ops: OpAgreement[]) => ops.reduce((acc, o) => mergeAgreement(acc, o.agreement), emptyAgreement());
    const agreement = merged(perOp.filter((o) => !o.runtimeRounding));
    const runtimeRounded = merged(perOp.filter((o) => o.runtimeRounding));
    const inputs = floatInputs.length > 0 ? ('calibration' as const) : ('random' as const);
    const floatError = floatModel ? { ...finishFloatError(floatSums), model: floatModel.path, inputs } : undefined;
    const failures: string[] = [];
    if (agreement.maxLsb > opts.maxLsb) {
      failures.push(`an op differs from the TFLite runtime by ${agreement.maxLsb} LSB (tolerance ${opts.maxLsb})`);
    }
    if (runtimeRounded.maxLsb > opts.maxLsb) {
      failures.push(`an op the TFLite runtime rounds its own way differs by ${runtimeRounded.maxLsb} LSB (tolerance ${opts.maxLsb})`);
    }
    if (agreement.identicalShare < opts.minIdenticalShare) {
      const share = (agreement.identicalShare * 100).toFixed(2);
      failures.push(`${share}% of op outputs are identical to the TFLite runtime's (tolerance ${opts.minIdenticalShare * 100}%)`);
    }
    if (floatError && !(floatError.relativeRmse <= maxFloatError)) {
      const share = (floatError.relativeRmse * 100).toFixed(1);
      const tolerance = `(tolerance ${maxFloatError * 100}%)`;
      failures.push(`the int8 output's RMSE against the float model is ${share}% of the float output's RMS ${tolerance}`);
    }
    return {
      model: opts.modelPath,
      inputs: { calibration: floatInputs.length, random: opts.randomInputs },
      agreement,
      runtimeRounded,
      perOp,
      endToEnd,
      ...(floatError ? { floatError } : { floatSkipped: `no ${path.basename(floatModelPathOf(opts))} beside the model` }),
      passed: failures.length === 0,
      failures,
      tolerance: { maxLsb: opts.maxLsb, minIdenticalShare: opts.minIdenticalShare, maxFloatError },
    };
  } finally {
    for (const r of runners) r.dispose();
  }
}

const FLOAT_MODEL_FIX =
  'this is the float reference for the int8-vs-float error, not the model under test: ' +
  're-emit to rewrite it, delete it to skip the comparison, or pass --float-model';

function floatModelPathOf(opts: VerifyOptions): string {
  return opts.floatModelPath ?? path.join(path.dirname(opts.modelPath), 'model_float.tflite');
}

/** Checks the numbers a user typed, so that a check that checks nothing cannot pass. Returns the float tolerance. */
function checkOptions(opts: VerifyOptions): number {
  const r = opts.randomInputs;
  if (!(Number.isSafeInteger(r) && r >= 0 && r <= MAX_RANDOM_INPUTS)) {
    fail('BAD_ARGUMENT', `--random ${r}: the number of random inputs must be a whole number from 0 to ${MAX_RANDOM_INPUTS}, e.g. 16`);
  }
  if (!Number.isSafeInteger(opts.seed)) fail('BAD_ARGUMENT', `--seed ${opts.seed}: the seed must be a whole number, e.g. --seed 1`);
  const tolerance = opts.maxFloatError ?? DEFAULT_MAX_FLOAT_ERROR;
  if (!(Number.isFinite(tolerance) && tolerance >= 0)) {
    fail('BAD_ARGUMENT', `--max-float-error ${tolerance}: the tolerance is a relative RMSE, a number ≥ 0 such as 0.25 (25% of RMS)`);
  }
  return tolerance;
}

/**
 * The float model for the int8-vs-float error: --float-model, or
 * model_float.tflite beside the model when it exists. Every error here names
 * that file, never the model under test.
 */
async function readFloatModel(opts: VerifyOptions, int8: Graph): Promise<{ path: string; bytes: Uint8Array; graph: Graph } | undefined> {
  const file = floatModelPathOf(opts);
  // Optional beside the model: absent means no int8-vs-float comparison; present but unreadable (a FIFO, a device) is an error naming it.
  let bytes: Uint8Array;
  try {
    bytes = await readInput(file, { what: 'the float model', fix: FLOAT_MODEL_FIX });
  } catch (e) {
    if (isMissingInput(e) && opts.floatModelPath === undefined) return undefined;
    throw e;
  }
  let graph: Graph;
  try {
    graph = readTflite(bytes, file);
    validateGraph(graph, file);
  } catch (e) {
    if (e instanceof TinyPdmError) throw new TinyPdmError(e.code, `${e.message} (${FLOAT_MODEL_FIX})`, { cause: e });
    throw e;
  }
  const io = (g: Graph, ids: number[]) => ids.map((id) => tensorSize(g.tensors[id]!.shape));
  const [a, b] = [io(graph, graph.inputs), io(int8, int8.inputs)];
  const [c, d] = [io(graph, graph.outputs), io(int8, int8.outputs)];
  const notFloat = graph.tensors.some((t) => t.dtype === 'int8' && t.data === undefined);
  if (a.join() !== b.join() || c.join() !== d.join() || notFloat) {
    const notFloatNote = notFloat ? ', and it is not a float model' : '';
    const list = (x: number[]) => `[${x.join(', ')}]`;
    const sizes = `float model inputs/outputs of ${list(a)}/${list(c)} values, int8 model ${list(b)}/${list(d)}${notFloatNote}`;
    fail('SHAPE_MISMATCH', `${file}: does not match ${opts.modelPath} (${sizes}); ${FLOAT_MODEL_FIX}`);
  }
  return { path: file, bytes, graph };
}

async function readModelFile(p: string): Promise<Uint8Array> {
  return readInput(p, { what: 'the model', fix: 'check the path' });
}

/** The int8 params of the model input: the input itself, or the QUANTIZE op's output for float I/O. */
function quantOfModelInput(g: Graph): { scale: number; zeroPoint: number } | undefined {
  const inputId = g.inputs[0]!;
  const t = g.tensors[inputId]!;
  const q: QuantParams | undefined =
    t.dtype === 'int8'
      ? t.quant
      : g.tensors[g.ops.find((op) => op.kind === 'QUANTIZE' && op.inputs[0] === inputId)?.outputs[0] ?? -1]?.quant;
  return q ? { scale: q.scale[0]!, zeroPoint: q.zeroPoint[0]! } : undefined;
}

/** One LSB of a tensor: 1 for int8; for a DEQUANTIZE output (--io float), its int8 input's scale. */
function lsbOf(g: Graph, id: number): number {
  if (g.tensors[id]!.dtype !== 'float32') return 1;
  const deq = g.ops.find((op) => op.kind === 'DEQUANTIZE' && op.outputs[0] === id);
  return deq ? g.tensors[deq.inputs[0]!]!.quant!.scale[0]! : 1;
}

function dequantizeOutput(g: Graph, data: TensorData): Float32Array {
  const t = g.tensors[g.outputs[0]!]!;
  if (t.dtype === 'float32') return data as Float32Array;
  return dequantize(data as Int8Array, t.quant!);
}

function dequantizeInput(data: TensorData, g: Graph): Float32Array {
  const t = g.tensors[g.inputs[0]!]!;
  if (t.dtype === 'float32') return data as Float32Array;
  return dequantize(data as Int8Array, t.quant!);
}

/** Plain loops: TypedArray.from over a typed array first copies it into a JS list, which a large model cannot afford. */
function dequantize(data: Int8Array, q: QuantParams): Float32Array {
  const out = new Float32Array(data.length);
  const scale = q.scale[0]!;
  const zeroPoint = q.zeroPoint[0]!;
  for (let i = 0; i < data.length; i++) out[i] = scale * (data[i]! - zeroPoint);
  return out;
}

function quantizeInput(x: Float32Array, q: { scale: number; zeroPoint: number }): Int8Array {
  const out = new Int8Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const r = x[i]! / q.scale;
    out[i] = Math.max(-128, Math.min(127, (r < 0 ? -Math.round(-r) : Math.round(r)) + q.zeroPoint));
  }
  return out;
}

function splitSamples(npy: { shape: number[]; data: Float32Array }, perSample: number, file: string): Float32Array[] {
  if (npy.data.length % perSample !== 0) {
    fail(
      'SHAPE_MISMATCH',
      `${file}: ${npy.data.length} values are not a whole number of model inputs of ${perSample} values; save it as [N, ...input shape]`,
    );
  }
  return Array.from({ length: npy.data.length / perSample }, (_, i) => npy.data.subarray(i * perSample, (i + 1) * perSample));
}

/** Uniform random inputs over the whole representable input range, from a seeded generator, one per call (same sequence as all at once). */
function seededInputs(size: number, seed: number, q: { scale: number; zeroPoint: number }): () => Float32Array {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
  return () => {
    const x = new Float32Array(size);
    for (let i = 0; i < size; i++) x[i] = q.scale * (Math.floor(next() * 256) - 128 - q.zeroPoint);
    return x;
  };
}
