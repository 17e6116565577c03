import { BuiltinOperator, BuiltinOptions } from '../../tflite/index.js';
import type { OpCodec } from './codec.js';

/**
 * RELU and RELU6 as ops of their own: inputs [input]. The schema has no
 * options table for either, so the converter writes BuiltinOptions NONE.
 */

/** RELU (builtin 19). */
export const reluCodec: OpCodec<'RELU'> = {
  kind: 'RELU',
  builtinCode: BuiltinOperator.RELU,
  optionsType: BuiltinOptions.NONE,
  inputs: [1, 1],
  writeOptions: () => 0,
  readOptions: () => ({}),
};

/** RELU6 (builtin 21). */
export const relu6Codec: OpCodec<'RELU6'> = {
  kind: 'RELU6',
  builtinCode: BuiltinOperator.RELU6,
  optionsType: BuiltinOptions.NONE,
  inputs: [1, 1],
  writeOptions: () => 0,
  readOptions: () => ({}),
};
