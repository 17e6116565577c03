import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fail } from '../util/index.js';

/**
 * The real TensorFlow Lite runtime (C++ interpreter compiled to wasm, shipped
 * by @tensorflow/tfjs-tflite), loaded from its wasm/tflite_web_api_cc.js factory with the .wasm bytes passed as wasmBinary. It is the
 * independent check of what we write: if it loads and runs our flatbuffer
 * and agrees with the reference interpreter, the file is right.
 *
 * It runs with the XNNPACK delegate, so int8 results may differ from TFLM's
 * reference kernels by 1 LSB.
 */

export type TfliteDType = 'int8' | 'uint8' | 'bool' | 'int16' | 'int32' | 'uint32' | 'float32' | 'float64';
export type TfliteTypedArray = Int8Array | Uint8Array | Int16Array | Int32Array | Uint32Array | Float32Array | Float64Array;

export interface TfliteTensorInfo {
  name: string;
  dtype: TfliteDType;
  shape: number[];
}

export interface TfliteRunner {
  readonly inputs: readonly TfliteTensorInfo[];
  readonly outputs: readonly TfliteTensorInfo[];
  /** One array per model input, in order, each with exactly the input's element count. Returns copies of the outputs. */
  run(inputs: ArrayLike<number>[]): TfliteTypedArray[];
  /** Frees the interpreter and the model copy in wasm memory. Idempotent. */
  dispose(): void;
}

// The parts of the Emscripten/embind module we use.
interface EmbindObject {
  delete(): void;
}
interface WasmTensor extends EmbindObject {
  name: string;
  dataType: TfliteDType;
  shape: string;
  data(): TfliteTypedArray;
}
interface WasmVector<T> extends EmbindObject {
  size(): number;
  get(i: number): T;
}
interface WasmRunner extends EmbindObject {
  GetInputs(): WasmVector<WasmTensor>;
  GetOutputs(): WasmVector<WasmTensor>;
  Infer(): boolean;
}
interface WasmStatusOr extends EmbindObject {
  ok(): boolean;
  errorMessage(): string;
  value(): WasmRunner;
}
interface TfliteModule {
  HEAPU8: Uint8Array;
  _malloc(n: number): number;
  _free(p: number): void;
  TFLiteWebModelRunner: {
    CreateFromBufferAndOptions(
      ptr: number,
      len: number,
      opts: { numThreads: number; enableProfiling: boolean; maxProfilingBufferEntries: number },
    ): WasmStatusOr;
  };
}

let modulePromise: Promise<TfliteModule> | undefined;

/**
 * What the runtime printed since the last `takeRuntimeLog()`. The wasm
 * module's C++ logs through Emscripten's print/printErr ("INFO: Created
 * TensorFlow Lite XNNPACK delegate", "ERROR: ... conv.cc:367 ..."): they are
 * captured here instead of reaching the terminal, which would break the CLI's
 * one-line error format, and the ERROR lines go into the refusal's message.
 */
let runtimeLog: string[] = [];
const MAX_LOG_LINES = 64;

function logLine(line: string): void {
  if (runtimeLog.length < MAX_LOG_LINES) runtimeLog.push(line);
}

function takeRuntimeLog(): string[] {
  const lines = runtimeLog;
  runtimeLog = [];
  return lines;
}

/** The runtime's ERROR lines, joined for a one-line message (at most 3, each cut at 200 characters). */
function runtimeErrors(lines: readonly string[]): string {
  const errors = lines
    .map((l) => l.trim())
    .filter((l) => /^ERROR:/.test(l) && !/Failed to apply the default TensorFlow Lite delegate/.test(l))
    .map((l) => l.replace(/^ERROR:\s*/, '').slice(0, 200));
  return errors.length > 0 ? errors.slice(0, 3).join('; ') : 'no reason given';
}

/** The largest heap the runtime's wasm build can grow to (its getHeapMax()): what all its models, tensors and packed weights share. */
export const TFLITE_WASM_HEAP_MAX = 2 * 1024 ** 3;

/** The wasm module, instantiated once per process (it takes ~100 ms and a few MB). */
function loadModule(): Promise<TfliteModule> {
  if (!modulePromise) {
    modulePromise = (async () => {
      const require = createRequire(import.meta.url);
      // The plain (non-SIMD, non-threaded) build runs in any Node without worker setup.
      const jsPath = require.resolve('@tensorflow/tfjs-tflite/wasm/tflite_web_api_cc.js');
      type Factory = (opts: { wasmBinary: Uint8Array; print: (s: string) => void; printErr: (s: string) => void }) => Promise<TfliteModule>;
      const factory = require(jsPath) as Factory;
      // Node's fetch cannot load a file path, so hand over the bytes.
      return factory({ wasmBinary: readFileSync(jsPath.replace(/\.js$/, '.wasm')), print: logLine, printErr: logLine });
    })();
    modulePromise.catch(() => (modulePromise = undefined));
  }
  return modulePromise;
}

/**
 * Calls into the wasm module. An Emscripten abort (e.g. out of memory) leaves
 * the module unusable, so it is dropped and the next runner gets a fresh one;
 * the abort becomes a user error naming the model, not a crash.
 */
function inRuntime<T>(name: string, what: string, call: () => T): T {
  try {
    return call();
  } catch (e) {
    if (!(e instanceof WebAssembly.RuntimeError)) throw e;
    modulePromise = undefined;
    const log = takeRuntimeLog();
    return fail(
      'VERIFY_FAILED',
      `${name}: the TensorFlow Lite runtime aborted while ${what} (${e.message.split('.')[0]}; ${runtimeErrors(log)}); ` +
        `the model is malformed or needs more than the runtime's ${TFLITE_WASM_HEAP_MAX / 1024 ** 3} GiB wasm heap`,
      e,
    );
  }
}

function tensorInfos(vector: WasmVector<WasmTensor>): { info: TfliteTensorInfo[]; tensors: WasmTensor[] } {
  const tensors = Array.from({ length: vector.size() }, (_, i) => vector.get(i));
  vector.delete();
  const info = tensors.map((t) => ({
    name: t.name,
    dtype: t.dataType,
    shape: t.shape === '' ? [] : t.shape.split(',').map(Number),
  }));
  return { info, tensors };
}

/**
 * Loads `modelBytes` into the real runtime (which prepares every op, so a
 * model the runtime refuses fails here). `name` names the model in errors,
 * e.g. its file; `fix` is what a refusal tells the user to do.
 */
export async function createTfliteRunner(
  modelBytes: Uint8Array,
  name = 'the model',
  fix = 're-export it with the TFLite converter or tinypdm emit',
): Promise<TfliteRunner> {
  const M = await loadModule();
  const heap = `the TensorFlow Lite runtime's ${TFLITE_WASM_HEAP_MAX / 1024 ** 3} GiB wasm heap`;
  if (modelBytes.length >= TFLITE_WASM_HEAP_MAX) fail('RESOURCE_LIMIT', `${name}: ${modelBytes.length} bytes do not fit ${heap}`);
  const ptr = M._malloc(modelBytes.length);
  if (!ptr) fail('RESOURCE_LIMIT', `${name}: cannot allocate ${modelBytes.length} bytes for the model in ${heap}`);
  M.HEAPU8.set(modelBytes, ptr);
  takeRuntimeLog();
  const status = inRuntime(name, 'loading the model', () =>
    M.TFLiteWebModelRunner.CreateFromBufferAndOptions(ptr, modelBytes.length, {
      numThreads: 1,
      enableProfiling: false,
      maxProfilingBufferEntries: 1024,
    }),
  );
  const log = takeRuntimeLog();
  if (!status.ok()) {
    const message = status.errorMessage();
    status.delete();
    M._free(ptr);
    const reason = `${message.replace(/\s+/g, ' ').trim()}: ${runtimeErrors(log)}`;
    fail('VERIFY_FAILED', `${name}: the TensorFlow Lite runtime refused the model (${reason}); ${fix}`);
  }
  const runner = status.value();
  status.delete();
  // The runner may keep pointing into the model bytes, so they live until dispose().
  const inputs = tensorInfos(runner.GetInputs());
  const outputs = tensorInfos(runner.GetOutputs());
  let disposed = false;

  return {
    inputs: inputs.info,
    outputs: outputs.info,
    run(values) {
      if (disposed) fail('BAD_ARGUMENT', 'this TFLite runner has been disposed');
      if (values.length !== inputs.tensors.length) {
        fail('SHAPE_MISMATCH', `${name}: the model takes ${inputs.tensors.length} input(s) but ${values.length} were given`);
      }
      inputs.tensors.forEach((t, i) => {
        // Re-fetch the view each run: wasm memory growth detaches old views.
        const view = t.data();
        const v = values[i]!;
        if (v.length !== view.length) {
          const what = `model input ${i} '${t.name}' [${inputs.info[i]!.shape.join(', ')}]`;
          fail('SHAPE_MISMATCH', `${name}: ${what} takes ${view.length} values but ${v.length} were given`);
        }
        view.set(v);
      });
      takeRuntimeLog();
      if (!inRuntime(name, 'running the model', () => runner.Infer())) {
        fail('VERIFY_FAILED', `${name}: the TensorFlow Lite runtime failed to run the model (${runtimeErrors(takeRuntimeLog())})`);
      }
      return outputs.tensors.map((t) => t.data().slice());
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const t of [...inputs.tensors, ...outputs.tensors]) t.delete();
      runner.delete();
      M._free(ptr);
    },
  };
}
