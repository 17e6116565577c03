import { BuiltinOperator, BuiltinOptions, SoftmaxOptions } from '../../tflite/index.js';
import type { OpCodec } from './codec.js';
import { optionsOrDefaults } from './options-table.js';

/** SOFTMAX: inputs [input]. beta's schema default is 0 (the converter always writes it). */
export const softmaxCodec: OpCodec<'SOFTMAX'> = {
  kind: 'SOFTMAX',
  builtinCode: BuiltinOperator.SOFTMAX,
  optionsType: BuiltinOptions.SoftmaxOptions,
  inputs: [1, 1],
  writeOptions: (b, o) => SoftmaxOptions.createSoftmaxOptions(b, o.beta),
  readOptions(op, ctx) {
    const beta = optionsOrDefaults(op, SoftmaxOptions).beta();
    if (!Number.isFinite(beta)) ctx.corrupt(`softmax beta is ${beta}`);
    return { beta };
  },
};
