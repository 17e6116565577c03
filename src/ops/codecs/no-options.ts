import type { OpKind } from '../../ir/index.js';
import { BuiltinOperator, BuiltinOptions, DequantizeOptions, PadOptions, QuantizeOptions } from '../../tflite/index.js';
import type { OpCodec } from './codec.js';

type NoOptionKind = 'PAD' | 'LOGISTIC' | 'QUANTIZE' | 'DEQUANTIZE';

/** Ops whose options table is empty (or absent): only the union type is written, as the converter does. */
function noOptions<K extends NoOptionKind & OpKind>(
  kind: K,
  builtinCode: BuiltinOperator,
  optionsType: BuiltinOptions,
  create: ((b: Parameters<OpCodec<K>['writeOptions']>[0]) => number) | undefined,
  inputs: readonly [number, number],
): OpCodec<K> {
  return {
    kind,
    builtinCode,
    optionsType,
    inputs,
    writeOptions: (b) => (create ? create(b) : 0),
    readOptions: () => ({}),
  };
}

/** PAD: inputs [input, paddings int32[rank, 2]]. */
export const padCodec = noOptions('PAD', BuiltinOperator.PAD, BuiltinOptions.PadOptions, (b) => PadOptions.createPadOptions(b), [2, 2]);
/** LOGISTIC: inputs [input]; it has no options table in the schema. */
export const logisticCodec = noOptions('LOGISTIC', BuiltinOperator.LOGISTIC, BuiltinOptions.NONE, undefined, [1, 1]);
/** QUANTIZE: inputs [input] (float -> int8, or int8 requantisation). */
export const quantizeCodec = noOptions(
  'QUANTIZE',
  BuiltinOperator.QUANTIZE,
  BuiltinOptions.QuantizeOptions,
  (b) => QuantizeOptions.createQuantizeOptions(b),
  [1, 1],
);
/** DEQUANTIZE: inputs [input] (int8 -> float). */
export const dequantizeCodec = noOptions(
  'DEQUANTIZE',
  BuiltinOperator.DEQUANTIZE,
  BuiltinOptions.DequantizeOptions,
  (b) => DequantizeOptions.createDequantizeOptions(b),
  [1, 1],
);
