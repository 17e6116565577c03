import type { Graph } from '../../../ir/index.js';
import { flattenModel, unwrapTopology } from '../keras/flatten.js';
import { lowerKerasModel } from '../keras/lower.js';
import { WeightStore } from '../keras/weights.js';
import { decodeWeights } from './decode-weights.js';
import { readTfjsFiles, type TfjsFiles } from './tfjs-files.js';
import { inFile } from './keras-source.js';

export interface LoadedModel {
  /** Float32 IR, batch 1. */
  graph: Graph;
  format: 'tfjs-layers';
  /** As the file states it, e.g. 'tfjs-layers 4.22.0' or '2.15.0'. */
  kerasVersion?: string;
  /** Leaf layers after flattening nested models, InputLayers excluded. */
  layerCount: number;
  /** The first input's Keras shape, without the batch dimension, e.g. [64, 48, 1]. */
  inputShape: number[];
}

/**
 * Loads a TF.js Layers model (model.json or its directory) into the IR. The
 * Keras config is parsed by our own code, not by instantiating a TF.js model,
 * so the same lowering serves any file that carries a Keras JSON config.
 */
export async function loadModel(path: string): Promise<LoadedModel> {
  return modelFromTfjsFiles(await readTfjsFiles(path));
}

/** The Keras lowering of already-read TF.js files (see parseTfjsFiles). */
export function modelFromTfjsFiles(files: TfjsFiles): LoadedModel {
  const { kerasVersion, flat, graph } = inFile(files.jsonPath, () => {
    const { modelConfig, kerasVersion } = unwrapTopology(files.modelTopology);
    const flat = flattenModel(modelConfig);
    const graph = lowerKerasModel(flat, new WeightStore(decodeWeights(files.weightData, files.weightSpecs)));
    return { kerasVersion, flat, graph };
  });
  return {
    graph,
    format: 'tfjs-layers',
    ...(kerasVersion !== undefined ? { kerasVersion } : {}),
    layerCount: flat.layers.length,
    inputShape: [...flat.inputs[0]!.shape],
  };
}
