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
    CreateFromBufferAndOptions(ptr: number, len: number, opts: { numThreads: number; enableProfiling: boolean; maxProfilingBufferEntries: number }): WasmStatusOr;
  };
}

let modulePromise: Promise<TfliteModule> | undefined;

/** The wasm module, instantiated once per process (it takes ~100 ms and a few MB). */
function loadModule(): Promise<TfliteModule> {
  if (!modulePromise) {
    modulePromise = (async () => {
      const require = createRequire(import.meta.url);
      // The plain (non-SIMD, non-threaded) build runs in any Node without worker setup.
      const jsPath = require.resolve('@tensorflow/tfjs-tflite/wasm/tflite_web_api_cc.js');
      const factory = require(jsPath) as (opts: { wasmBinary: Uint8Array }) => Promise<TfliteModule>;
      // Node's fetch cannot load a file path, so hand over the bytes.
      return factory({ wasmBinary: readFileSync(jsPath.replace(/\.js$/, '.wasm')) });
    })();
    modulePromise.catch(() => (modulePromise = undefined));
  }
  return modulePromise;
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

export async function createTfliteRunner(modelBytes: Uint8Array): Promise<TfliteRunner> {
  const M = await loadModule();
  const ptr = M._malloc(modelBytes.length);
  if (!ptr) fail('RESOURCE_LIMIT', `cannot allocate ${modelBytes.length} bytes in the TFLite runtime's wasm memory for the model`);
  M.HEAPU8.set(modelBytes, ptr);
  const status = M.TFLiteWebModelRunner.CreateFromBufferAndOptions(ptr, modelBytes.length, {
    numThreads: 1,
    enableProfiling: false,
    maxProfilingBufferEntries: 1024,
  });
  if (!status.ok()) {
    const message = status.errorMessage();
    status.delete();
    M._free(ptr);
    fail('VERIFY_FAILED', `the TensorFlow Lite runtime refused the model: ${message}; check the file with 'tinypdm inspect' or re-export it`);
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
        fail('SHAPE_MISMATCH', `the model takes ${inputs.tensors.length} input(s) but ${values.length} were given`);
      }
      inputs.tensors.forEach((t, i) => {
        // Re-fetch the view each run: wasm memory growth detaches old views.
        const view = t.data();
        const v = values[i]!;
        if (v.length !== view.length) {
          fail('SHAPE_MISMATCH', `model input ${i} '${t.name}' [${inputs.info[i]!.shape.join(', ')}] takes ${view.length} values but ${v.length} were given`);
        }
        view.set(v);
      });
      if (!runner.Infer()) fail('VERIFY_FAILED', 'the TensorFlow Lite runtime failed to run the model (Infer() returned false)');
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
