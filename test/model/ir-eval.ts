import * as tf from '@tensorflow/tfjs';
import type { Activation, Graph, Op, Tensor } from '../../src/ir/graph.js';

/**
 * An independent reading of the IR's float semantics for tests, written
 * straight from the TFLite op definitions with TF.js ops: filters are turned
 * back from OHWI into the layouts TF.js kernels take, activations clamp, and
 * RESIZE_NEAREST_NEIGHBOR honours its flags. If the lowering transposed a
 * kernel wrongly, folded a BatchNorm wrongly or lost an activation, this
 * evaluation disagrees with `model.predict`.
 */
export function evalGraphWithTfjs(graph: Graph, inputs: Float32Array[]): Float32Array[] {
  return tf.tidy(() => {
    const values = new Map<number, tf.Tensor>();
    const get = (id: number): tf.Tensor => {
      const v = values.get(id);
      if (v) return v;
      const t = graph.tensors[id]!;
      if (!t.data) throw new Error(`tensor ${t.name} has no value`);
      return t.dtype === 'int32'
        ? tf.tensor(Int32Array.from(t.data as Int32Array), t.shape, 'int32')
        : tf.tensor(t.data as Float32Array, t.shape);
    };
    graph.inputs.forEach((id, i) => values.set(id, tf.tensor(inputs[i]!, graph.tensors[id]!.shape)));
    for (const op of graph.ops) {
      const out = evalOp(op, graph, get);
      const t: Tensor = graph.tensors[op.outputs[0]!]!;
      if (out.shape.join() !== t.shape.join())
        throw new Error(`op ${op.name} (${op.kind}) gives shape [${out.shape.join(', ')}] but the IR says [${t.shape.join(', ')}]`);
      values.set(op.outputs[0]!, out);
    }
    return graph.outputs.map((id) => values.get(id)!.dataSync() as Float32Array);
  });
}

function act(x: tf.Tensor, a: Activation): tf.Tensor {
  switch (a) {
    case 'NONE':
      return x;
    case 'RELU':
      return tf.relu(x);
    case 'RELU6':
      return tf.clipByValue(x, 0, 6);
    case 'RELU_N1_TO_1':
      return tf.clipByValue(x, -1, 1);
  }
}

const pad = (p: 'SAME' | 'VALID') => (p === 'SAME' ? 'same' : 'valid');

function evalOp(op: Op, graph: Graph, get: (id: number) => tf.Tensor): tf.Tensor {
  const input = (i: number) => get(op.inputs[i]!);
  const bias = (i: number, x: tf.Tensor) => (op.inputs[i]! >= 0 ? tf.add(x, input(i)) : x);
  switch (op.kind) {
    case 'CONV_2D': {
      const o = op.options;
      const filter = tf.transpose(input(1), [1, 2, 3, 0]) as tf.Tensor4D; // OHWI → HWIO
      return act(
        bias(2, tf.conv2d(input(0) as tf.Tensor4D, filter, [o.strideH, o.strideW], pad(o.padding), 'NHWC', [o.dilationH, o.dilationW])),
        o.activation,
      );
    }
    case 'DEPTHWISE_CONV_2D': {
      const o = op.options;
      const [, kh, kw, cout] = graph.tensors[op.inputs[1]!]!.shape;
      const filter = tf.reshape<tf.Rank.R4>(input(1), [kh!, kw!, cout! / o.depthMultiplier, o.depthMultiplier]);
      return act(
        bias(
          2,
          tf.depthwiseConv2d(input(0) as tf.Tensor4D, filter, [o.strideH, o.strideW], pad(o.padding), 'NHWC', [o.dilationH, o.dilationW]),
        ),
        o.activation,
      );
    }
    case 'FULLY_CONNECTED': {
      const x = input(0);
      const w = input(1);
      const flat = tf.reshape(x, [-1, w.shape[1]!]);
      const y = act(bias(2, tf.matMul(flat, w, false, true)), op.options.activation);
      const outShape = graph.tensors[op.outputs[0]!]!.shape;
      return op.options.keepNumDims ? tf.reshape(y, [...x.shape.slice(0, -1), w.shape[0]]) : tf.reshape(y, outShape);
    }
    case 'TRANSPOSE_CONV': {
      const o = op.options;
      const shape = Array.from(graph.tensors[op.inputs[0]!]!.data as Int32Array) as [number, number, number, number];
      const filter = tf.transpose(input(1), [1, 2, 0, 3]) as tf.Tensor4D; // [out,kh,kw,in] → [kh,kw,out,in]
      return act(bias(3, tf.conv2dTranspose(input(2) as tf.Tensor4D, filter, shape, [o.strideH, o.strideW], pad(o.padding))), o.activation);
    }
    case 'MAX_POOL_2D':
    case 'AVERAGE_POOL_2D': {
      const o = op.options;
      const f = op.kind === 'MAX_POOL_2D' ? tf.maxPool : tf.avgPool;
      return act(f(input(0) as tf.Tensor4D, [o.filterH, o.filterW], [o.strideH, o.strideW], pad(o.padding)), o.activation);
    }
    case 'MEAN':
      return tf.mean(input(0), Array.from(input(1).dataSync()), op.options.keepDims);
    case 'RESIZE_NEAREST_NEIGHBOR': {
      const size = Array.from(input(1).dataSync()) as [number, number];
      return tf.image.resizeNearestNeighbor(input(0) as tf.Tensor4D, size, op.options.alignCorners, op.options.halfPixelCenters);
    }
    case 'PAD': {
      const p = input(1).arraySync() as Array<[number, number]>;
      return tf.pad(input(0), p);
    }
    case 'ADD':
      return act(tf.add(input(0), input(1)), op.options.activation);
    case 'CONCATENATION':
      return act(
        tf.concat(
          op.inputs.map((id) => get(id)),
          op.options.axis,
        ),
        op.options.activation,
      );
    case 'RESHAPE':
      return tf.reshape(input(0), Array.from(input(1).dataSync()));
    case 'SOFTMAX':
      return tf.softmax(tf.mul(input(0), op.options.beta));
    case 'LOGISTIC':
      return tf.sigmoid(input(0));
    case 'RELU':
      return tf.relu(input(0));
    case 'RELU6':
      return tf.clipByValue(input(0), 0, 6);
    case 'LEAKY_RELU':
      return tf.leakyRelu(input(0), op.options.alpha);
    default:
      throw new Error(`evalGraphWithTfjs: no float semantics for ${op.kind}`);
  }
}
