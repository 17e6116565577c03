import { fail } from '../errors.js';
import { isConstant, tensorBytes, tensorSize, type Graph, type OpKind } from '../model/ir.js';
import { TFLITE_WASM_HEAP_MAX } from '../tflite/index.js';
import { checkMemory, formatBytes } from '../util/limits.js';

/**
 * What running a model in the real TFLite runtime and in the reference
 * interpreter holds at once, estimated from its shapes before anything runs.
 * Tensors alone undercount: a 424-byte .tflite declaring 512 MiB of tensors
 * needs several times that (the interpreter's copies, each runtime's arena),
 * and V8 died with "heap out of memory" instead of a clean error.
 *
 * The terms are upper bounds read off the code that runs:
 *  - per input, the JavaScript side holds the float input and its int8 copy,
 *    every activation of the interpreter's run (captureAll), the runtime's
 *    output copies (at most the activations again), one kernel's temporaries
 *    (SCRATCH_PER_ELEMENT) and the float comparison's arrays; counted twice,
 *    because the previous input's arrays may not be collected yet;
 *  - each TFLite runner (wasm) holds a copy of its model, an arena of at most
 *    its activations, XNNPACK's repacked weights (at most twice the weights)
 *    and workspace (at most its activations again); verify creates one runner
 *    for the whole model, one per op, and one for the float model. Emscripten
 *    grows the heap in steps of up to 20 % more than asked.
 * Measured (Node 20, tfjs-tflite 0.0.1-alpha.10, `verify --random 2`, peak RSS
 * minus the ~130 MB of the CLI verifying a tiny model): a RELU over 2 × 16 MiB
 * int8 tensors 236 MB (estimate 442 MB), over 2 × 64 MiB 960 MB (estimate
 * 1766 MB); a 3×3 conv on 128×128×128 int8 65 MB (estimate 123 MB). Over
 * 2 × 256 MiB the estimate exceeds the wasm heap and verify refuses at 104 MB.
 */
export interface RunMemory {
  /** JavaScript side: the interpreter, the inputs, the file. */
  js: number;
  /** The TFLite runtime's wasm heap: models, arenas, packed weights. */
  wasm: number;
}

export function activationBytes(g: Graph): number {
  return g.tensors.reduce((sum, t) => sum + (isConstant(t) ? 0 : tensorBytes(t)), 0);
}

export function constantBytes(g: Graph): number {
  return g.tensors.reduce((sum, t) => sum + (isConstant(t) ? tensorBytes(t) : 0), 0);
}

/** One TFLite runner: the model copy, its arena, XNNPACK's packed weights and workspace, with heap-growth slack. */
export function runnerBytes(g: Graph, fileBytes: number): number {
  return HEAP_GROWTH * (fileBytes + 2 * activationBytes(g) + 2 * constantBytes(g));
}

const HEAP_GROWTH = 1.2;

/**
 * Bytes a reference kernel allocates besides its output, per element of its
 * data input(s), output and weights (src/runtime/ops): the convolutions keep
 * float64 copies of the centred input, the accumulators and (CONV_2D) the
 * transposed filter; ADD two int32 index tables over the output; MEAN an int32
 * table over the input and float64 sums; SOFTMAX an int32 row. The rest copy
 * or map element by element into their output.
 */
const SCRATCH_PER_ELEMENT: Record<OpKind, { input: number; output: number; weights: number }> = {
  CONV_2D: { input: 8, output: 8, weights: 8 },
  DEPTHWISE_CONV_2D: { input: 8, output: 8, weights: 0 },
  TRANSPOSE_CONV: { input: 8, output: 8, weights: 0 },
  FULLY_CONNECTED: { input: 0, output: 8, weights: 0 },
  MAX_POOL_2D: { input: 0, output: 0, weights: 0 },
  AVERAGE_POOL_2D: { input: 0, output: 0, weights: 0 },
  MEAN: { input: 4, output: 8, weights: 0 },
  RESIZE_NEAREST_NEIGHBOR: { input: 0, output: 0, weights: 0 },
  PAD: { input: 0, output: 0, weights: 0 },
  ADD: { input: 0, output: 8, weights: 0 },
  CONCATENATION: { input: 0, output: 0, weights: 0 },
  RESHAPE: { input: 0, output: 0, weights: 0 },
  SOFTMAX: { input: 4, output: 0, weights: 0 },
  LOGISTIC: { input: 0, output: 0, weights: 0 },
  RELU: { input: 0, output: 0, weights: 0 },
  RELU6: { input: 0, output: 0, weights: 0 },
  QUANTIZE: { input: 0, output: 0, weights: 0 },
  DEQUANTIZE: { input: 0, output: 0, weights: 0 },
};

/** The largest temporaries one reference kernel allocates, over all ops. */
function kernelScratchBytes(g: Graph): number {
  let worst = 0;
  for (const op of g.ops) {
    const f = SCRATCH_PER_ELEMENT[op.kind];
    let bytes = 0;
    for (const id of op.inputs) {
      if (id < 0) continue;
      const t = g.tensors[id]!;
      bytes += tensorSize(t.shape) * (isConstant(t) ? f.weights : f.input);
    }
    for (const id of op.outputs) bytes += tensorSize(g.tensors[id]!.shape) * f.output;
    worst = Math.max(worst, bytes);
  }
  return worst;
}

/** Each op alone as a one-op model (verify's per-op check): its file (constants plus ~4 KB of tables), arena and packed weights. */
function perOpRunnerBytes(g: Graph): number {
  let sum = 0;
  for (const op of g.ops) {
    let activations = 0;
    let constants = 0;
    for (const id of new Set([...op.inputs, ...op.outputs])) {
      if (id < 0) continue;
      const t = g.tensors[id]!;
      if (isConstant(t)) constants += tensorBytes(t);
      else activations += tensorBytes(t);
    }
    sum += HEAP_GROWTH * (constants + 4096 + 2 * activations + 2 * constants);
  }
  return sum;
}

function elementsOf(g: Graph, ids: readonly number[]): number {
  return ids.reduce((sum, id) => sum + tensorSize(g.tensors[id]!.shape), 0);
}

/**
 * `verify`'s needs: the int8 model in the runtime (whole and op by op) and in
 * the interpreter, one input at a time, the calibration samples, and the float
 * model's runner.
 */
export function verifyMemory(g: Graph, fileBytes: number, samplesBytes: number, float?: { graph: Graph; fileBytes: number }): RunMemory {
  const inputs = elementsOf(g, g.inputs);
  const outputs = elementsOf(g, g.outputs);
  const perInput = 5 * inputs + 2 * activationBytes(g) + kernelScratchBytes(g) + (float ? 4 * inputs + 8 * outputs : 0);
  const js = fileBytes + constantBytes(g) + samplesBytes + 2 * perInput + (float ? float.fileBytes + constantBytes(float.graph) : 0);
  const wasm = runnerBytes(g, fileBytes) + perOpRunnerBytes(g) + (float ? runnerBytes(float.graph, float.fileBytes) : 0);
  return { js, wasm };
}

/** Refuses before anything runs: the wasm heap has a hard maximum, and both sides count against TINYPDM_MAX_BYTES. */
export function checkRunMemory(need: RunMemory, what: string): void {
  // The runtime's code, stack and static data take part of the heap (its initial 32 MiB).
  const wasmRoom = TFLITE_WASM_HEAP_MAX - 32 * 1024 ** 2;
  if (!(need.wasm <= wasmRoom)) {
    fail(
      'RESOURCE_LIMIT',
      `${what} needs about ${formatBytes(need.wasm)} in the TensorFlow Lite runtime's wasm heap, ` +
        `over its fixed ${formatBytes(TFLITE_WASM_HEAP_MAX)} maximum; ` +
        'a model this large cannot be checked against the runtime (and is far beyond a microcontroller): use a smaller model',
    );
  }
  const parts = `${formatBytes(need.js)} for the reference interpreter, ${formatBytes(need.wasm)} for the TFLite runtime`;
  checkMemory(need.js + need.wasm, `${what} (${parts})`);
}
