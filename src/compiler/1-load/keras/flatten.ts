import { fail } from '../../../util/index.js';
import { isObject, LayerConfig, type Json, type JsonObject } from './config.js';

/**
 * Flattens a Keras model config (Sequential or functional, with models nested
 * inside models, as the paper's encoder + decoder wrapper is) into one list of
 * leaf layers in execution order. Each layer names its input and output
 * tensors by a "ref", a string unique across the whole model, so lowering never
 * has to think about nesting again.
 *
 * Layer names stay as Keras wrote them: weights are looked up by layer name
 * (plus the enclosing models' names, when a name is ambiguous), never by position.
 */
export interface FlatInput {
  ref: string;
  name: string;
  /** Keras shape without the batch dimension. */
  shape: number[];
}

export interface FlatLayer {
  name: string;
  /** Names of the models enclosing this layer, outermost first. */
  scope: string[];
  config: LayerConfig;
  inputs: string[];
  output: string;
}

export interface FlatModel {
  name: string;
  inputs: FlatInput[];
  outputs: string[];
  layers: FlatLayer[];
}

const MODEL_CLASSES = new Set(['Sequential', 'Model', 'Functional']);

/**
 * Accepts what TF.js writes as `modelTopology` ({class_name, config, keras_version}),
 * what Keras writes into .h5 `model_config`, and the converter's wrapper
 * {model_config: {...}}.
 */
export function unwrapTopology(topology: unknown): { modelConfig: JsonObject; kerasVersion?: string } {
  if (!isObject(topology))
    fail('NOT_A_MODEL', 'modelTopology is not a JSON object; expected a Keras model config with class_name and config');
  const inner = isObject(topology['model_config']) ? topology['model_config'] : topology;
  const version = topology['keras_version'] ?? inner['keras_version'];
  if (typeof inner['class_name'] !== 'string' || !MODEL_CLASSES.has(inner['class_name'])) {
    fail(
      'NOT_A_MODEL',
      `modelTopology has class_name ${JSON.stringify(inner['class_name'])}; expected a Keras 'Sequential', 'Model' or 'Functional' config`,
    );
  }
  return { modelConfig: inner, ...(typeof version === 'string' ? { kerasVersion: version } : {}) };
}

export function flattenModel(modelConfig: JsonObject): FlatModel {
  const flat: FlatModel = { name: modelName(modelConfig, 'model'), inputs: [], outputs: [], layers: [] };
  flat.outputs = flattenInto(modelConfig, [], undefined, flat);
  if (flat.inputs.length === 0)
    fail('NOT_A_MODEL', `model '${flat.name}' has no input layer or input shape; build it with an input shape before saving`);
  return flat;
}

function modelName(cfg: JsonObject, fallback: string): string {
  const inner = isObject(cfg['config']) ? cfg['config'] : {};
  const n = inner['name'] ?? cfg['name'];
  return typeof n === 'string' ? n : fallback;
}

/**
 * Flattens `modelConfig` into `flat.layers`. `bound` holds the refs feeding a
 * nested model's inputs; at top level it is undefined and the model's own
 * inputs become graph inputs. Returns the refs of the model's outputs.
 */
function flattenInto(modelConfig: JsonObject, scope: string[], bound: string[] | undefined, flat: FlatModel): string[] {
  const className = modelConfig['class_name'] as string;
  const name = modelName(modelConfig, className.toLowerCase());
  const inner = modelConfig['config'];
  const innerScope = [...scope, name];
  if (className === 'Sequential') {
    // Keras < 2.3 wrote a Sequential config as a bare list of layers.
    const layers = Array.isArray(inner) ? inner : isObject(inner) ? inner['layers'] : undefined;
    if (!Array.isArray(layers)) fail('NOT_A_MODEL', `Sequential model '${name}' has no 'layers' list in its config`);
    const buildShape = isObject(inner) ? inner['build_input_shape'] : undefined;
    return [flattenSequential(name, layers, innerScope, bound, buildShape, flat)];
  }
  if (!isObject(inner)) fail('NOT_A_MODEL', `functional model '${name}' has no config object`);
  return flattenFunctional(name, inner, innerScope, bound, flat);
}

function layerEntry(entry: Json, where: string): { className: string; config: JsonObject; name: string; raw: JsonObject } {
  if (!isObject(entry) || typeof entry['class_name'] !== 'string' || !isObject(entry['config'])) {
    fail('NOT_A_MODEL', `${where}: a layer entry lacks class_name or config: ${JSON.stringify(entry).slice(0, 120)}`);
  }
  const config = entry['config'];
  const name = typeof entry['name'] === 'string' ? entry['name'] : typeof config['name'] === 'string' ? config['name'] : undefined;
  if (name === undefined) fail('NOT_A_MODEL', `${where}: a ${entry['class_name']} layer has no name`);
  return { className: entry['class_name'], config, name, raw: entry };
}

function refOf(scope: string[], layer: string, tensorIndex = 0): string {
  return `${[...scope, layer].join('/')}:${tensorIndex}`;
}

/** Keras shapes: `batch_input_shape` (Keras 2, TF.js) or `batch_shape` (Keras 3), batch first. */
function declaredBatchShape(config: JsonObject): Json[] | undefined {
  const s = config['batch_input_shape'] ?? config['batch_shape'];
  return Array.isArray(s) ? s : undefined;
}

function addGraphInput(flat: FlatModel, ref: string, name: string, batchShape: Json[]): void {
  const dims = batchShape.slice(1);
  if (!dims.every((d) => typeof d === 'number' && Number.isInteger(d) && d > 0)) {
    fail(
      'NOT_A_MODEL',
      `input '${name}' has shape ${JSON.stringify(batchShape)}; every dimension except the batch must be fixed for a microcontroller; rebuild the model with a fixed input shape`,
    );
  }
  flat.inputs.push({ ref, name, shape: dims as number[] });
}

function flattenSequential(
  name: string,
  layers: Json[],
  scope: string[],
  bound: string[] | undefined,
  buildShape: Json | undefined,
  flat: FlatModel,
): string {
  if (bound && bound.length !== 1)
    fail('NOT_A_MODEL', `Sequential model '${name}' is called with ${bound.length} inputs; a Sequential model takes one`);
  let current: string | undefined = bound?.[0];
  for (const entry of layers) {
    const layer = layerEntry(entry, `Sequential model '${name}'`);
    if (current === undefined) {
      const shape = declaredBatchShape(layer.config) ?? (Array.isArray(buildShape) ? buildShape : undefined);
      if (!shape)
        fail(
          'NOT_A_MODEL',
          `Sequential model '${name}': its first layer '${layer.name}' declares no input shape; build the model with an input shape before saving`,
        );
      current = refOf(scope, `${layer.name}__input`);
      addGraphInput(flat, current, layer.className === 'InputLayer' ? layer.name : `${name}_input`, shape);
    }
    if (layer.className === 'InputLayer') continue;
    current = addLayer(layer, scope, [current], flat);
  }
  if (current === undefined) fail('NOT_A_MODEL', `Sequential model '${name}' has no layers`);
  return current;
}

/** Adds a leaf layer, or recurses into a nested model, and returns the output ref. */
function addLayer(layer: ReturnType<typeof layerEntry>, scope: string[], inputs: string[], flat: FlatModel): string {
  if (MODEL_CLASSES.has(layer.className)) {
    const outs = flattenInto({ class_name: layer.className, config: layer.config }, scope, inputs, flat);
    if (outs.length !== 1)
      fail('UNSUPPORTED_LAYER', `nested model '${layer.name}' has ${outs.length} outputs; only single-output nested models are supported`);
    return outs[0]!;
  }
  const output = refOf(scope, layer.name);
  flat.layers.push({ name: layer.name, scope, config: new LayerConfig(layer.name, layer.className, layer.config), inputs, output });
  return output;
}

type History = { layer: string; node: number; tensor: number };

/** Keras 2 / TF.js: `[name, nodeIndex, tensorIndex(, kwargs)]`. */
function asHistory(v: Json): History | undefined {
  if (Array.isArray(v) && typeof v[0] === 'string' && typeof v[1] === 'number' && typeof v[2] === 'number') {
    return { layer: v[0], node: v[1], tensor: v[2] };
  }
  return undefined;
}

/**
 * The tensors a layer call consumes. Keras 2 / TF.js: `[[["name", node, tensor, {}], ...]]`;
 * Keras 3: `[{args: [...keras tensors...], kwargs: {}}]`, with keras_history inside.
 */
function inboundOf(layer: ReturnType<typeof layerEntry>, model: string): History[] | undefined {
  const nodes = layer.raw['inbound_nodes'];
  if (!Array.isArray(nodes) || nodes.length === 0) return undefined;
  if (nodes.length > 1) {
    fail(
      'UNSUPPORTED_LAYER',
      `layer '${layer.name}' (${layer.className}) in model '${model}' is called ${nodes.length} times (a shared layer); shared layers are not supported; give each call its own layer`,
    );
  }
  const node = nodes[0]!;
  const found: History[] = [];
  if (Array.isArray(node)) {
    for (const item of node) {
      const h = asHistory(item);
      if (!h)
        fail(
          'NOT_A_MODEL',
          `layer '${layer.name}' in model '${model}' has a malformed inbound node: ${JSON.stringify(item).slice(0, 120)}`,
        );
      found.push(h);
    }
    return found.length > 0 ? found : undefined;
  }
  const visit = (v: Json): void => {
    if (isObject(v)) {
      const cfg = v['config'];
      if (v['class_name'] === '__keras_tensor__' && isObject(cfg)) {
        const h = asHistory(cfg['keras_history'] ?? null);
        if (h) found.push(h);
        return;
      }
      for (const x of Object.values(v)) visit(x);
    } else if (Array.isArray(v)) {
      for (const x of v) visit(x);
    }
  };
  if (isObject(node)) visit(node['args'] ?? null);
  // A call that names no input tensor connects the layer to nothing (every lowering reads its first input).
  return found.length > 0 ? found : undefined;
}

function historyList(v: Json | undefined, what: string, model: string): History[] {
  if (!Array.isArray(v)) fail('NOT_A_MODEL', `functional model '${model}' has no '${what}' list`);
  const single = asHistory(v);
  if (single) return [single];
  return v.map((x) => asHistory(x) ?? fail('NOT_A_MODEL', `functional model '${model}': malformed ${what} entry ${JSON.stringify(x)}`));
}

function flattenFunctional(name: string, cfg: JsonObject, scope: string[], bound: string[] | undefined, flat: FlatModel): string[] {
  const layersJson = cfg['layers'];
  if (!Array.isArray(layersJson)) fail('NOT_A_MODEL', `functional model '${name}' has no 'layers' list in its config`);
  const layers = layersJson.map((e) => layerEntry(e, `model '${name}'`));
  const inputLayers = historyList(cfg['input_layers'], 'input_layers', name);
  const outputLayers = historyList(cfg['output_layers'], 'output_layers', name);
  if (bound && bound.length !== inputLayers.length) {
    fail('NOT_A_MODEL', `nested model '${name}' takes ${inputLayers.length} inputs but is called with ${bound.length}`);
  }

  // Refs produced so far, keyed by "layer:tensorIndex" within this model.
  const produced = new Map<string, string>();
  const key = (h: History) => `${h.layer}:${h.tensor}`;
  inputLayers.forEach((h, i) => {
    const layer = layers.find((l) => l.name === h.layer);
    if (!layer) fail('NOT_A_MODEL', `functional model '${name}' lists input layer '${h.layer}', which is not among its layers`);
    if (bound) {
      produced.set(key(h), bound[i]!);
    } else {
      const shape = declaredBatchShape(layer.config);
      if (!shape) fail('NOT_A_MODEL', `input layer '${h.layer}' of model '${name}' declares no batch_input_shape`);
      const ref = refOf(scope, h.layer);
      addGraphInput(flat, ref, h.layer, shape);
      produced.set(key(h), ref);
    }
  });

  // Keras lists layers in a valid order in practice, but does not promise it:
  // place each layer once all its inputs exist, keeping the listed order otherwise.
  let pending = layers.filter((l) => l.className !== 'InputLayer');
  while (pending.length > 0) {
    const next: typeof pending = [];
    for (const layer of pending) {
      const inbound = inboundOf(layer, name);
      if (!inbound)
        fail(
          'NOT_A_MODEL',
          `layer '${layer.name}' in functional model '${name}' has no inbound nodes; it is not connected to the model's inputs`,
        );
      const multi = inbound.find((h) => h.tensor !== 0);
      if (multi)
        fail(
          'UNSUPPORTED_LAYER',
          `layer '${layer.name}' consumes output ${multi.tensor} of layer '${multi.layer}'; multi-output layers are not supported`,
        );
      if (!inbound.every((h) => produced.has(key(h)))) {
        next.push(layer);
        continue;
      }
      const out = addLayer(
        layer,
        scope,
        inbound.map((h) => produced.get(key(h))!),
        flat,
      );
      produced.set(`${layer.name}:0`, out);
    }
    if (next.length === pending.length) {
      fail(
        'NOT_A_MODEL',
        `functional model '${name}': layer '${next[0]!.name}' consumes a tensor no layer produces (or the graph has a cycle)`,
      );
    }
    pending = next;
  }
  return outputLayers.map((h) => {
    if (h.tensor !== 0)
      fail('UNSUPPORTED_LAYER', `model '${name}' outputs tensor ${h.tensor} of layer '${h.layer}'; multi-output layers are not supported`);
    return (
      produced.get(key(h)) ?? fail('NOT_A_MODEL', `functional model '${name}' lists output layer '${h.layer}', which produces nothing`)
    );
  });
}
