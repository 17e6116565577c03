import { fail } from '../../../util/index.js';
import type { GraphBuilder } from '../../../ir/index.js';
import type { Activation, Op, OpKind, OpOptionsByKind } from '../../../ir/index.js';
import { OPS } from '../../../ops/index.js';
import type { KerasActivation } from './activation.js';
import type { FlatLayer } from './flatten.js';
import type { NamedWeight, WeightStore } from './weights.js';

/**
 * What a layer lowering sees: its inputs as IR tensors, its weights by name,
 * and helpers to add tensors and ops. Every tensor gets a name derived from its
 * layer so reports and TFLite files stay readable.
 */
export class LoweringContext {
  constructor(
    readonly builder: GraphBuilder,
    private readonly weights: WeightStore,
    private readonly tensorOf: (ref: string) => number,
    /** Consumers of a ref (after removed layers are looked through); graph outputs count as one. */
    private readonly consumersOf: (ref: string) => number,
  ) {}

  inputs(layer: FlatLayer): number[] {
    return layer.inputs.map(this.tensorOf);
  }

  /** The single input of a one-input layer. */
  input(layer: FlatLayer): number {
    if (layer.inputs.length !== 1) {
      fail('NOT_A_MODEL', `layer '${layer.name}' (${layer.config.className}) takes one input but is called with ${layer.inputs.length}`);
    }
    return this.tensorOf(layer.inputs[0]!);
  }

  shape(id: number): number[] {
    return this.builder.tensor(id).shape;
  }

  weight(layer: FlatLayer, name: string, shape?: readonly number[]): NamedWeight {
    return this.weights.require(layer.scope, layer.name, layer.config.className, name, shape);
  }

  constF32(name: string, shape: number[], data: Float32Array): number {
    return this.builder.addConst(name, shape, data, 'float32');
  }

  constI32(name: string, values: number[], shape: number[] = [values.length]): number {
    return this.builder.addConst(name, shape, Int32Array.from(values), 'int32');
  }

  activation(name: string, shape: number[]): number {
    return this.builder.addTensor(name, shape, 'float32');
  }

  op<K extends OpKind>(kind: K, layer: FlatLayer, inputs: number[], outputs: number[], options: OpOptionsByKind[K]): void {
    this.builder.addOp(kind, layer.name, inputs, outputs, options);
  }

  /**
   * The output tensor of an op that may be followed by SOFTMAX / LOGISTIC:
   * without a follow-up op it is the layer's output and takes the layer's name.
   */
  opOutput(layer: FlatLayer, shape: number[], act: KerasActivation): number {
    return this.activation(act.then ? `${layer.name}/linear` : layer.name, shape);
  }

  /** Adds the SOFTMAX / LOGISTIC op a Keras activation needs after its op. */
  finishActivation(layer: FlatLayer, id: number, act: KerasActivation): number {
    if (!act.then) return id;
    const out = this.activation(layer.name, this.shape(id));
    if (act.then === 'SOFTMAX') this.op('SOFTMAX', layer, [id], [out], { beta: 1 });
    else this.op('LOGISTIC', layer, [id], [out], {});
    return out;
  }

  /**
   * Applies a ReLU / ReLU6 to `id`: folded into the op producing it when that
   * op can carry it (fusable kind, no activation yet, no other consumer), else
   * as a RELU / RELU6 op of its own, which costs one more activation tensor.
   */
  fuseActivation(layer: FlatLayer, id: number, act: Activation): number {
    if (act === 'NONE') return id;
    const producer = this.producerOf(id);
    const canFuse =
      producer !== undefined &&
      OPS[producer.kind].fusesActivation &&
      (producer.options as { activation: Activation }).activation === 'NONE' &&
      this.consumersOf(layer.inputs[0]!) === 1;
    if (!canFuse) return this.activationOp(layer, id, act, layer.name);
    (producer.options as { activation: Activation }).activation = act;
    return id;
  }

  /**
   * A standalone RELU / RELU6 op on `id`, its output named `outName`. Only
   * these two have ops; RELU_N1_TO_1 exists only as a fused activation here.
   */
  activationOp(layer: FlatLayer, id: number, act: Activation, outName: string): number {
    if (act === 'NONE') return id;
    if (act !== 'RELU' && act !== 'RELU6') {
      fail(
        'UNSUPPORTED_LAYER',
        `layer '${layer.name}' (${layer.config.className}): activation ${act} cannot stand alone; supported standalone activations: RELU, RELU6`,
      );
    }
    const out = this.activation(outName, this.shape(id));
    this.op(act, layer, [id], [out], {});
    return out;
  }

  /**
   * Folds y = x * scale + shift (per output channel) into the filter and bias
   * of the Conv2D / DepthwiseConv2D / Dense producing `id`.
   */
  foldChannelAffine(layer: FlatLayer, id: number, scale: Float32Array, shift: Float32Array): number {
    const producer = this.producerOf(id);
    const w = producer ? OPS[producer.kind].weights : undefined;
    const axis = w?.foldsBatchNorm ? w.outputChannelAxis : undefined;
    const why =
      !producer || axis === undefined
        ? `it must directly follow a Conv2D, DepthwiseConv2D or Dense layer${producer ? `, not '${producer.name}' (${producer.kind})` : ''}`
        : (producer.options as { activation: Activation }).activation !== 'NONE'
          ? `'${producer.name}' applies ${(producer.options as { activation: Activation }).activation} before it`
          : this.consumersOf(layer.inputs[0]!) !== 1
            ? `the output of '${producer.name}' also feeds other layers`
            : undefined;
    if (why !== undefined || !producer || axis === undefined) {
      fail(
        'UNSUPPORTED_LAYER',
        `layer '${layer.name}' (${layer.config.className}) cannot be folded: ${why}; move it right after a Conv2D/DepthwiseConv2D/Dense whose activation is 'linear'`,
      );
    }
    const filter = this.builder.tensor(producer.inputs[1]!);
    const channels = filter.shape[axis]!;
    if (channels !== scale.length) {
      fail(
        'SHAPE_MISMATCH',
        `layer '${layer.name}' (${layer.config.className}) has ${scale.length} channels but '${producer.name}' produces ${channels}`,
      );
    }
    filter.data = scaleAlongAxis(filter.data as Float32Array, filter.shape, axis, scale);
    const oldBias = producer.inputs[2]! >= 0 ? (this.builder.tensor(producer.inputs[2]!).data as Float32Array) : new Float32Array(channels);
    const bias = oldBias.map((b, c) => b * scale[c]! + shift[c]!);
    if (producer.inputs[2]! >= 0) this.builder.tensor(producer.inputs[2]!).data = bias;
    else producer.inputs[2] = this.constF32(`${producer.name}/bias`, [channels], bias);
    return id;
  }

  private producerOf(id: number): Op | undefined {
    return this.builder.ops.find((op) => op.outputs.includes(id));
  }
}

function scaleAlongAxis(data: Float32Array, shape: number[], axis: number, scale: Float32Array): Float32Array {
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const n = shape[axis]!;
  return data.map((v, i) => v * scale[Math.floor(i / inner) % n]!);
}
