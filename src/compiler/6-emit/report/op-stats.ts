import { isConstant, tensorBytes, tensorSize, type Graph, type Op, type Tensor } from '../../../ir/index.js';
import { OPS, opOf } from '../../../ops/index.js';

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

/** Multiply-accumulates per inference, counted the way TFLM's loops run them (each op's rule is in its descriptor). */
export function opMacs(op: Op, tensors: Tensor[]): number {
  return opOf(op.kind).macs(op, tensors);
}

/** Weights and biases; int32 shape operands (sizes, paddings, axes) are not parameters. */
function isParameter(t: Tensor): boolean {
  return isConstant(t) && !(t.dtype === 'int32' && t.quant === undefined);
}

export function opStats(graph: Graph): OpStats[] {
  return graph.ops.map((op, index) => {
    const consts = op.inputs
      .filter((i) => i >= 0)
      .map((i) => graph.tensors[i]!)
      .filter(isParameter);
    const slot = OPS[op.kind].weights?.slot;
    const weights = slot === undefined ? undefined : graph.tensors[op.inputs[slot]!];
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
      s.weightScales = {
        min: Math.min(...weights.quant.scale),
        max: Math.max(...weights.quant.scale),
        channels: weights.quant.scale.length,
      };
    }
    return s;
  });
}
