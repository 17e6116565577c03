import { isConstant, tensorBytes, tensorSize, type Graph } from '../ir/index.js';
import { OPS } from '../ops/index.js';
import { activationBytes, constantBytes, HEAP_GROWTH, runnerBytes, type RunMemory } from '../tflite/index.js';

/**
 * What `verify` holds at once, running a model in the real TFLite runtime and
 * in the reference interpreter, estimated from its shapes before anything
 * runs (checked with checkRunMemory from src/tflite). The terms are upper
 * bounds read off the code that runs:
 *  - per input, the JavaScript side holds the float input and its int8 copy,
 *    every activation of the interpreter's run (captureAll), the runtime's
 *    output copies (at most the activations again), one kernel's temporaries
 *    (each op descriptor's kernelScratch) and the float comparison's arrays;
 *    counted twice, because the previous input's arrays may not be collected yet;
 *  - each TFLite runner (wasm, runnerBytes): verify creates one for the whole
 *    model, one per op, and one for the float model.
 * Measured (Node 20, tfjs-tflite 0.0.1-alpha.10, `verify --random 2`, peak RSS
 * minus the ~130 MB of the CLI verifying a tiny model): a RELU over 2 × 16 MiB
 * int8 tensors 236 MB (estimate 442 MB), over 2 × 64 MiB 960 MB (estimate
 * 1766 MB); a 3×3 conv on 128×128×128 int8 65 MB (estimate 123 MB). Over
 * 2 × 256 MiB the estimate exceeds the wasm heap and verify refuses at 104 MB.
 */

/** The largest temporaries one reference kernel allocates, over all ops. */
function kernelScratchBytes(g: Graph): number {
  let worst = 0;
  for (const op of g.ops) {
    const f = OPS[op.kind].kernelScratch;
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
