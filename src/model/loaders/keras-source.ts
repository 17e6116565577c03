import { fail } from '../../errors.js';
import type { Graph } from '../ir.js';
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
export function lowerKerasSource(topology: unknown, weights: NamedWeight[], format: KerasModelSource['format'], kerasVersion?: string): KerasModelSource {
  const unwrapped = unwrapTopology(topology);
  const flat = flattenModel(unwrapped.modelConfig);
  const graph = lowerKerasModel(flat, new WeightStore(weights));
  const version = kerasVersion ?? unwrapped.kerasVersion;
  return {
    graph,
    format,
    ...(version !== undefined ? { kerasVersion: version } : {}),
    layerCount: flat.layers.length,
    inputShape: [...flat.inputs[0]!.shape],
  };
}
