import { isConstant, tensorBytes, type Graph } from '../ir/index.js';
import { checkMemory, fail, formatBytes } from '../util/index.js';
import { TFLITE_WASM_HEAP_MAX } from './runtime.js';

/**
 * What loading a model into the real TFLite runtime costs, estimated from its
 * shapes before anything runs, and the refusal when it cannot fit. Tensors
 * alone undercount: a 424-byte .tflite declaring 512 MiB of tensors needs
 * several times that (the runtime's arena, XNNPACK's packed weights), and V8
 * died with "heap out of memory" instead of a clean error. `emit` checks the
 * model it is about to write with this, `verify` the models it runs (with the
 * reference interpreter's share, src/verify/memory.ts).
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

/** Emscripten grows the heap in steps of up to 20 % more than asked. */
export const HEAP_GROWTH = 1.2;

/**
 * One TFLite runner (wasm): a copy of its model, an arena of at most its
 * activations, XNNPACK's repacked weights (at most twice the weights) and
 * workspace (at most its activations again), with heap-growth slack.
 */
export function runnerBytes(g: Graph, fileBytes: number): number {
  return HEAP_GROWTH * (fileBytes + 2 * activationBytes(g) + 2 * constantBytes(g));
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
