import { softmaxCodec } from './codecs/softmax.js';
import { perOutputElement } from './c-runtime.js';
import { NO_SCRATCH, type OpDescriptor } from './descriptor.js';
import { softmax as kernel } from './kernels/softmax.js';
import { perInputElementMacs } from './tflm.js';
import { int8Version } from './versions.js';
import { checkFixedOutput } from './validate/int8-params.js';
import { sameShapeAsInput } from './validate/shared-rules.js';

/** SOFTMAX: inputs [input]. */
export const softmax: OpDescriptor<'SOFTMAX'> = {
  kind: 'SOFTMAX',
  codec: softmaxCodec,
  version: int8Version(2),
  kernel,
  kernelScratch: { input: 4, output: 0, weights: 0 }, // an int32 row
  outputQuant: 'fixed-1/256',
  validate: {
    arity: [1, 1],
    shape(op, v) {
      if (v.input(0).shape.length < 1) v.fail('SHAPE_MISMATCH', 'has a scalar input; softmax runs over the last dimension');
      // The converter writes beta = 1; the int8 kernels' fixed-point rescaling assumes a positive one.
      const beta = op.options.beta;
      if (!(Number.isFinite(beta) && beta > 0)) v.fail('INVALID_GRAPH', `beta is ${beta}, must be a positive number`);
      sameShapeAsInput(v);
    },
    int8: (_op, v) => checkFixedOutput(v),
  },
  fusesActivation: false,
  passesChannelsThrough: false,
  spatiallyProportional: false,
  macs: perInputElementMacs,
  tflm: {
    resolverCall: 'AddSoftmax',
    builtinDataBytes: 4, // TfLiteSoftmaxParams
    userDataBytes: { 'tflm-reference': 72, 'tflm-cmsis-nn': 72 }, // estimate
    perChannelMultipliers: false,
    scratch: NO_SCRATCH,
    flashBytes: 3_000,
  },
  cRuntime: {
    flashBytesPerCall: 1_560,
    instructions: perOutputElement(500),
  },
  finetune: { layer: (tf, _op, _graph, name) => tf.layers.softmax({ name }) },
};
