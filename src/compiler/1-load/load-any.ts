import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fail } from '../../util/index.js';
import type { Graph } from '../../ir/index.js';
import { loadKerasH5, loadKerasV3, loadModel as loadTfjsModel } from './loaders/index.js';
import { readTflite } from './tflite/reader.js';
import { failRead, readInput, readInputUpTo } from '../../util/index.js';
import { validateGraph } from './validate/index.js';
import { withZeroBiases } from './zero-biases.js';

/** Every model format tinypdm reads, told apart by content, not by extension. */
export type ModelFormat = 'tfjs-layers' | 'tflite' | 'keras-h5' | 'keras-v3' | 'saved-model';

export interface SourceModel {
  graph: Graph;
  format: ModelFormat;
  /** True when the file is already int8 (an int8 .tflite): it passes through unchanged. */
  quantized: boolean;
  kerasVersion?: string;
  layerCount: number;
  source: string;
}

const HDF5_MAGIC = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const FIX = 'pass a model.json, .h5, .keras or .tflite';

export async function detectFormat(p: string): Promise<{ format: ModelFormat; file: string }> {
  const info = await stat(p).catch((e: unknown) => failRead(e, p, { fix: FIX }));
  if (info.isDirectory()) {
    if (await exists(path.join(p, 'saved_model.pb'))) return { format: 'saved-model', file: p };
    if (await exists(path.join(p, 'model.json'))) return { format: 'tfjs-layers', file: path.join(p, 'model.json') };
    fail('NOT_A_MODEL', `${p}: the directory holds no model.json (TF.js) or saved_model.pb; pass the model file itself`);
  }
  const head = await readInputUpTo(p, 16, { what: 'the model file', fix: FIX });
  if (head.length >= 8 && String.fromCharCode(...head.subarray(4, 8)) === 'TFL3') return { format: 'tflite', file: p };
  if (HDF5_MAGIC.every((b, i) => head[i] === b)) return { format: 'keras-h5', file: p };
  if (ZIP_MAGIC.every((b, i) => head[i] === b)) return { format: 'keras-v3', file: p };
  if (head[0] === 0x7b /* { */ || /^\s*\{/.test(String.fromCharCode(...head))) return { format: 'tfjs-layers', file: p };
  return fail('NOT_A_MODEL', `${p}: not a model tinypdm can read (expected a TF.js model.json, Keras .h5/.keras, or a .tflite flatbuffer)`);
}

export async function loadAnyModel(p: string): Promise<SourceModel> {
  const { format, file } = await detectFormat(p);
  switch (format) {
    case 'tfjs-layers':
    case 'keras-h5':
    case 'keras-v3': {
      // Layers models (TF.js or Keras) are float; their loaders lower to the IR the same way.
      const load = format === 'tfjs-layers' ? loadTfjsModel : format === 'keras-h5' ? loadKerasH5 : loadKerasV3;
      const m = await load(file);
      return {
        graph: m.graph,
        format,
        quantized: false,
        layerCount: m.layerCount,
        source: file,
        ...(m.kerasVersion ? { kerasVersion: m.kerasVersion } : {}),
      };
    }
    case 'tflite': {
      const read = readTflite(await readInput(file, { what: 'the .tflite file', fix: FIX }), file);
      const quantized = read.tensors.some((t) => t.dtype === 'int8' && t.data === undefined);
      if (!quantized && read.tensors.some((t) => t.dtype === 'int8')) {
        fail(
          'UNSUPPORTED_FORMAT',
          `${file}: a hybrid (dynamic-range) model with int8 weights and float activations; TFLM cannot run it. Convert with full-integer quantisation, or give tinypdm the float model and --calib`,
        );
      }
      // An int8 model passes through unchanged, so it must already be what the runtime accepts.
      const graph = quantized ? read : withZeroBiases(read);
      validateGraph(graph, file);
      return { graph, format, quantized, layerCount: graph.ops.length, source: file };
    }
    case 'saved-model':
      return fail(
        'UNSUPPORTED_FORMAT',
        `${p}: a TensorFlow SavedModel; convert it first with: python3 -c "import tensorflow as tf; open('model.tflite','wb').write(tf.lite.TFLiteConverter.from_saved_model('${path.basename(p)}').convert())"`,
      );
  }
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}
