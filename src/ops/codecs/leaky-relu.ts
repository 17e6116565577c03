import { BuiltinOperator, BuiltinOptions, LeakyReluOptions } from '../../tflite/index.js';
import type { OpCodec } from './codec.js';
import { optionsOrDefaults } from './options-table.js';

/**
 * LEAKY_RELU (builtin 98): inputs [input]. LeakyReluOptions { alpha: float }
 * (union id 75); the schema default is 0, which is plain RELU arithmetic.
 */
export const leakyReluCodec: OpCodec<'LEAKY_RELU'> = {
  kind: 'LEAKY_RELU',
  builtinCode: BuiltinOperator.LEAKY_RELU,
  optionsType: BuiltinOptions.LeakyReluOptions,
  inputs: [1, 1],
  writeOptions: (b, o) => LeakyReluOptions.createLeakyReluOptions(b, o.alpha),
  readOptions(op, ctx) {
    const alpha = optionsOrDefaults(op, LeakyReluOptions).alpha();
    // A NaN or infinite slope has no int8 multiplier (QuantizeMultiplier) and poisons calibration.
    if (!Number.isFinite(alpha)) ctx.corrupt(`leaky relu alpha is ${alpha}`);
    return { alpha };
  },
};
