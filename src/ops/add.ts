import { addCodec } from './codecs/add.js';
import { perOutputElement } from './c-runtime.js';
import { NO_SCRATCH, type OpDescriptor } from './descriptor.js';
import { add as kernel } from './kernels/add.js';
import { perInputElementMacs } from './tflm.js';
import { int8Version } from './versions.js';
import { checkAddOutputScale } from './validate/int8-params.js';

/** ADD: inputs [a, b] (broadcasting). */
export const add: OpDescriptor<'ADD'> = {
  kind: 'ADD',
  codec: addCodec,
  version: int8Version(2),
  kernel,
  kernelScratch: { input: 0, output: 8, weights: 0 }, // two int32 index tables over the output
  outputQuant: 'calibrated',
  validate: {
    arity: [2, 2],
    data: [0, 1],
    shape(_op, v) {
      const a = v.input(0).shape;
      const b = v.input(1).shape;
      const rank = Math.max(a.length, b.length);
      const out: number[] = [];
      for (let i = 0; i < rank; i++) {
        const da = a[a.length - rank + i] ?? 1;
        const db = b[b.length - rank + i] ?? 1;
        if (da !== db && da !== 1 && db !== 1) {
          v.fail(
            'SHAPE_MISMATCH',
            `inputs '${v.input(0).name}' [${a.join(', ')}] and '${v.input(1).name}' [${b.join(', ')}] do not broadcast (dimension ${i} of the aligned shapes: ` +
              `${da} vs ${db})`,
          );
        }
        out.push(da === 1 ? db : da);
      }
      v.expectOutput(out, 'broadcasting the two inputs');
    },
    int8: (_op, v) => checkAddOutputScale(v),
  },
  fusesActivation: true,
  passesChannelsThrough: false,
  spatiallyProportional: true,
  macs: perInputElementMacs,
  tflm: {
    resolverCall: 'AddAdd',
    builtinDataBytes: 8, // TfLiteAddParams
    userDataBytes: { 'tflm-reference': 64, 'tflm-cmsis-nn': 64 }, // estimate
    perChannelMultipliers: false,
    scratch: NO_SCRATCH,
    flashBytes: 4_000,
  },
  cRuntime: {
    flashBytesPerCall: 400, // estimate: not among the one-input cases measured
    instructions: perOutputElement(60), // estimate
  },
  finetune: {
    layer: (tf, op, _graph, name, refuse) => {
      if (op.options.activation !== 'NONE') refuse(`a fused ${op.options.activation} on ADD`);
      return tf.layers.add({ name });
    },
    takesAllInputs: true,
  },
};
