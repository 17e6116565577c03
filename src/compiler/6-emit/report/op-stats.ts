import { isConstant, tensorBytes, tensorSize, type Graph, type Op, type Tensor } from '../../../ir/index.js';

/** What the report says about one op: the numbers users size a model by. */
export interface OpStats {
  index: number;
  name: string;
  kind: Op['kind'];
  inputShape: number[];
  outputShape: number[];
  /** Weight and bias elements. */
  params: number;
  /** Bytes of the op's constants as stored (int8 weights, int32 bias, ...). */
  paramBytes: number;
  macs: number;
  outputQuant?: { scale: number; zeroPoint: number };
  weightScales?: { min: number; max: number; channels: number };
}

/** Multiply-accumulates per inference, counted the way TFLM's loops run them. */
export function opMacs(op: Op, tensors: Tensor[]): number {
  const out = tensors[op.outputs[0]!]!;
  const input = tensors[op.inputs[0]!]!;
  switch (op.kind) {
    case 'CONV_2D': {
      const [, kh, kw, cin] = tensors[op.inputs[1]!]!.shape as [number, number, number, number];
      return tensorSize(out.shape) * kh * kw * cin;
    }
    case 'DEPTHWISE_CONV_2D': {
      const [, kh, kw] = tensors[op.inputs[1]!]!.shape as [number, number, number, number];
      return tensorSize(out.shape) * kh * kw;
    }
    case 'FULLY_CONNECTED':
      return tensorSize(tensors[op.inputs[1]!]!.shape);
    case 'TRANSPOSE_CONV': {
      const [, kh, kw, cin] = tensors[op.inputs[1]!]!.shape as [number, number, number, number];
      const x = tensors[op.inputs[2]!]!;
      return tensorSize(x.shape.slice(0, 3)) * kh * kw * cin * tensors[op.inputs[1]!]!.shape[0]!;
    }
    case 'AVERAGE_POOL_2D':
    case 'MAX_POOL_2D':
      return tensorSize(out.shape) * op.options.filterH * op.options.filterW;
    case 'MEAN':
    case 'ADD':
    case 'SOFTMAX':
    case 'LOGISTIC':
    case 'RELU': // int8 RELU requantises: one multiply per element (RELU6 only clamps)
      return tensorSize(input.shape);
    default:
      return 0;
  }
}

const WEIGHTED = new Set<Op['kind']>(['CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED', 'TRANSPOSE_CONV']);

/** Weights and biases; int32 shape operands (sizes, paddings, axes) are not parameters. */
function isParameter(t: Tensor): boolean {
  return isConstant(t) && !(t.dtype === 'int32' && t.quant === undefined);
}

export function opStats(graph: Graph): OpStats[] {
  return graph.ops.map((op, index) => {
    const consts = op.inputs.filter((i) => i >= 0).map((i) => graph.tensors[i]!).filter(isParameter);
    const weights = WEIGHTED.has(op.kind) ? graph.tensors[op.inputs[1]!] : undefined;
    const out = graph.tensors[op.outputs[0]!]!;
    const dataIn = graph.tensors[op.kind === 'TRANSPOSE_CONV' ? op.inputs[2]! : op.inputs[0]!]!;
    const s: OpStats = {
      index,
      name: op.name,
      kind: op.kind,
      inputShape: dataIn.shape,
      outputShape: out.shape,
      params: consts.reduce((a, t) => a + tensorSize(t.shape), 0),
      paramBytes: consts.reduce((a, t) => a + tensorBytes(t), 0),
      macs: opMacs(op, graph.tensors),
    };
    if (out.quant) s.outputQuant = { scale: out.quant.scale[0]!, zeroPoint: out.quant.zeroPoint[0]! };
    if (weights?.quant) {
      s.weightScales = { min: Math.min(...weights.quant.scale), max: Math.max(...weights.quant.scale), channels: weights.quant.scale.length };
    }
    return s;
  });
}
