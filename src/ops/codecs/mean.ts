import { BuiltinOperator, BuiltinOptions, ReducerOptions } from '../../tflite/index.js';
import type { OpCodec } from './codec.js';
import { optionsOrDefaults } from './options-table.js';

/** MEAN: inputs [input, axes int32[n]]. */
export const meanCodec: OpCodec<'MEAN'> = {
  kind: 'MEAN',
  builtinCode: BuiltinOperator.MEAN,
  optionsType: BuiltinOptions.ReducerOptions,
  inputs: [2, 2],
  writeOptions: (b, o) => ReducerOptions.createReducerOptions(b, o.keepDims),
  readOptions: (op) => ({ keepDims: optionsOrDefaults(op, ReducerOptions).keepDims() }),
};
