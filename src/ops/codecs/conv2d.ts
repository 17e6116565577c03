import { BuiltinOperator, BuiltinOptions, Conv2DOptions } from '../../tflite/index.js';
import type { OpCodec } from './codec.js';
import { activationFromTflite, activationToTflite, paddingFromTflite, paddingToTflite, positive } from './enums.js';
import { optionsOrDefaults } from './options-table.js';

/** CONV_2D: inputs [input, filter OHWI, bias | -1]. */
export const conv2dCodec: OpCodec<'CONV_2D'> = {
  kind: 'CONV_2D',
  builtinCode: BuiltinOperator.CONV_2D,
  optionsType: BuiltinOptions.Conv2DOptions,
  inputs: [2, 3],
  writeOptions: (b, o) =>
    Conv2DOptions.createConv2DOptions(
      b,
      paddingToTflite(o.padding),
      o.strideW,
      o.strideH,
      activationToTflite(o.activation),
      o.dilationW,
      o.dilationH,
    ),
  readOptions(op, ctx) {
    const t = optionsOrDefaults(op, Conv2DOptions);
    return {
      padding: paddingFromTflite(t.padding(), ctx),
      strideH: positive(t.strideH(), 'stride_h', ctx),
      strideW: positive(t.strideW(), 'stride_w', ctx),
      dilationH: positive(t.dilationHFactor(), 'dilation_h_factor', ctx),
      dilationW: positive(t.dilationWFactor(), 'dilation_w_factor', ctx),
      activation: activationFromTflite(t.fusedActivationFunction(), ctx),
    };
  },
};
