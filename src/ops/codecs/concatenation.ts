import { BuiltinOperator, BuiltinOptions, ConcatenationOptions } from '../../tflite/index.js';
import type { OpCodec } from './codec.js';
import { activationFromTflite, activationToTflite } from './enums.js';
import { optionsOrDefaults } from './options-table.js';

/** CONCATENATION: inputs [x0, x1, ...]; a negative axis counts from the end, as in TFLite. */
export const concatenationCodec: OpCodec<'CONCATENATION'> = {
  kind: 'CONCATENATION',
  builtinCode: BuiltinOperator.CONCATENATION,
  optionsType: BuiltinOptions.ConcatenationOptions,
  inputs: [1, 1024],
  writeOptions: (b, o) => ConcatenationOptions.createConcatenationOptions(b, o.axis, activationToTflite(o.activation)),
  readOptions(op, ctx) {
    const t = optionsOrDefaults(op, ConcatenationOptions);
    return { axis: t.axis(), activation: activationFromTflite(t.fusedActivationFunction(), ctx) };
  },
};
