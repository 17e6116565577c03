import type { Graph } from '../../ir/index.js';
import { checkRunMemory, createTfliteRunner, runnerBytes } from '../../tflite/index.js';
import { assertInternal } from '../../util/index.js';
import { readTflite, validateGraph } from '../1-load/index.js';

/**
 * The checks `verify` relies on, run by `emit` on the flatbuffer it is about
 * to write, so a model the runtime would refuse is never written:
 *  1. tinypdm's reader and graph validator accept the bytes (the graph was
 *     validated before writing, so a refusal here is a writer bug: exit 2);
 *  2. the real TFLite runtime loads it and prepares every op (each kernel's
 *     Prepare runs its own checks, e.g. kernel_util.cc's bias-scale check), with
 *     its memory estimated and capped first.
 * A refusal by the runtime is a user error naming `name` and the runtime's reason.
 */
export async function checkRuntimeAccepts(bytes: Uint8Array, name: string): Promise<void> {
  let graph: Graph;
  try {
    graph = readTflite(bytes, name);
    validateGraph(graph, name);
  } catch (e) {
    assertInternal(false, `tinypdm wrote ${name} but its own reader or validator refuses it: ${(e as Error).message}`);
  }
  checkRunMemory({ js: 0, wasm: runnerBytes(graph!, bytes.length) }, `checking ${name} in the TFLite runtime`);
  const fix = 'nothing was written. tinypdm cannot compile this model into one the runtime accepts; please report it with the model';
  const runner = await createTfliteRunner(bytes, name, fix);
  runner.dispose();
}
