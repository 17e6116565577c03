import { AddOptions, BuiltinOperator, BuiltinOptions } from '../../tflite/index.js';
import type { OpCodec } from './codec.js';
import { activationFromTflite, activationToTflite } from './enums.js';
import { optionsOrDefaults } from './options-table.js';

/** ADD: inputs [a, b] (broadcasting). pot_scale_int16 only matters for int16 and keeps its default. */
export const addCodec: OpCodec<'ADD'> = {
  kind: 'ADD',
  builtinCode: BuiltinOperator.ADD,
  optionsType: BuiltinOptions.AddOptions,
  inputs: [2, 2],
  writeOptions: (b, o) => AddOptions.createAddOptions(b, activationToTflite(o.activation), true),
  readOptions: (op, ctx) => ({ activation: activationFromTflite(optionsOrDefaults(op, AddOptions).fusedActivationFunction(), ctx) }),
};
