import type { Pool2DOptions as IrPool2DOptions } from '../../ir/index.js';
import { BuiltinOperator, BuiltinOptions, Pool2DOptions, type Operator } from '../../tflite/index.js';
import type { OpCodec, ReadContext } from './codec.js';
import { activationFromTflite, activationToTflite, paddingFromTflite, paddingToTflite, positive } from './enums.js';
import { optionsOrDefaults } from './options-table.js';

function writePool(b: Parameters<OpCodec<'MAX_POOL_2D'>['writeOptions']>[0], o: IrPool2DOptions): number {
  return Pool2DOptions.createPool2DOptions(
    b,
    paddingToTflite(o.padding),
    o.strideW,
    o.strideH,
    o.filterW,
    o.filterH,
    activationToTflite(o.activation),
  );
}

function readPool(op: Operator, ctx: ReadContext): IrPool2DOptions {
  const t = optionsOrDefaults(op, Pool2DOptions);
  return {
    padding: paddingFromTflite(t.padding(), ctx),
    strideH: positive(t.strideH(), 'stride_h', ctx),
    strideW: positive(t.strideW(), 'stride_w', ctx),
    filterH: positive(t.filterHeight(), 'filter_height', ctx),
    filterW: positive(t.filterWidth(), 'filter_width', ctx),
    activation: activationFromTflite(t.fusedActivationFunction(), ctx),
  };
}

/** MAX_POOL_2D: inputs [input]. */
export const maxPool2dCodec: OpCodec<'MAX_POOL_2D'> = {
  kind: 'MAX_POOL_2D',
  builtinCode: BuiltinOperator.MAX_POOL_2D,
  optionsType: BuiltinOptions.Pool2DOptions,
  inputs: [1, 1],
  writeOptions: writePool,
  readOptions: readPool,
};

/** AVERAGE_POOL_2D: inputs [input]. */
export const averagePool2dCodec: OpCodec<'AVERAGE_POOL_2D'> = {
  kind: 'AVERAGE_POOL_2D',
  builtinCode: BuiltinOperator.AVERAGE_POOL_2D,
  optionsType: BuiltinOptions.Pool2DOptions,
  inputs: [1, 1],
  writeOptions: writePool,
  readOptions: readPool,
};
