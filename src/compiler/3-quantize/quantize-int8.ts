import { fail } from '../../util/index.js';
import { GraphBuilder } from '../../ir/index.js';
import { isConstant, type Graph, type QuantParams, type Tensor } from '../../ir/index.js';
import { OPS } from '../../ops/index.js';
import type { Range, RangeTable } from './calibrate.js';

/**
 * Full-integer post-training quantisation following the TFLite int8 spec
 * (https://www.tensorflow.org/lite/performance/quantization_spec):
 *  - weights: symmetric int8 in [-127, 127], per output channel for convs,
 *    per tensor for FULLY_CONNECTED (the Arduino TFLM library's FC kernel is
 *    per-tensor only: kernels/fully_connected.cc in Arduino_TensorFlowLite 2.4.0-ALPHA);
 *  - biases: int32 with scale input_scale * weight_scale[c], zero point 0;
 *  - activations: asymmetric int8 per tensor from calibrated min/max;
 *  - ops whose int8 kernels require equal input/output params (pooling,
 *    resize, reshape, pad, concatenation, and RELU6: TFLM's clamps without
 *    requantising) share one range across the group; a standalone RELU
 *    requantises, so its output keeps its own calibrated range;
 *  - SOFTMAX and LOGISTIC outputs are fixed at scale 1/256, zero point -128.
 */
export interface QuantizeOptions {
  ranges: RangeTable;
  /** 'int8' keeps int8 model I/O; 'float' adds QUANTIZE/DEQUANTIZE at the edges. */
  io: 'int8' | 'float';
  /** Pins the input's params, e.g. to the front-end's fixed [0, 1] → int8 mapping. */
  inputQuant?: { scale: number; zeroPoint: number };
  /**
   * Weight tensors (by id) whose output channels all get the layer's one
   * scale, still stored per channel. For clustered weights: per-channel
   * scales would map one shared centroid to a different int8 code in every
   * channel, so a layer's K values would become up to K × channels codes and
   * compress far worse; one scale keeps them K codes for the whole layer.
   */
  sharedScaleWeights?: ReadonlySet<number>;
}

export function quantizeInt8(graph: Graph, opts: QuantizeOptions): Graph {
  if (graph.tensors.some((t) => t.dtype === 'int8' && !isConstant(t))) {
    fail('QUANTIZATION', `${graph.name}: the model is already quantised; pass it through without --calib`);
  }
  const activationParams = solveActivationParams(graph, opts);
  const b = new GraphBuilder(graph.name);
  const idMap = new Map<number, number>();

  for (const t of graph.tensors) {
    if (isConstant(t)) continue;
    const q = activationParams.get(t.id)!;
    idMap.set(t.id, b.addTensor(t.name, t.shape, 'int8', undefined, { scale: [q.scale], zeroPoint: [q.zeroPoint], axis: 0 }));
  }
  // Constants are quantised per consuming op, so a weight tensor gets its
  // weights' params and a bias its input_scale * weight_scale params.
  const weightScales = new Map<number, number[]>();
  for (const op of graph.ops) {
    const w = OPS[op.kind].weights;
    if (!w) continue;
    const filter = graph.tensors[op.inputs[w.slot]!]!;
    const inScale = activationParams.get(op.inputs[w.dataSlot]!)!.scale;
    if (!idMap.has(filter.id)) {
      const zeroChannelScale = zeroWeightScale(inScale, activationParams.get(op.outputs[0]!)!.scale);
      const axis = w.perChannelQuant ? w.outputChannelAxis : 'per-tensor';
      const { data, quant } = quantizeWeights(filter, axis, opts.sharedScaleWeights?.has(filter.id) ?? false, zeroChannelScale);
      idMap.set(filter.id, b.addConst(filter.name, filter.shape, data, 'int8', quant));
    }
    weightScales.set(op.inputs[w.slot]!, b.tensor(idMap.get(filter.id)!).quant!.scale);
    const biasId = op.inputs[w.biasSlot] ?? -1;
    if (biasId >= 0 && !idMap.has(biasId)) {
      const bias = graph.tensors[biasId]!;
      // Per-tensor weights get a per-tensor bias (one scale): the TFLite runtime reads a bias with several
      // scales as having scale 0 and then refuses a FULLY_CONNECTED (kernel_util.cc, GetQuantizedConvolutionMultipler).
      const scales = weightScales.get(op.inputs[w.slot]!)!.map((s) => inScale * s);
      const data = quantizeBias(bias, broadcast(scales, bias.shape[0]!), op.name);
      idMap.set(biasId, b.addConst(bias.name, bias.shape, data, 'int32', { scale: scales, zeroPoint: scales.map(() => 0), axis: 0 }));
    }
  }
  for (const t of graph.tensors) {
    if (idMap.has(t.id)) continue;
    if (t.dtype === 'float32') {
      fail(
        'QUANTIZATION',
        `${graph.name}: constant '${t.name}' is float but no int8 kernel consumes it as weights; this op cannot be quantised`,
      );
    }
    idMap.set(t.id, b.addConst(t.name, t.shape, t.data!, t.dtype, t.quant));
  }

  const remap = (id: number) => (id < 0 ? id : idMap.get(id)!);
  for (const op of graph.ops) b.addOp(op.kind, op.name, op.inputs.map(remap), op.outputs.map(remap), op.options);
  b.inputs = graph.inputs.map(remap);
  b.outputs = graph.outputs.map(remap);

  if (opts.io === 'float') addFloatEdges(b, graph);
  return b.build();
}

/** QUANTIZE before every input and DEQUANTIZE after every output. */
function addFloatEdges(b: GraphBuilder, source: Graph): void {
  const newInputs = b.inputs.map((q, i) => {
    const f = b.addTensor(`${source.tensors[source.inputs[i]!]!.name}_float`, b.tensor(q).shape, 'float32');
    b.ops.unshift({ kind: 'QUANTIZE', name: 'quantize_input', inputs: [f], outputs: [q], options: {} });
    return f;
  });
  const newOutputs = b.outputs.map((q, i) => {
    const f = b.addTensor(`${source.tensors[source.outputs[i]!]!.name}_float`, b.tensor(q).shape, 'float32');
    b.addOp('DEQUANTIZE', 'dequantize_output', [q], [f], {});
    return f;
  });
  b.inputs = newInputs;
  b.outputs = newOutputs;
}

interface ActParams {
  scale: number;
  zeroPoint: number;
}

/** Groups tensors that must share params (union-find), then derives params per group. */
function solveActivationParams(graph: Graph, opts: QuantizeOptions): Map<number, ActParams> {
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    let r = x;
    while (parent.get(r) !== undefined && parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  const union = (a: number, c: number) => parent.set(find(a), find(c));
  const fixed = new Map<number, ActParams>();

  for (const t of graph.tensors) if (!isConstant(t)) parent.set(t.id, t.id);
  for (const op of graph.ops) {
    const rule = OPS[op.kind].outputQuant;
    if (rule === 'same-as-input' || rule === 'same-as-all-inputs') {
      const dataInputs = rule === 'same-as-all-inputs' ? op.inputs : [op.inputs[0]!];
      for (const i of dataInputs) if (!isConstant(graph.tensors[i]!)) union(i, op.outputs[0]!);
    }
    if (rule === 'fixed-1/256') fixed.set(op.outputs[0]!, { scale: 1 / 256, zeroPoint: -128 });
  }
  if (opts.inputQuant) fixed.set(graph.inputs[0]!, { ...opts.inputQuant });

  const groupRange = new Map<number, Range>();
  const groupFixed = new Map<number, ActParams>();
  for (const id of parent.keys()) {
    const root = find(id);
    const r = opts.ranges.get(id);
    if (!r) fail('MISSING_CALIBRATION', `${graph.name}: no calibration range for tensor '${graph.tensors[id]!.name}'`);
    const g = groupRange.get(root);
    groupRange.set(root, g ? { min: Math.min(g.min, r.min), max: Math.max(g.max, r.max) } : { ...r });
    const f = fixed.get(id);
    if (f) {
      const prev = groupFixed.get(root);
      if (prev && (prev.scale !== f.scale || prev.zeroPoint !== f.zeroPoint)) {
        fail(
          'QUANTIZATION',
          `${graph.name}: tensor '${graph.tensors[id]!.name}' needs two different fixed quantisations; this graph cannot be int8-quantised`,
        );
      }
      groupFixed.set(root, f);
    }
  }
  const out = new Map<number, ActParams>();
  for (const id of parent.keys()) {
    const root = find(id);
    out.set(id, groupFixed.get(root) ?? paramsFromRange(groupRange.get(root)!));
  }
  return out;
}

/**
 * Asymmetric int8 params with TFLite's zero-point nudging: the range is
 * widened to include 0 and the zero point is rounded onto the integer grid.
 */
export function paramsFromRange(range: Range): ActParams {
  const min = Math.min(range.min, 0);
  const max = Math.max(range.max, 0);
  // A tensor that is always 0 (e.g. a dead ReLU) can take any scale; pick [0, 1].
  const span = max - min > 1e-9 ? max - min : 1;
  const scale = span / 255;
  const zeroFromMin = -128 - min / scale;
  const zeroPoint = Math.max(-128, Math.min(127, Math.round(zeroFromMin)));
  return { scale, zeroPoint };
}

/**
 * The scale of an all-zero weight channel. Its int8 values are 0 whatever the
 * scale, so the scale only sets the bias's resolution (bias scale = input
 * scale × weight scale) and the output multiplier M = input scale × weight
 * scale / output scale. Choosing M = 1/2 stores the bias in half output LSBs,
 * finer than the output can show, with a multiplier that needs no left shift
 * (TFLM's MultiplyByQuantizedMultiplier shifts left for M ≥ 1, which can
 * overflow int32) and lies inside XNNPACK's accepted [2^-32, 256). A fixed
 * scale such as 1 could make M large (bias precision of many output LSBs) or,
 * for a FULLY_CONNECTED, break the runtime's bias-scale check.
 */
function zeroWeightScale(inScale: number, outScale: number): number {
  const s = outScale / (2 * inScale);
  const f = Math.fround(s);
  return Number.isFinite(f) && f > 0 ? s : 1;
}

function quantizeWeights(
  t: Tensor,
  axis: number | 'per-tensor',
  shared: boolean,
  zeroChannelScale: number,
): { data: Int8Array; quant: QuantParams } {
  const w = t.data as Float32Array;
  const channels = axis === 'per-tensor' ? 1 : t.shape[axis]!;
  const inner = axis === 'per-tensor' ? 1 : t.shape.slice(axis + 1).reduce((a, c) => a * c, 1);
  const channelOf = (i: number) => (axis === 'per-tensor' ? 0 : Math.floor(i / inner) % channels);
  const maxAbs = new Float64Array(channels);
  for (let i = 0; i < w.length; i++) maxAbs[channelOf(i)] = Math.max(maxAbs[channelOf(i)]!, Math.abs(w[i]!));
  if (shared) maxAbs.fill(Math.max(...maxAbs));
  const scales = Array.from(maxAbs, (m) => (m > 0 ? m / 127 : zeroChannelScale));
  const data = new Int8Array(w.length);
  for (let i = 0; i < w.length; i++) {
    const q = roundHalfAwayFromZero(w[i]! / scales[channelOf(i)]!);
    data[i] = Math.max(-127, Math.min(127, q));
  }
  return { data, quant: { scale: scales, zeroPoint: scales.map(() => 0), axis: axis === 'per-tensor' ? 0 : axis } };
}

/**
 * int32 biases at scale input_scale × weight_scale[c] (TFLite int8 spec).
 * A bias that does not fit int32 is refused, not clamped: clamping would shift
 * that channel's output for every input, silently. TFLite's converter instead
 * raises the weight scale until the bias fits (AdjustWeightsForBiasScale); for
 * such a bias that coarsens the weights until most or all of them become 0, so
 * the layer would keep little of its input, also silently. A bias this large
 * (over 2^31 products of an input LSB and a weight LSB) points at a diverged
 * training or a damaged file, which the user should see.
 */
function quantizeBias(t: Tensor, scales: number[], layer: string): Int32Array {
  const b = t.data as Float32Array;
  const out = new Int32Array(b.length);
  for (let i = 0; i < b.length; i++) {
    const q = roundHalfAwayFromZero(b[i]! / scales[i]!);
    if (!(Math.abs(q) <= 2147483647)) {
      fail(
        'QUANTIZATION',
        `layer '${layer}': bias '${t.name}' [${i}] = ${b[i]} does not fit int32 at its scale ` +
          `input_scale × weight_scale = ${scales[i]!.toPrecision(4)} ` +
          `(|bias| must stay below ${(2147483647 * scales[i]!).toPrecision(4)}); clamping it would change the layer's output. ` +
          'Such a bias outweighs every weight by over 2^31 steps: check the model for a diverged training or a damaged file, and retrain',
      );
    }
    out[i] = q;
  }
  return out;
}

function broadcast(scales: number[], n: number): number[] {
  return scales.length === n ? scales : Array.from({ length: n }, () => scales[0]!);
}

function roundHalfAwayFromZero(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}
