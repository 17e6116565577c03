import { stat } from 'node:fs/promises';
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { fail, TinyPdmError } from '../../../util/index.js';
import { isObject } from '../keras/config.js';
import { confinedPath, confinedRealPath } from '../../../util/index.js';
import { checkMemory } from '../../../util/index.js';
import { failRead, readInputText, readInputUpTo } from '../../../util/index.js';

/**
 * Reads a TF.js Layers model from disk: model.json plus the weight shards its
 * weightsManifest lists (paths relative to the json, which must stay inside
 * its folder: see confinedPath). Shards are concatenated in manifest order,
 * which is how TF.js lays weights out across shards.
 */
export interface TfjsFiles {
  jsonPath: string;
  modelTopology: unknown;
  weightSpecs: tf.io.WeightsManifestEntry[];
  weightData: ArrayBuffer;
  json: Record<string, unknown>;
}

const NOT_A_MODEL_HINT = 'expected a TF.js Layers model.json with modelTopology and weightsManifest';

/** A directory means its model.json. */
export async function resolveModelJson(p: string): Promise<string> {
  const info = await stat(p).catch((e: unknown) => failRead(e, p, { fix: 'pass a TF.js model.json or its directory' }));
  return info.isDirectory() ? path.join(p, 'model.json') : p;
}

export async function readTfjsFiles(p: string): Promise<TfjsFiles> {
  const jsonPath = await resolveModelJson(p);
  const text = await readInputText(jsonPath, { what: 'the model.json file', fix: 'pass a TF.js model.json or its directory' });
  const folder = path.dirname(jsonPath);
  return parseTfjsFiles(jsonPath, text, async (shard, limit) => {
    // The lexical check ran in parseTfjsFiles; here the file system's: a symlink must not lead out of the folder.
    await confinedRealPath(folder, path.relative(folder, shard), `${jsonPath}: weightsManifest path`, SHARD_FIX);
    return readInputUpTo(shard, limit, { what: 'a weights shard', fix: SHARD_FIX });
  });
}

const SHARD_FIX =
  'keep the weight shards in the folder of the model.json, named by plain relative paths, and re-export the model if they are not';

/**
 * The checks and the shard assembly of readTfjsFiles, over the json's text and
 * a shard reader (the file system, or memory in tests). A shard that cannot be
 * read must reject with a NodeJS.ErrnoException-like error or a TinyPdmError.
 * `limit` is what the shard may hold at most (the rest of its group's bytes
 * plus one), so a shard never costs more memory than the manifest declared,
 * and a size mismatch never tells the size of a file the manifest named.
 */
export async function parseTfjsFiles(
  jsonPath: string,
  text: string,
  readShard: (absPath: string, limit: number) => Promise<Uint8Array>,
): Promise<TfjsFiles> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    fail('CORRUPT_FILE', `${jsonPath}: not valid JSON (${(e as Error).message}); re-export the model or restore the file`, e);
  }
  if (!isObject(json) || json['modelTopology'] === undefined || !Array.isArray(json['weightsManifest'])) {
    fail('NOT_A_MODEL', `${jsonPath}: ${NOT_A_MODEL_HINT}`);
  }
  if (json['format'] === 'graph-model') {
    fail(
      'NOT_A_MODEL',
      `${jsonPath}: a TF.js graph model (format 'graph-model'); ${NOT_A_MODEL_HINT}; convert the Keras model with tensorflowjs_converter --input_format keras`,
    );
  }
  const groups = json['weightsManifest'] as unknown[];
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  const shards: Uint8Array[] = [];
  let declaredBytes = 0;
  for (const group of groups) {
    if (!isObject(group) || !Array.isArray(group['paths']) || !Array.isArray(group['weights'])) {
      fail('NOT_A_MODEL', `${jsonPath}: a weightsManifest entry lacks 'paths' or 'weights'; ${NOT_A_MODEL_HINT}`);
    }
    const specs = group['weights'] as unknown as tf.io.WeightsManifestEntry[];
    const expected = specs.reduce((sum, s) => sum + specBytes(s, jsonPath), 0);
    // Shards are read whole and decoded to float32 (the same size): refuse before reading them.
    checkMemory(
      2 * (declaredBytes += expected),
      `${jsonPath}: weights of ${weightSpecs.length + specs.length} tensors (${declaredBytes} bytes)`,
    );
    const where = `${jsonPath}: weightsManifest path`;
    const paths = (group['paths'] as unknown[]).map((rel) => confinedPath(path.dirname(jsonPath), rel, where, SHARD_FIX));
    let got = 0;
    for (const shard of paths) {
      const bytes = await readShard(shard, expected - got + 1).catch((e: unknown) => {
        const errno = (e instanceof TinyPdmError ? e.cause : e) as NodeJS.ErrnoException | undefined;
        // A shard that is not there; anything else (not a regular file, a symlink out of the folder) keeps its own error.
        if (e instanceof TinyPdmError && errno?.code !== 'ENOENT' && errno?.code !== 'ENOTDIR') throw e;
        return fail(
          'MISSING_WEIGHTS',
          `${shard}: weights shard listed in ${path.basename(jsonPath)} is missing (${errno?.code}); its group needs ${expected} bytes; copy the shard next to the model.json`,
          e,
        );
      });
      got += bytes.length;
      shards.push(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      if (got > expected) break;
    }
    if (got !== expected) {
      // Named from the json: a group may list no shard at all. Only the declared size is told, not what the files hold.
      const listed = paths.length > 0 ? `shard(s) ${paths.map((p) => path.basename(p)).join(', ')} hold` : 'no shard listed, so there are';
      const than = `${got > expected ? 'more' : 'fewer'} bytes than the ${expected} bytes the weightsManifest describes`;
      fail('CORRUPT_FILE', `${jsonPath}: weights ${listed} ${than}; the shard is truncated or from another model, re-export it`);
    }
    weightSpecs.push(...specs);
  }
  const total = shards.reduce((s, b) => s + b.length, 0);
  const weightData = new Uint8Array(total);
  let offset = 0;
  for (const s of shards) {
    weightData.set(s, offset);
    offset += s.length;
  }
  return { jsonPath, modelTopology: json['modelTopology'], weightSpecs, weightData: weightData.buffer, json };
}

const BYTES: Record<string, number> = { float32: 4, int32: 4 };

function specBytes(spec: tf.io.WeightsManifestEntry, jsonPath: string): number {
  if (!isObject(spec) || typeof spec.name !== 'string' || !Array.isArray(spec.shape)) {
    fail('NOT_A_MODEL', `${jsonPath}: a weight entry lacks name or shape; ${NOT_A_MODEL_HINT}`);
  }
  if (!spec.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    fail(
      'CORRUPT_FILE',
      `${jsonPath}: weight '${spec.name}' has shape ${JSON.stringify(spec.shape)}; dimensions must be non-negative integers; re-export the model`,
    );
  }
  if (spec.quantization) {
    fail(
      'UNSUPPORTED_FORMAT',
      `${jsonPath}: weight '${spec.name}' is stored quantised (${spec.quantization.dtype}); re-export the model without --quantize_* so tinypdm quantises it itself`,
    );
  }
  const bytes = Object.hasOwn(BYTES, spec.dtype) ? BYTES[spec.dtype] : undefined;
  if (bytes === undefined) {
    fail(
      'UNSUPPORTED_FORMAT',
      `${jsonPath}: weight '${spec.name}' has dtype '${spec.dtype}'; only float32 and int32 weights are supported`,
    );
  }
  return bytes * spec.shape.reduce((a, b) => a * b, 1);
}

/** A TF.js IOHandler over the files, so `tf.loadLayersModel(fileIOHandler(p))` works without tfjs-node. */
export function fileIOHandler(p: string): tf.io.IOHandler {
  return {
    async load(): Promise<tf.io.ModelArtifacts> {
      const files = await readTfjsFiles(p);
      return {
        modelTopology: files.modelTopology as NonNullable<tf.io.ModelArtifacts['modelTopology']>,
        weightSpecs: files.weightSpecs,
        weightData: files.weightData,
        ...(typeof files.json['format'] === 'string' ? { format: files.json['format'] } : {}),
        ...(typeof files.json['generatedBy'] === 'string' ? { generatedBy: files.json['generatedBy'] } : {}),
        ...(typeof files.json['convertedBy'] === 'string' ? { convertedBy: files.json['convertedBy'] } : {}),
        ...(isObject(files.json['trainingConfig'])
          ? { trainingConfig: files.json['trainingConfig'] as unknown as tf.io.TrainingConfig }
          : {}),
      };
    },
  };
}
