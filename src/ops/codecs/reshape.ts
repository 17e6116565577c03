import { BuiltinOperator, BuiltinOptions, ReshapeOptions } from '../../tflite/index.js';
import type { OpCodec } from './codec.js';

/**
 * RESHAPE: inputs [input, newShape int32[rank]]. The shape operand is the
 * truth; like the converter we also write new_shape (= the output shape) for
 * runtimes that read the option. The reader ignores the option.
 */
export const reshapeCodec: OpCodec<'RESHAPE'> = {
  kind: 'RESHAPE',
  builtinCode: BuiltinOperator.RESHAPE,
  optionsType: BuiltinOptions.ReshapeOptions,
  inputs: [2, 2],
  writeOptions(b, _o, { graph, op }) {
    const out = graph.tensors[op.outputs[0]!]!;
    return ReshapeOptions.createReshapeOptions(b, ReshapeOptions.createNewShapeVector(b, out.shape));
  },
  readOptions: () => ({}),
};
