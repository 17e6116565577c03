import * as tf from '@tensorflow/tfjs';
import { fail } from '../util/index.js';

type Initializer = ReturnType<typeof tf.initializers.glorotUniform>;

/**
 * Model architectures tinypdm trains. Every initialiser is seeded (seed + layer
 * index), so the same arguments give the same initial weights.
 */

/**
 * The paper's convolutional autoencoder (the paper's published Keras code): an encoder Sequential
 * and a decoder Sequential wrapped in a functional Model. 42,049 parameters.
 * Both spatial sides must be multiples of 4 (two 2x pools, two 2x upsamplings),
 * which the paper's zero-padding of spectrograms guarantees.
 */
export function paperAutoencoder(inputShape: [number, number, number], seed = 1): tf.LayersModel {
  const [h, w, c] = inputShape;
  if (!inputShape.every((d) => Number.isInteger(d) && d > 0) || h % 4 !== 0 || w % 4 !== 0) {
    fail(
      'BAD_ARGUMENT',
      `paper autoencoder input shape [${inputShape.join(', ')}]: height and width must be positive multiples of 4 (two 2x poolings); pad the spectrogram to a multiple of 4`,
    );
  }
  if (c !== 1)
    fail('BAD_ARGUMENT', `paper autoencoder input shape [${inputShape.join(', ')}]: expected 1 channel (a Mel spectrogram), got ${c}`);
  const init = seededInit(seed);
  const conv = (name: string, filters: number, extra: Partial<Parameters<typeof tf.layers.conv2d>[0]> = {}) =>
    tf.layers.conv2d({
      name,
      filters,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      kernelInitializer: init(),
      biasInitializer: 'zeros',
      ...extra,
    });

  const encoder = tf.sequential({
    name: 'encoder',
    layers: [
      conv('encoder_conv1', 32, { inputShape }),
      tf.layers.maxPooling2d({ name: 'encoder_pool1', poolSize: 2 }),
      conv('encoder_conv2', 64),
      tf.layers.maxPooling2d({ name: 'encoder_pool2', poolSize: 2 }),
    ],
  });
  const decoder = tf.sequential({
    name: 'decoder',
    layers: [
      conv('decoder_conv1', 32, { inputShape: [h / 4, w / 4, 64] }),
      tf.layers.upSampling2d({ name: 'decoder_up1', size: [2, 2] }),
      conv('decoder_conv2', 16),
      tf.layers.upSampling2d({ name: 'decoder_up2', size: [2, 2] }),
      conv('decoder_conv3', 1),
    ],
  });
  const input = tf.input({ name: 'spectrogram', shape: inputShape });
  const output = decoder.apply(encoder.apply(input)) as tf.SymbolicTensor;
  return tf.model({ name: 'paper_autoencoder', inputs: input, outputs: output });
}

/** Layer sizes of `frameStackAutoencoder`; the defaults are MLPerf Tiny's ToyCar model (the DCASE 2020–2023 baseline AE). */
export interface FrameStackOptions {
  /** Units of each hidden Dense layer. */
  units?: number;
  /** Hidden Dense layers on each side of the bottleneck. */
  depth?: number;
  /** Bottleneck units. */
  latent?: number;
}

export const FRAME_STACK_DEFAULTS = { units: 128, depth: 4, latent: 8 } as const;

/**
 * The DCASE / MLPerf Tiny anomaly-detection autoencoder on a frame stack: the
 * [n_mels, frames, 1] window is flattened (128 Mel × 5 frames = 640 values in
 * MLPerf Tiny's ToyCar model), then Dense(units) + BatchNorm + ReLU `depth`
 * times, Dense(latent) + BatchNorm + ReLU, `depth` times Dense(units) + BatchNorm
 * + ReLU, and a linear Dense back to n_mels·frames values, reshaped to the
 * input. BatchNorm folds into the Dense before it and ReLU fuses into it, so
 * the int8 model is FULLY_CONNECTED ops only (plus two RESHAPEs).
 */
export function frameStackAutoencoder(inputShape: [number, number, number], seed = 1, opts: FrameStackOptions = {}): tf.LayersModel {
  const { units, depth, latent } = { ...FRAME_STACK_DEFAULTS, ...opts };
  if (!inputShape.every((d) => Number.isInteger(d) && d > 0))
    fail('BAD_ARGUMENT', `frame-stack autoencoder input shape [${inputShape.join(', ')}] must be positive integers`);
  for (const [k, v] of Object.entries({ units, depth, latent })) {
    if (!Number.isInteger(v) || v <= 0) fail('BAD_ARGUMENT', `frame-stack autoencoder ${k} must be a positive integer, got ${v}`);
  }
  const size = inputShape[0] * inputShape[1] * inputShape[2];
  const init = seededInit(seed);
  const model = tf.sequential({ name: 'frame_stack_autoencoder' });
  model.add(tf.layers.flatten({ name: 'frames', inputShape }));
  const block = (name: string, n: number) => {
    model.add(tf.layers.dense({ name, units: n, kernelInitializer: init(), biasInitializer: 'zeros' }));
    model.add(tf.layers.batchNormalization({ name: `${name}_bn`, momentum: 0.99, epsilon: 1e-3 }));
    model.add(tf.layers.reLU({ name: `${name}_relu` }));
  };
  for (let i = 0; i < depth; i++) block(`encoder_dense${i + 1}`, units);
  block('bottleneck', latent);
  for (let i = 0; i < depth; i++) block(`decoder_dense${i + 1}`, units);
  model.add(tf.layers.dense({ name: 'reconstruction', units: size, kernelInitializer: init(), biasInitializer: 'zeros' }));
  model.add(tf.layers.reshape({ name: 'window', targetShape: inputShape }));
  return model;
}

/**
 * Architectures built in by name (`train --arch NAME`), each with the
 * features it is meant for. `featureDefaults` applies where the user did not
 * set a feature flag.
 */
export interface BuiltinArchitecture {
  name: string;
  describe: string;
  build(inputShape: [number, number, number], seed: number): tf.LayersModel;
  featureDefaults(rate: number): { nMels?: number; frames?: number; windowHop?: number; nFft?: number; hop?: number };
}

export const BUILTIN_ARCHITECTURES: Record<string, BuiltinArchitecture> = {
  paper: {
    name: 'paper',
    describe: "the paper's convolutional autoencoder on 32 Mel × 32 frames",
    build: (shape, seed) => paperAutoencoder(shape, seed),
    featureDefaults: () => ({}),
  },
  'frame-stack': {
    name: 'frame-stack',
    describe:
      'the DCASE / MLPerf Tiny dense autoencoder on 5 consecutive frames of 128 Mel (n_fft 1024, hop 512 at 16 kHz: 64 ms frames, 32 ms apart), a new window every frame',
    build: (shape, seed) => frameStackAutoencoder(shape, seed),
    featureDefaults: (rate) => {
      // DCASE's 64 ms / 32 ms framing at every rate (powers of two, as the front-end's FFT needs).
      const hop = Math.max(8, 2 ** Math.round(Math.log2((512 * rate) / 16000)));
      return { nMels: 128, frames: 5, windowHop: 1, hop, nFft: Math.min(2048, 2 * hop) };
    },
  },
};

/**
 * The built-in architecture `name` names, or undefined when it is a layer-list
 * file. `frame-stack:UxDxL` is the frame-stack autoencoder with U units, D
 * hidden layers per side and an L-unit bottleneck (e.g. a wider teacher for
 * distillation: frame-stack:512x4x32).
 */
export function builtinArchitecture(name: string | undefined): BuiltinArchitecture | undefined {
  if (name === undefined) return undefined;
  const sized = /^frame-stack:(\d+)x(\d+)x(\d+)$/.exec(name);
  if (sized) {
    const [units, depth, latent] = sized.slice(1).map(Number) as [number, number, number];
    const base = BUILTIN_ARCHITECTURES['frame-stack']!;
    return { ...base, name, build: (shape, seed) => frameStackAutoencoder(shape, seed, { units, depth, latent }) };
  }
  return BUILTIN_ARCHITECTURES[name];
}

/** Glorot-uniform initialisers with seeds seed, seed + 1, ... in creation order. */
function seededInit(seed: number): () => Initializer {
  let next = seed;
  return () => tf.initializers.glorotUniform({ seed: next++ });
}

type LayerSpec = Record<string, unknown>;
type Builder = (spec: Reader, init: () => Initializer) => tf.layers.Layer;

/** Reads one `--arch` entry, failing with the entry's index and key. */
class Reader {
  constructor(
    readonly spec: LayerSpec,
    private readonly index: number,
  ) {}

  private where(key: string): string {
    return `--arch layer ${this.index} (${String(this.spec['type'])}): '${key}'`;
  }

  int(key: string, fallback?: number): number {
    const v = this.spec[key] ?? fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0)
      fail('BAD_ARGUMENT', `${this.where(key)} must be a positive integer, got ${JSON.stringify(v)}`);
    return v;
  }

  choice<T extends string>(key: string, options: readonly T[], fallback: T): T {
    const v = this.spec[key] ?? fallback;
    if (typeof v !== 'string' || !options.includes(v as T))
      fail('BAD_ARGUMENT', `${this.where(key)} must be one of ${options.join(', ')}, got ${JSON.stringify(v)}`);
    return v as T;
  }

  ints(key: string): number[] {
    const v = this.spec[key];
    if (!Array.isArray(v) || !v.every((d) => typeof d === 'number' && Number.isInteger(d) && (d > 0 || d === -1))) {
      fail('BAD_ARGUMENT', `${this.where(key)} must be a list of positive integers (one may be -1), got ${JSON.stringify(v)}`);
    }
    return v as number[];
  }

  rate(key: string, fallback: number): number {
    const v = this.spec[key] ?? fallback;
    if (typeof v !== 'number' || !(v >= 0 && v < 1))
      fail('BAD_ARGUMENT', `${this.where(key)} must be a number in [0, 1), got ${JSON.stringify(v)}`);
    return v;
  }
}

const ACTIVATIONS = ['linear', 'relu', 'relu6', 'sigmoid', 'softmax'] as const;
const PADDINGS = ['same', 'valid'] as const;

/** `--arch` layer types, each with the keys it reads. Convs default to 'same' padding and 'relu', as the paper's do. */
const BUILDERS: Record<string, { keys: string[]; build: Builder }> = {
  conv2d: {
    keys: ['filters', 'kernel', 'stride', 'padding', 'activation'],
    build: (r, init) =>
      tf.layers.conv2d({
        filters: r.int('filters'),
        kernelSize: r.int('kernel', 3),
        strides: r.int('stride', 1),
        padding: r.choice('padding', PADDINGS, 'same'),
        activation: r.choice('activation', ACTIVATIONS, 'relu'),
        kernelInitializer: init(),
      }),
  },
  depthwise_conv2d: {
    keys: ['kernel', 'stride', 'padding', 'activation', 'multiplier'],
    build: (r, init) =>
      tf.layers.depthwiseConv2d({
        kernelSize: r.int('kernel', 3),
        depthMultiplier: r.int('multiplier', 1),
        strides: r.int('stride', 1),
        padding: r.choice('padding', PADDINGS, 'same'),
        activation: r.choice('activation', ACTIVATIONS, 'relu'),
        depthwiseInitializer: init(),
      }),
  },
  conv2d_transpose: {
    keys: ['filters', 'kernel', 'stride', 'padding', 'activation'],
    build: (r, init) =>
      tf.layers.conv2dTranspose({
        filters: r.int('filters'),
        kernelSize: r.int('kernel', 3),
        strides: r.int('stride', 2),
        padding: r.choice('padding', PADDINGS, 'same'),
        activation: r.choice('activation', ACTIVATIONS, 'relu'),
        kernelInitializer: init(),
      }),
  },
  maxpool: { keys: ['size'], build: (r) => tf.layers.maxPooling2d({ poolSize: r.int('size', 2) }) },
  avgpool: { keys: ['size'], build: (r) => tf.layers.averagePooling2d({ poolSize: r.int('size', 2) }) },
  upsample: { keys: ['size'], build: (r) => tf.layers.upSampling2d({ size: [r.int('size', 2), r.int('size', 2)] }) },
  dense: {
    keys: ['units', 'activation'],
    build: (r, init) =>
      tf.layers.dense({ units: r.int('units'), activation: r.choice('activation', ACTIVATIONS, 'relu'), kernelInitializer: init() }),
  },
  flatten: { keys: [], build: () => tf.layers.flatten() },
  reshape: { keys: ['shape'], build: (r) => tf.layers.reshape({ targetShape: r.ints('shape') }) },
  batchnorm: { keys: [], build: () => tf.layers.batchNormalization() },
  dropout: { keys: ['rate'], build: (r) => tf.layers.dropout({ rate: r.rate('rate', 0.1), seed: 0 }) },
};

export const ARCH_LAYER_TYPES = Object.keys(BUILDERS);

/**
 * A Sequential model from an `--arch` JSON list such as
 * `[{"type":"conv2d","filters":8,"kernel":3,"activation":"relu"}, {"type":"maxpool","size":2}]`.
 */
export function modelFromLayerList(json: string | unknown[], inputShape: number[], seed = 1): tf.LayersModel {
  let list: unknown;
  try {
    list = typeof json === 'string' ? JSON.parse(json) : json;
  } catch (e) {
    fail('BAD_ARGUMENT', `--arch is not valid JSON (${(e as Error).message}); pass a list like [{"type":"conv2d","filters":8}]`, e);
  }
  if (!Array.isArray(list) || list.length === 0)
    fail(
      'BAD_ARGUMENT',
      `--arch must be a non-empty JSON list of layers like [{"type":"conv2d","filters":8}], got ${JSON.stringify(list)?.slice(0, 80)}`,
    );
  if (!inputShape.every((d) => Number.isInteger(d) && d > 0))
    fail('BAD_ARGUMENT', `--arch input shape [${inputShape.join(', ')}] must be positive integers`);
  const init = seededInit(seed);
  const layers = list.map((entry, i) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
      fail('BAD_ARGUMENT', `--arch layer ${i} must be an object with a "type", got ${JSON.stringify(entry)}`);
    const spec = entry as LayerSpec;
    const builder = BUILDERS[String(spec['type'])];
    if (!builder)
      fail('BAD_ARGUMENT', `--arch layer ${i}: unknown type ${JSON.stringify(spec['type'])}; use one of ${ARCH_LAYER_TYPES.join(', ')}`);
    const unknown = Object.keys(spec).filter((k) => k !== 'type' && !builder.keys.includes(k));
    if (unknown.length > 0)
      fail(
        'BAD_ARGUMENT',
        `--arch layer ${i} (${String(spec['type'])}): unknown key '${unknown[0]}'; ${String(spec['type'])} takes ${builder.keys.join(', ') || 'no keys'}`,
      );
    return builder.build(new Reader(spec, i), init);
  });
  const model = tf.sequential({ name: 'custom' });
  model.add(tf.layers.inputLayer({ inputShape }));
  for (const [i, layer] of layers.entries()) {
    try {
      model.add(layer);
    } catch (e) {
      fail(
        'BAD_ARGUMENT',
        `--arch layer ${i} (${String((list[i] as LayerSpec)['type'])}) does not fit its input: ${(e as Error).message.split('\n')[0]}`,
        e,
      );
    }
  }
  return model;
}
