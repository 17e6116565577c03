import { BuiltinOperator, BuiltinOptions, TransposeConvOptions } from '../../tflite/index.js';
import type { OpCodec } from './codec.js';
import { activationFromTflite, activationToTflite, paddingFromTflite, paddingToTflite, positive } from './enums.js';
import { optionsOrDefaults } from './options-table.js';

/** TRANSPOSE_CONV: inputs [outputShape int32[4], filter [Cout, Kh, Kw, Cin], input, bias | -1]. */
export const transposeConvCodec: OpCodec<'TRANSPOSE_CONV'> = {
  kind: 'TRANSPOSE_CONV',
  builtinCode: BuiltinOperator.TRANSPOSE_CONV,
  optionsType: BuiltinOptions.TransposeConvOptions,
  inputs: [3, 4],
  writeOptions: (b, o) =>
    TransposeConvOptions.createTransposeConvOptions(b, paddingToTflite(o.padding), o.strideW, o.strideH, activationToTflite(o.activation)),
  readOptions(op, ctx) {
    const t = optionsOrDefaults(op, TransposeConvOptions);
    return {
      padding: paddingFromTflite(t.padding(), ctx),
      strideH: positive(t.strideH(), 'stride_h', ctx),
      strideW: positive(t.strideW(), 'stride_w', ctx),
      activation: activationFromTflite(t.fusedActivationFunction(), ctx),
    };
  },
};
