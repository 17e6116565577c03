import { BuiltinOperator, BuiltinOptions, DepthwiseConv2DOptions } from '../../tflite/index.js';
import type { OpCodec } from './codec.js';
import { activationFromTflite, activationToTflite, paddingFromTflite, paddingToTflite, positive } from './enums.js';
import { optionsOrDefaults } from './options-table.js';

/** DEPTHWISE_CONV_2D: inputs [input, filter [1, Kh, Kw, Cin*multiplier], bias | -1]. */
export const depthwiseConv2dCodec: OpCodec<'DEPTHWISE_CONV_2D'> = {
  kind: 'DEPTHWISE_CONV_2D',
  builtinCode: BuiltinOperator.DEPTHWISE_CONV_2D,
  optionsType: BuiltinOptions.DepthwiseConv2DOptions,
  inputs: [2, 3],
  writeOptions: (b, o) =>
    DepthwiseConv2DOptions.createDepthwiseConv2DOptions(
      b,
      paddingToTflite(o.padding),
      o.strideW,
      o.strideH,
      o.depthMultiplier,
      activationToTflite(o.activation),
      o.dilationW,
      o.dilationH,
    ),
  readOptions(op, ctx) {
    const t = optionsOrDefaults(op, DepthwiseConv2DOptions);
    // depth_multiplier is redundant in the schema (derivable from shapes) but
    // older kernels read it, so it must be a sane count.
    if (t.depthMultiplier() < 0) ctx.corrupt(`depth_multiplier is ${t.depthMultiplier()}`);
    return {
      padding: paddingFromTflite(t.padding(), ctx),
      strideH: positive(t.strideH(), 'stride_h', ctx),
      strideW: positive(t.strideW(), 'stride_w', ctx),
      dilationH: positive(t.dilationHFactor(), 'dilation_h_factor', ctx),
      dilationW: positive(t.dilationWFactor(), 'dilation_w_factor', ctx),
      depthMultiplier: t.depthMultiplier(),
      activation: activationFromTflite(t.fusedActivationFunction(), ctx),
    };
  },
};
