import * as tf from '@tensorflow/tfjs';
import { assertInternal, fail } from '../../util/index.js';
import { cloneGraph, tensorSize, type Graph, type Op } from '../../ir/index.js';
import { fitAutoencoder, initBackend, type FitData } from '../../learn/index.js';
import { OP_KINDS, OPS, opOf } from '../../ops/index.js';
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
    const schedule = opts.prune
      ? fineTuneSchedule(opts.prune.sparsity, opts.epochs, Math.ceil(data.train.length / tensorSize(data.shape) / batchSize))
      : undefined;
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

/** Rebuilds the float IR as a functional TF.js model from each op's descriptor (src/ops); weighted layers carry the IR's weights. */
export function toLayersModel(graph: Graph): { model: tf.LayersModel; weighted: WeightedLayer[] } {
  if (graph.inputs.length !== 1)
    fail('UNSUPPORTED_FORMAT', `${graph.name}: fine-tuning supports single-input models; this one has ${graph.inputs.length}`);
  const sym = new Map<number, tf.SymbolicTensor>();
  const input = tf.input({ shape: graph.tensors[graph.inputs[0]!]!.shape.slice(1), name: 'ft_input' });
  sym.set(graph.inputs[0]!, input);
  const weighted: WeightedLayer[] = [];
  graph.ops.forEach((op, i) => {
    if (!sym.has(op.inputs[0]!)) unsupported(graph, op, 'a first input that is a constant or comes from an op fine-tuning cannot run');
    const how = opOf(op.kind).finetune;
    if (!how) return unsupported(graph, op, op.kind);
    const layer = how.layer(tf, op, graph, `ft_${i}`, (what) => unsupported(graph, op, what));
    const y = layer.apply(how.takesAllInputs ? op.inputs.map((id) => sym.get(id)!) : sym.get(op.inputs[0]!)!) as tf.SymbolicTensor;
    if (OPS[op.kind].weights) weighted.push({ op, layer });
    sym.set(op.outputs[0]!, y);
  });
  const model = tf.model({ inputs: input, outputs: sym.get(graph.outputs[0]!)!, name: 'finetune' });
  for (const { op, layer } of weighted) setLayerWeights(graph, op, layer);
  return { model, weighted };
}

/** The op kinds fine-tuning rebuilds, for messages. */
const SUPPORTED = OP_KINDS.filter((k) => OPS[k].finetune !== undefined);

function unsupported(graph: Graph, op: Op, what: string): never {
  return fail(
    'UNSUPPORTED_OP',
    `${graph.name}: fine-tuning cannot rebuild layer '${op.name}' (${what}); it supports ${SUPPORTED.join(', ')}; drop --finetune or fine-tune in Keras`,
  );
}

/**
 * IR layouts → Keras layouts: CONV_2D OHWI → HWIO, FULLY_CONNECTED [units, in]
 * → [in, units], DEPTHWISE_CONV_2D [1, H, W, C·M] → [H, W, C, M] (the same
 * element order, so a reshape).
 */
function setLayerWeights(graph: Graph, op: Op, layer: tf.layers.Layer): void {
  const w = graph.tensors[op.inputs[1]!]!;
  const layout = kernelLayout(op);
  const kernel = tf.tidy(() => {
    const t = tf.tensor(w.data as Float32Array, w.shape);
    return layout === 'reshape' ? tf.reshape(t, layer.getWeights()[0]!.shape) : tf.transpose(t, [...layout]);
  });
  const biasId = op.inputs[2] ?? -1;
  const values = biasId >= 0 ? [kernel, tf.tensor(graph.tensors[biasId]!.data as Float32Array)] : [kernel];
  layer.setWeights(values);
  values.forEach((v) => v.dispose());
}

function kernelLayout(op: Op): readonly number[] | 'reshape' {
  const layout = opOf(op.kind).finetune?.kernelToKeras;
  assertInternal(layout !== undefined, `op kind ${op.kind} has weights but no kernelToKeras in its descriptor`);
  return layout;
}

function inversePermutation(p: readonly number[]): number[] {
  const inv = new Array<number>(p.length);
  p.forEach((axis, i) => (inv[axis] = i));
  return inv;
}

function withTrainedWeights(graph: Graph, weighted: WeightedLayer[]): Graph {
  const out = cloneGraph(graph);
  for (const { op, layer } of weighted) {
    const [kernel, bias] = layer.getWeights();
    const layout = kernelLayout(op);
    const back = tf.tidy(() => (layout === 'reshape' ? kernel!.clone() : tf.transpose(kernel!, inversePermutation(layout))));
    out.tensors[op.inputs[1]!]!.data = back.dataSync().slice();
    back.dispose();
    const biasId = op.inputs[2] ?? -1;
    if (biasId >= 0 && bias) out.tensors[biasId]!.data = bias.dataSync().slice();
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
