import path from 'node:path';
import { fail } from '../util/index.js';
import { tensorSize, type Graph, type QuantParams, type TensorData } from '../ir/index.js';
import { runGraph } from '../runtime/index.js';
import { createTfliteRunner } from '../tflite/index.js';
import { readTflite, writeTflite } from '../compiler/index.js';
import { OPS } from '../ops/index.js';
import { readInput, readNpy, undefinedIfMissing } from '../util/index.js';
import { accumulateLsb, emptyAgreement, floatError, mergeAgreement, type FloatError, type LsbAgreement } from './compare.js';
import { isolateOp } from './isolate-op.js';

/**
 * Runs a quantised model in the real TFLite runtime and in our reference
 * interpreter on the same inputs and measures how far they disagree.
 * The tolerance is 1 LSB: the runtime uses XNNPACK, which may round some
 * int8 products differently from TFLM's reference kernels (the XNNPACK delegate of the tfjs-tflite runtime).
 */
export interface VerifyOptions {
  modelPath: string;
  /** Float inputs [N, ...inputShape] as .npy; quantised with the model's input params. */
  calibPath?: string;
  randomInputs: number;
  seed: number;
  /** Float model to measure int8-vs-float error; defaults to model_float.tflite beside the model. */
  floatModelPath?: string;
  maxLsb: number;
  minIdenticalShare: number;
}

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
  floatError?: FloatError;
  passed: boolean;
  tolerance: { maxLsb: number; minIdenticalShare: number };
}

export async function verifyModel(opts: VerifyOptions): Promise<VerifyReport> {
  const bytes = await readModelFile(opts.modelPath);
  const graph = readTflite(bytes, opts.modelPath);
  if (graph.inputs.length !== 1) fail('UNSUPPORTED_FORMAT', `${opts.modelPath}: verify supports single-input models; this one has ${graph.inputs.length}`);
  const input = graph.tensors[graph.inputs[0]!]!;
  const modelInputQuant = quantOfModelInput(graph);
  if (!modelInputQuant) fail('UNSUPPORTED_FORMAT', `${opts.modelPath}: the model is not quantised; verify checks int8 models against the TFLite runtime (run tinypdm emit --calib first)`);

  const floatInputs: Float32Array[] = opts.calibPath ? splitSamples(await readNpy(opts.calibPath), tensorSize(input.shape), opts.calibPath) : [];
  const randomFloat = seededInputs(opts.randomInputs, tensorSize(input.shape), opts.seed, modelInputQuant);
  const all = [...floatInputs, ...randomFloat];
  const toModelInput = (x: Float32Array): TensorData => (input.dtype === 'float32' ? x : quantizeInput(x, modelInputQuant));

  const runner = await createTfliteRunner(bytes);
  const opRunners = await Promise.all(
    graph.ops.map(async (op) => {
      const isolated = isolateOp(graph, op);
      return { op, inputIds: isolated.inputIds, runner: await createTfliteRunner(writeTflite(isolated.graph, { description: 'tinypdm verify' })) };
    }),
  );
  const floatPath = opts.floatModelPath ?? path.join(path.dirname(opts.modelPath), 'model_float.tflite');
  // Optional: absent means no int8-vs-float comparison; present but unreadable (a FIFO, a device) is an error naming it.
  const floatBytes = await readInput(floatPath, { what: 'the float model', fix: 'remove it or pass the model_float.tflite emit wrote' })
    .catch(undefinedIfMissing);
  const floatRunner = floatBytes ? await createTfliteRunner(floatBytes) : undefined;
  try {
    let endToEnd = emptyAgreement();
    const perOp: OpAgreement[] = opRunners.map(({ op }, index) => {
      const runtimeRounding = OPS[op.kind].runtimeRounding;
      return { index, kind: op.kind, name: op.name, agreement: emptyAgreement(), ...(runtimeRounding ? { runtimeRounding } : {}) };
    });
    const pairs: Array<{ int8: Float32Array; float: ArrayLike<number> }> = [];
    for (const x of all) {
      const modelInput = toModelInput(x);
      const { outputs: ours, tensors } = runGraph(graph, [modelInput], { captureAll: true });
      const theirs = runner.run([modelInput as ArrayLike<number>]);
      graph.outputs.forEach((id, k) => {
        endToEnd = accumulateLsb(endToEnd, ours[k] as ArrayLike<number>, theirs[k]!, lsbOf(graph, id));
      });
      opRunners.forEach(({ op, inputIds, runner: opRunner }, k) => {
        const got = opRunner.run(inputIds.map((id) => tensors!.get(id) as ArrayLike<number>));
        op.outputs.forEach((id, j) => {
          perOp[k]!.agreement = accumulateLsb(perOp[k]!.agreement, tensors!.get(id) as ArrayLike<number>, got[j]!, lsbOf(graph, id));
        });
      });
      if (floatRunner) {
        const dequantized = dequantizeOutput(graph, ours[0]!);
        pairs.push({ int8: dequantized, float: floatRunner.run([dequantizeInput(modelInput, graph)])[0]! });
      }
    }
    const merged = (ops: OpAgreement[]) => ops.reduce((acc, o) => mergeAgreement(acc, o.agreement), emptyAgreement());
    const agreement = merged(perOp.filter((o) => !o.runtimeRounding));
    const runtimeRounded = merged(perOp.filter((o) => o.runtimeRounding));
    const passed =
      agreement.maxLsb <= opts.maxLsb && agreement.identicalShare >= opts.minIdenticalShare && runtimeRounded.maxLsb <= opts.maxLsb;
    return {
      model: opts.modelPath,
      inputs: { calibration: floatInputs.length, random: randomFloat.length },
      agreement,
      runtimeRounded,
      perOp,
      endToEnd,
      ...(floatRunner ? { floatError: floatError(pairs) } : {}),
      passed,
      tolerance: { maxLsb: opts.maxLsb, minIdenticalShare: opts.minIdenticalShare },
    };
  } finally {
    runner.dispose();
    for (const o of opRunners) o.runner.dispose();
    floatRunner?.dispose();
  }
}

async function readModelFile(p: string): Promise<Uint8Array> {
  return readInput(p, { what: 'the model', fix: 'check the path' });
}

/** The int8 params of the model input: the input itself, or the QUANTIZE op's output for float I/O. */
function quantOfModelInput(g: Graph): { scale: number; zeroPoint: number } | undefined {
  const inputId = g.inputs[0]!;
  const t = g.tensors[inputId]!;
  const q: QuantParams | undefined = t.dtype === 'int8' ? t.quant : g.tensors[g.ops.find((op) => op.kind === 'QUANTIZE' && op.inputs[0] === inputId)?.outputs[0] ?? -1]?.quant;
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
  const { scale, zeroPoint } = t.quant!;
  return Float32Array.from(data as Int8Array, (q) => scale[0]! * (q - zeroPoint[0]!));
}

function dequantizeInput(data: TensorData, g: Graph): Float32Array {
  const t = g.tensors[g.inputs[0]!]!;
  if (t.dtype === 'float32') return data as Float32Array;
  const { scale, zeroPoint } = t.quant!;
  return Float32Array.from(data as Int8Array, (q) => scale[0]! * (q - zeroPoint[0]!));
}

function quantizeInput(x: Float32Array, q: { scale: number; zeroPoint: number }): Int8Array {
  return Int8Array.from(x, (v) => {
    const r = v / q.scale;
    return Math.max(-128, Math.min(127, (r < 0 ? -Math.round(-r) : Math.round(r)) + q.zeroPoint));
  });
}

function splitSamples(npy: { shape: number[]; data: Float32Array }, perSample: number, file: string): Float32Array[] {
  if (npy.data.length % perSample !== 0) {
    fail('SHAPE_MISMATCH', `${file}: ${npy.data.length} values are not a whole number of model inputs of ${perSample} values; save it as [N, ...input shape]`);
  }
  return Array.from({ length: npy.data.length / perSample }, (_, i) => npy.data.subarray(i * perSample, (i + 1) * perSample));
}

/** Uniform random inputs over the whole representable input range, from a seeded generator. */
function seededInputs(n: number, size: number, seed: number, q: { scale: number; zeroPoint: number }): Float32Array[] {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
  return Array.from({ length: n }, () => Float32Array.from({ length: size }, () => q.scale * (Math.floor(next() * 256) - 128 - q.zeroPoint)));
}
