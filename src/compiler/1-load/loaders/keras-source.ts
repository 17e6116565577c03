import { fail, TinyPdmError } from '../../../util/index.js';
import type { Graph } from '../../../ir/index.js';
import { flattenModel, unwrapTopology } from '../keras/flatten.js';
import { lowerKerasModel } from '../keras/lower.js';
import { WeightStore, type NamedWeight } from '../keras/weights.js';

/** What the Keras-file loaders (.h5, .keras) return: the lowered float IR and what the file said about itself. */
export interface KerasModelSource {
  /** Float32 IR, batch 1. */
  graph: Graph;
  format: 'keras-h5' | 'keras-v3';
  kerasVersion?: string;
  /** Leaf layers after flattening nested models, InputLayers excluded. */
  layerCount: number;
  /** The first input's Keras shape without the batch dimension. */
  inputShape: number[];
}

export function parseConfigJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    return fail('CORRUPT_FILE', `${where} is not valid JSON (${(e as Error).message}); save the model again`, e);
  }
}

/** Keras JSON + named weights → IR, through the same flattening and lowering as TF.js models. */
export function lowerKerasSource(
  file: string,
  topology: unknown,
  weights: NamedWeight[],
  format: KerasModelSource['format'],
  kerasVersion?: string,
): KerasModelSource {
  const { unwrapped, flat, graph } = inFile(file, () => {
    const unwrapped = unwrapTopology(topology);
    const flat = flattenModel(unwrapped.modelConfig);
    return { unwrapped, flat, graph: lowerKerasModel(flat, new WeightStore(weights)) };
  });
  const version = kerasVersion ?? unwrapped.kerasVersion;
  return {
    graph,
    format,
    ...(version !== undefined ? { kerasVersion: version } : {}),
    layerCount: flat.layers.length,
    inputShape: [...flat.inputs[0]!.shape],
  };
}

/**
 * Config and lowering errors name the layer and field but not the file (the
 * same code serves every format); a user with several models needs the file
 * too, so prefix it, keeping the code and the original error as cause.
 */
export function inFile<T>(file: string, run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof TinyPdmError && !e.message.includes(file)) throw new TinyPdmError(e.code, `${file}: ${e.message}`, { cause: e });
    throw e;
  }
}
