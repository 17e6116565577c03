import { BuiltinOperator, BuiltinOptions, FullyConnectedOptions, FullyConnectedOptionsWeightsFormat } from '../../tflite/index.js';
import type { OpCodec } from './codec.js';
import { activationFromTflite, activationToTflite } from './enums.js';
import { optionsOrDefaults } from './options-table.js';

/** FULLY_CONNECTED: inputs [input, weights [units, depth], bias | -1]. */
export const fullyConnectedCodec: OpCodec<'FULLY_CONNECTED'> = {
  kind: 'FULLY_CONNECTED',
  builtinCode: BuiltinOperator.FULLY_CONNECTED,
  optionsType: BuiltinOptions.FullyConnectedOptions,
  inputs: [2, 3],
  writeOptions: (b, o) =>
    FullyConnectedOptions.createFullyConnectedOptions(
      b,
      activationToTflite(o.activation),
      FullyConnectedOptionsWeightsFormat.DEFAULT,
      o.keepNumDims,
      false,
    ),
  readOptions(op, ctx) {
    const t = optionsOrDefaults(op, FullyConnectedOptions);
    // Shuffled weights are an x86-only layout; the IR assumes plain [units, depth].
    if (t.weightsFormat() !== FullyConnectedOptionsWeightsFormat.DEFAULT) {
      ctx.unsupported(
        `weights_format ${FullyConnectedOptionsWeightsFormat[t.weightsFormat()] ?? t.weightsFormat()}; only DEFAULT is supported`,
      );
    }
    // asymmetric_quantize_inputs only matters for hybrid (dynamic-range) models; the
    // reader rejects those through their float input / int8 weight mix downstream.
    return { activation: activationFromTflite(t.fusedActivationFunction(), ctx), keepNumDims: t.keepNumDims() };
  },
};
