import { unzipSync, type UnzipFileInfo } from 'fflate';
import { fail, TinyPdmError } from '../../../util/index.js';
import { checkMemory, readInput } from '../../../util/index.js';
import { isObject, type Json, type JsonObject } from '../keras/config.js';
import type { NamedWeight } from '../keras/weights.js';
import { Hdf5File } from './hdf5.js';
import { keras3VariableNames } from './keras-v3-variables.js';
import { lowerKerasSource, parseConfigJson, type KerasModelSource } from './keras-source.js';

/**
 * Keras 3 `.keras` (keras/src/saving/saving_lib.py): a zip of
 *  - `metadata.json` ({keras_version, date_saved}),
 *  - `config.json` (the Keras 3 JSON: module/class_name/config/registered_name,
 *    `__keras_tensor__` inbound nodes, dtype policies; parsed by src/model/keras),
 *  - `model.weights.h5`: each model's layer list saved as
 *    `layers/<snake_case class name>[_<n>]/vars/<i>`, counted per list in
 *    list order, nested models as `layers/sequential/layers/conv2d/vars/0`.
 *    Keras 2.13's variant spells `layers` as `_layer_checkpoint_dependencies`.
 * The weights are renamed `<model>/<nested model>/<layer>/<weight>` so the
 * Keras lowering finds them by layer and weight name.
 */
const CONFIG = 'config.json';
const METADATA = 'metadata.json';
const WEIGHTS = 'model.weights.h5';
const MODEL_CLASSES = new Set(['Sequential', 'Functional', 'Model']);

export async function loadKerasV3(file: string): Promise<KerasModelSource> {
  const archive = await readInput(file, { what: 'the .keras archive', fix: "pass the model saved with model.save('model.keras')" });
  const { entries, names } = unzip(archive, file);
  const configBytes = entries[CONFIG];
  if (!configBytes) {
    fail(
      'NOT_A_MODEL',
      `${file}: a zip archive without '${CONFIG}', so not a Keras 3 .keras model (it holds: ${names.slice(0, 5).join(', ') || 'nothing'}); save the model with model.save('model.keras')`,
    );
  }
  const config = parseConfigJson(new TextDecoder().decode(configBytes), `${file}: ${CONFIG}`);
  const metadata = entries[METADATA] ? parseConfigJson(new TextDecoder().decode(entries[METADATA]), `${file}: ${METADATA}`) : undefined;
  const kerasVersion = isObject(metadata) && typeof metadata['keras_version'] === 'string' ? metadata['keras_version'] : undefined;
  const weightBytes = entries[WEIGHTS];
  if (!weightBytes) {
    if (names.includes('model.weights.npz'))
      fail('UNSUPPORTED_FORMAT', `${file}: weights are stored as model.weights.npz; save the model with the default weights format (h5)`);
    fail('MISSING_WEIGHTS', `${file}: the archive has no '${WEIGHTS}'; save the model with model.save('model.keras')`);
  }
  if (!isObject(config)) fail('NOT_A_MODEL', `${file}: ${CONFIG} is not a Keras model config object`);
  // Keras 3 keeps optimizer state in a top-level 'optimizer' group, never read here.
  const weights = readVariables(await Hdf5File.fromBytes(weightBytes, `${file}:${WEIGHTS}`, ['optimizer']), config);
  return lowerKerasSource(file, config, weights, 'keras-v3', kerasVersion);
}

/** Keras writes 3 entries; far more means a damaged central directory (fflate would walk up to 2^32 of them). */
const MAX_ENTRIES = 1000;
/** Deflate cannot expand data more than 1032:1, so a larger claimed size is a lie. */
const MAX_DEFLATE_RATIO = 1032;

/**
 * Extracts only the entries the loader reads, after checking each one's
 * claimed sizes: fflate allocates the uncompressed size a (possibly hostile)
 * header states before inflating.
 */
function unzip(bytes: Uint8Array, file: string): { entries: Partial<Record<string, Uint8Array>>; names: string[] } {
  const names: string[] = [];
  const corrupt = (why: string, cause?: unknown): never =>
    fail(
      'CORRUPT_FILE',
      `${file}: not a readable zip archive (${why}); the .keras file is damaged or truncated, save the model again`,
      cause,
    );
  const wanted = (info: UnzipFileInfo): boolean => {
    if (names.push(info.name) > MAX_ENTRIES) corrupt(`more than ${MAX_ENTRIES} entries`);
    if (info.name !== CONFIG && info.name !== METADATA && info.name !== WEIGHTS) return false;
    if (!(info.size <= bytes.length)) corrupt(`entry '${info.name}' claims ${info.size} bytes in a ${bytes.length}-byte file`);
    if (info.compression === 8) {
      if (!(info.originalSize <= info.size * MAX_DEFLATE_RATIO + 64))
        corrupt(`entry '${info.name}' claims to inflate ${info.size} bytes to ${info.originalSize}`);
      checkMemory(info.originalSize, `${file}: entry '${info.name}' uncompressed`);
    }
    return true;
  };
  try {
    return { entries: unzipSync(bytes, { filter: wanted }), names };
  } catch (e) {
    if (e instanceof TinyPdmError) throw e;
    return corrupt((e as Error).message, e);
  }
}

/** keras.src.utils.naming.to_snake_case: 'MaxPooling2D' → 'max_pooling2d', 'Conv2DTranspose' → 'conv2d_transpose'. */
export function snakeCase(className: string): string {
  return className
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

function entryName(entry: JsonObject): string {
  const cfg = isObject(entry['config']) ? entry['config'] : {};
  const n = entry['name'] ?? cfg['name'];
  return typeof n === 'string' ? n : JSON.stringify(entry['class_name']);
}

function layersOf(model: JsonObject): Json[] {
  const cfg = model['config'];
  const layers = Array.isArray(cfg) ? cfg : isObject(cfg) ? cfg['layers'] : undefined;
  return Array.isArray(layers) ? layers : [];
}

function readVariables(h5: Hdf5File, config: JsonObject): NamedWeight[] {
  const legacy = h5.keys('')?.includes('_layer_checkpoint_dependencies') ?? false;
  /** H5Entry's lookup: the path as written, else Keras 2.13's spelling of it. */
  const resolve = (p: string): string | undefined =>
    h5.isGroup(p)
      ? p
      : legacy && h5.isGroup(p.replaceAll('layers', '_layer_checkpoint_dependencies'))
        ? p.replaceAll('layers', '_layer_checkpoint_dependencies')
        : undefined;

  const weights: NamedWeight[] = [];
  const visit = (model: JsonObject, prefix: string, scope: string[]): void => {
    const used = new Map<string, number>();
    for (const layer of layersOf(model)) {
      if (!isObject(layer) || typeof layer['class_name'] !== 'string') continue; // the config parser reports malformed entries
      const className = layer['class_name'];
      // Sequential.layers omits its InputLayer; Functional.layers keeps them.
      if (model['class_name'] === 'Sequential' && className === 'InputLayer') continue;
      const base = snakeCase(className);
      const n = used.get(base);
      used.set(base, n === undefined ? 0 : n + 1);
      const groupPath = `${prefix}layers/${n === undefined ? base : `${base}_${n + 1}`}`;
      const name = entryName(layer);
      if (MODEL_CLASSES.has(className)) {
        visit(layer, `${groupPath}/`, [...scope, name]);
        continue;
      }
      const cfg = isObject(layer['config']) ? layer['config'] : {};
      const names = keras3VariableNames(className, cfg);
      if (!names || names.length === 0) continue;
      const where = `${h5.label}:/${groupPath}/vars`;
      const found = resolve(`${groupPath}/vars`);
      const stored = found ? (h5.keys(found) ?? []).filter((k) => /^\d+$/.test(k)).sort((a, b) => Number(a) - Number(b)) : [];
      if (stored.length === 0) {
        fail(
          'MISSING_WEIGHTS',
          `layer '${name}' (${className}) has no weights at '${where}'; the weights file is incomplete or from another model, save the model again with model.save('model.keras')`,
        );
      }
      if (stored.length !== names.length || stored.some((k, i) => Number(k) !== i)) {
        fail(
          'CORRUPT_FILE',
          `layer '${name}' (${className}): '${where}' holds variables [${stored.join(', ')}] but its config implies ${names.length} (${names.join(', ')}); the weights do not belong to this config`,
        );
      }
      names.forEach((weight, i) => {
        const { shape, data } = h5.floatDataset(`${found}/${i}`);
        weights.push({ name: [...scope, name, weight].join('/'), shape, data });
      });
    }
  };
  visit(config, '', [entryName(config)]);
  return weights;
}
