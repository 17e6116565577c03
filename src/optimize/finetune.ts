import * as tf from '@tensorflow/tfjs';
import { fail } from '../errors.js';
import { cloneGraph } from '../model/builder.js';
import { tensorSize, type Activation, type Graph, type Op } from '../model/ir.js';
import { initBackend } from '../train/backend.js';
import { fitAutoencoder, type FitData } from '../train/fit.js';
import { zeroSmallest, type PruneScope } from './prune-magnitude.js';
import { fineTuneSchedule, sparsityAt, updatesMaskAt } from './pruning-schedule.js';

/**
 * Fine-tuning after pruning or clustering, with the optimisation held fixed.
 *
 * Design: fine-tuning runs on a TF.js model rebuilt *from the optimised IR*
 * (not from the original Keras model), because structured pruning changes
 * layer widths, which only the IR knows. After every optimiser step the
 * projection re-applies what the passes decided: weights that are 0 stay 0
 * (the pruning mask), and, after clustering, every weight in a cluster is set
 * to the cluster's mean (centroid fine-tuning with assignments held, which is
 * what sharing one trainable centroid per cluster converges to). The trained
 * weights are then written back into the IR, so the pass list stays IR → IR.
 *
 * The training loop is `fitAutoencoder` (Adam, MSE against the input, seeded
 * shuffles, best validation weights restored), so fine-tuning applies to
 * autoencoders, the models tinypdm trains.
 *
 * With `prune` (emit's --prune with --finetune), pruning is gradual instead
 * of one-shot: the mask is recomputed by magnitude on the PolynomialDecay
 * schedule of src/optimize/pruning-schedule.ts, sparsity 0 → S over the first
 * half of the epochs, then held; only epochs with the final mask may supply
 * the best weights. Otherwise the zeros present at the start are the mask.
 */
export interface FinetuneOptions {
  epochs: number;
  /** After clustering: keep the cluster assignments and train the shared values. */
  holdClusters: boolean;
  seed: number;
  batchSize?: number;
  learningRate?: number;
  /** Gradual magnitude pruning to this sparsity and scope during fine-tuning. */
  prune?: { sparsity: number; scope: PruneScope };
  /** Checked between batches (src/train/fit.ts). */
  signal?: AbortSignal;
}

const SUPPORTED: readonly Op['kind'][] = ['CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED', 'RELU', 'RELU6', 'MAX_POOL_2D', 'AVERAGE_POOL_2D', 'RESIZE_NEAREST_NEIGHBOR', 'PAD', 'RESHAPE', 'ADD', 'CONCATENATION', 'LOGISTIC', 'SOFTMAX'];

export async function finetune(graph: Graph, data: FitData, opts: FinetuneOptions): Promise<Graph> {
  await initBackend();
  // wasm has no gradient kernels for depthwise convolutions (tfjs-node has);
  // such a model fine-tunes on the cpu backend, slower but complete.
  const backend = tf.getBackend();
  const onCpu = backend === 'wasm' && graph.ops.some((op) => op.kind === 'DEPTHWISE_CONV_2D');
  if (onCpu) await tf.setBackend('cpu');
  try {
    return await finetuneOnBackend(graph, data, opts);
  } finally {
    if (onCpu) await tf.setBackend(backend);
  }
}

async function finetuneOnBackend(graph: Graph, data: FitData, opts: FinetuneOptions): Promise<Graph> {
  const { model, weighted } = toLayersModel(graph);
  try {
    const batchSize = opts.batchSize ?? 32;
    const holds = weighted.map(({ layer }) => holdOf(layer, opts.holdClusters));
    const project = () => holds.forEach((h) => h.apply());
    const schedule = opts.prune ? fineTuneSchedule(opts.prune.sparsity, opts.epochs, Math.ceil(data.train.length / tensorSize(data.shape) / batchSize)) : undefined;
    let step = 0;
    const afterBatch = () => {
      step++;
      if (schedule && updatesMaskAt(schedule, step)) remask(holds, sparsityAt(schedule, step), opts.prune!.scope);
      project();
    };
    project();
    await fitAutoencoder(model, data, {
      epochs: opts.epochs,
      batchSize,
      learningRate: opts.learningRate ?? 5e-4,
      patience: Number.POSITIVE_INFINITY,
      seed: opts.seed,
      afterBatch,
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(schedule ? { bestFromEpoch: schedule.rampEpochs - 1 } : {}),
    });
    return withTrainedWeights(graph, weighted);
  } finally {
    model.dispose();
  }
}

/**
 * A new magnitude mask at `sparsity`, by the same rule as one-shot pruning
 * (zeroSmallest: exactly floor(S·n) weights per layer, or over all layers
 * for the global scope), from the kernels as trained so far.
 */
function remask(holds: Hold[], sparsity: number, scope: PruneScope): void {
  const kernels = holds.map((h) => h.kernel());
  if (scope === 'layer') kernels.forEach((k) => zeroSmallest([k], sparsity));
  else zeroSmallest(kernels, sparsity);
  holds.forEach((h, i) => h.setMask(kernels[i]!));
}

interface WeightedLayer {
  op: Op;
  layer: tf.layers.Layer;
}

/** Rebuilds the float IR as a functional TF.js model; weighted layers carry the IR's weights. */
export function toLayersModel(graph: Graph): { model: tf.LayersModel; weighted: WeightedLayer[] } {
  if (graph.inputs.length !== 1) fail('UNSUPPORTED_FORMAT', `${graph.name}: fine-tuning supports single-input models; this one has ${graph.inputs.length}`);
  const sym = new Map<number, tf.SymbolicTensor>();
  const input = tf.input({ shape: graph.tensors[graph.inputs[0]!]!.shape.slice(1), name: 'ft_input' });
  sym.set(graph.inputs[0]!, input);
  const weighted: WeightedLayer[] = [];
  graph.ops.forEach((op, i) => {
    const name = `ft_${i}`;
    if (!sym.has(op.inputs[0]!)) unsupported(graph, op, 'a first input that is a constant or comes from an op fine-tuning cannot run');
    const x = sym.get(op.inputs[0]!)!;
    const t = (id: number) => graph.tensors[id]!;
    let y: tf.SymbolicTensor;
    switch (op.kind) {
      case 'CONV_2D': {
        const o = op.options;
        const [cout, kh, kw] = t(op.inputs[1]!).shape as [number, number, number, number];
        const layer = tf.layers.conv2d({ name, filters: cout, kernelSize: [kh, kw], strides: [o.strideH, o.strideW], dilationRate: [o.dilationH, o.dilationW], padding: o.padding === 'SAME' ? 'same' : 'valid', activation: activationOf(op, o.activation), useBias: (op.inputs[2] ?? -1) >= 0 });
        y = layer.apply(x) as tf.SymbolicTensor;
        weighted.push({ op, layer });
        break;
      }
      case 'DEPTHWISE_CONV_2D': {
        const o = op.options;
        const [, kh, kw] = t(op.inputs[1]!).shape as [number, number, number, number];
        const layer = tf.layers.depthwiseConv2d({ name, kernelSize: [kh, kw], depthMultiplier: o.depthMultiplier, strides: [o.strideH, o.strideW], dilationRate: [o.dilationH, o.dilationW], padding: o.padding === 'SAME' ? 'same' : 'valid', activation: activationOf(op, o.activation), useBias: (op.inputs[2] ?? -1) >= 0 });
        y = layer.apply(x) as tf.SymbolicTensor;
        weighted.push({ op, layer });
        break;
      }
      case 'RELU':
        y = tf.layers.reLU({ name }).apply(x) as tf.SymbolicTensor;
        break;
      case 'RELU6':
        y = tf.layers.reLU({ name, maxValue: 6 }).apply(x) as tf.SymbolicTensor;
        break;
      case 'FULLY_CONNECTED': {
        if (t(op.inputs[0]!).shape.length !== 2) unsupported(graph, op, 'a FULLY_CONNECTED input of rank other than 2');
        const layer = tf.layers.dense({ name, units: t(op.inputs[1]!).shape[0]!, activation: activationOf(op, op.options.activation), useBias: (op.inputs[2] ?? -1) >= 0 });
        y = layer.apply(x) as tf.SymbolicTensor;
        weighted.push({ op, layer });
        break;
      }
      case 'MAX_POOL_2D':
      case 'AVERAGE_POOL_2D': {
        const o = op.options;
        if (o.activation !== 'NONE') unsupported(graph, op, `a fused ${o.activation} on pooling`);
        const args = { name, poolSize: [o.filterH, o.filterW] as [number, number], strides: [o.strideH, o.strideW] as [number, number], padding: o.padding === 'SAME' ? ('same' as const) : ('valid' as const) };
        y = (op.kind === 'MAX_POOL_2D' ? tf.layers.maxPooling2d(args) : tf.layers.averagePooling2d(args)).apply(x) as tf.SymbolicTensor;
        break;
      }
      case 'RESIZE_NEAREST_NEIGHBOR': {
        const [, ih, iw] = t(op.inputs[0]!).shape as number[];
        const [, oh, ow] = t(op.outputs[0]!).shape as number[];
        // For integer factors, nearest resize with or without half-pixel centres picks the same pixels.
        if (op.options.alignCorners || oh! % ih! !== 0 || ow! % iw! !== 0) unsupported(graph, op, 'a resize other than an integer-factor upsampling');
        y = tf.layers.upSampling2d({ name, size: [oh! / ih!, ow! / iw!] }).apply(x) as tf.SymbolicTensor;
        break;
      }
      case 'PAD': {
        const p = Array.from(t(op.inputs[1]!).data as Int32Array);
        if (p.length !== 8 || p[0] || p[1] || p[6] || p[7]) unsupported(graph, op, 'padding of the batch or channel axis');
        y = tf.layers.zeroPadding2d({ name, padding: [[p[2]!, p[3]!], [p[4]!, p[5]!]] }).apply(x) as tf.SymbolicTensor;
        break;
      }
      case 'RESHAPE':
        y = tf.layers.reshape({ name, targetShape: t(op.outputs[0]!).shape.slice(1) }).apply(x) as tf.SymbolicTensor;
        break;
      case 'ADD':
        if (op.options.activation !== 'NONE') unsupported(graph, op, `a fused ${op.options.activation} on ADD`);
        y = tf.layers.add({ name }).apply(op.inputs.map((id) => sym.get(id)!)) as tf.SymbolicTensor;
        break;
      case 'CONCATENATION':
        y = tf.layers.concatenate({ name, axis: op.options.axis }).apply(op.inputs.map((id) => sym.get(id)!)) as tf.SymbolicTensor;
        break;
      case 'LOGISTIC':
        y = tf.layers.activation({ name, activation: 'sigmoid' }).apply(x) as tf.SymbolicTensor;
        break;
      case 'SOFTMAX':
        y = tf.layers.softmax({ name }).apply(x) as tf.SymbolicTensor;
        break;
      default:
        return unsupported(graph, op, `${op.kind}`);
    }
    sym.set(op.outputs[0]!, y);
  });
  const model = tf.model({ inputs: input, outputs: sym.get(graph.outputs[0]!)!, name: 'finetune' });
  for (const { op, layer } of weighted) setLayerWeights(graph, op, layer);
  return { model, weighted };
}

function unsupported(graph: Graph, op: Op, what: string): never {
  return fail('UNSUPPORTED_OP', `${graph.name}: fine-tuning cannot rebuild layer '${op.name}' (${what}); it supports ${SUPPORTED.join(', ')}; drop --finetune or fine-tune in Keras`);
}

function activationOf(op: Op, a: Activation): 'linear' | 'relu' | 'relu6' {
  if (a === 'RELU_N1_TO_1') fail('UNSUPPORTED_OP', `fine-tuning cannot rebuild layer '${op.name}' with a fused RELU_N1_TO_1; drop --finetune`);
  return a === 'NONE' ? 'linear' : a === 'RELU' ? 'relu' : 'relu6';
}

/**
 * IR layouts → Keras layouts: CONV_2D OHWI → HWIO, FULLY_CONNECTED [units, in]
 * → [in, units], DEPTHWISE_CONV_2D [1, H, W, C·M] → [H, W, C, M] (the same
 * element order, so a reshape).
 */
function setLayerWeights(graph: Graph, op: Op, layer: tf.layers.Layer): void {
  const w = graph.tensors[op.inputs[1]!]!;
  const kernel = tf.tidy(() => {
    const t = tf.tensor(w.data as Float32Array, w.shape);
    if (op.kind === 'DEPTHWISE_CONV_2D') return tf.reshape(t, layer.getWeights()[0]!.shape);
    return op.kind === 'CONV_2D' ? tf.transpose(t, [1, 2, 3, 0]) : tf.transpose(t, [1, 0]);
  });
  const biasId = op.inputs[2] ?? -1;
  const values = biasId >= 0 ? [kernel, tf.tensor(graph.tensors[biasId]!.data as Float32Array)] : [kernel];
  layer.setWeights(values);
  values.forEach((v) => v.dispose());
}

function withTrainedWeights(graph: Graph, weighted: WeightedLayer[]): Graph {
  const out = cloneGraph(graph);
  for (const { op, layer } of weighted) {
    const [kernel, bias] = layer.getWeights();
    const back = tf.tidy(() => (op.kind === 'DEPTHWISE_CONV_2D' ? kernel!.clone() : op.kind === 'CONV_2D' ? tf.transpose(kernel!, [3, 0, 1, 2]) : tf.transpose(kernel!, [1, 0])));
    out.tensors[op.inputs[1]!]!.data = back.dataSync().slice() as Float32Array;
    back.dispose();
    const biasId = op.inputs[2] ?? -1;
    if (biasId >= 0 && bias) out.tensors[biasId]!.data = bias.dataSync().slice() as Float32Array;
  }
  return out;
}

/** What the projection holds for one layer's kernel. */
interface Hold {
  apply(): void;
  /** A copy of the kernel as trained so far. */
  kernel(): Float32Array;
  /** Makes the zeros of `pattern` the new mask (gradual pruning). */
  setMask(pattern: Float32Array): void;
}

/**
 * The zero mask and, after clustering, the cluster of every weight (clusters
 * are the kernel's distinct non-zero values when fine-tuning starts).
 */
function holdOf(layer: tf.layers.Layer, holdClusters: boolean): Hold {
  const read = () => layer.getWeights()[0]!.dataSync().slice() as Float32Array;
  const start = read();
  const group = new Int32Array(start.length).fill(-1);
  const ids = new Map<number, number>();
  for (let i = 0; i < start.length; i++) {
    if (start[i] === 0) continue;
    if (!holdClusters) {
      group[i] = -2;
      continue;
    }
    let g = ids.get(start[i]!);
    if (g === undefined) ids.set(start[i]!, (g = ids.size));
    group[i] = g;
  }
  return {
    kernel: read,
    setMask: (pattern) => {
      // Only reached without clusters (gradual pruning precedes clustering): -1 pruned, -2 free.
      for (let i = 0; i < pattern.length; i++) group[i] = pattern[i] === 0 ? -1 : -2;
    },
    apply: () => {
      const kernel = layer.getWeights()[0];
      const w = kernel!.dataSync().slice() as Float32Array;
      const sum = new Float64Array(ids.size);
      const count = new Float64Array(ids.size);
      for (let i = 0; i < w.length; i++) {
        const g = group[i]!;
        if (g >= 0) {
          sum[g] = sum[g]! + w[i]!;
          count[g] = count[g]! + 1;
        }
      }
      for (let i = 0; i < w.length; i++) {
        const g = group[i]!;
        if (g === -1) w[i] = 0;
        else if (g >= 0) w[i] = sum[g]! / count[g]!;
      }
      const projected = tf.tensor(w, kernel!.shape);
      // Write the kernel variable alone: re-assigning the bias to itself would free it.
      layer.weights[0]!.write(projected);
      projected.dispose();
    },
  };
}
