import { concatenationCodec } from './codecs/concatenation.js';
import { perOutputElement } from './c-runtime.js';
import { NO_KERNEL_SCRATCH, NO_SCRATCH, type OpDescriptor } from './descriptor.js';
import { concatenation as kernel } from './kernels/concatenation.js';
import { int8Version } from './versions.js';
import { paramsOf } from './validate/int8-params.js';

/** CONCATENATION: inputs [x0, x1, ...]. */
export const concatenation: OpDescriptor<'CONCATENATION'> = {
  kind: 'CONCATENATION',
  codec: concatenationCodec,
  version: int8Version(2),
  kernel,
  kernelScratch: NO_KERNEL_SCRATCH,
  outputQuant: 'same-as-all-inputs',
  validate: {
    arity: [1, 1024],
    data: 'all',
    shape(op, v) {
      const out = v.output;
      const rank = out.shape.length;
      const axis = op.options.axis < 0 ? op.options.axis + rank : op.options.axis;
      if (!(Number.isInteger(axis) && axis >= 0 && axis < rank)) {
        v.fail('SHAPE_MISMATCH', `axis ${op.options.axis} is out of range for output '${out.name}' of rank ${rank}`);
      }
      let along = 0;
      op.inputs.forEach((_, k) => {
        const t = v.input(k);
        const expected = out.shape.map((d, i) => (i === axis ? (t.shape[i] ?? 0) : d));
        v.expectShape(t, expected, `input ${k}`, `concatenation along axis ${axis} into [${out.shape.join(', ')}]`);
        along += t.shape[axis]!;
      });
      v.expectOutput(
        out.shape.map((d, i) => (i === axis ? along : d)),
        `the inputs joined along axis ${axis}`,
      );
    },
    // TFLite concatenation.cc refuses int8 inputs whose scale or zero point differ from the output's (it copies bytes).
    int8(op, v) {
      const out = paramsOf(v.output);
      op.inputs.forEach((_, k) => {
        const t = v.input(k);
        const p = paramsOf(t);
        if (p.scale !== out.scale || p.zeroPoint !== out.zeroPoint) {
          v.fail(
            'QUANTIZATION',
            `input ${k} '${t.name}' (scale ${p.scale}, zero point ${p.zeroPoint}) and output '${v.output.name}' ` +
              `(scale ${out.scale}, zero point ${out.zeroPoint}) must share quantisation params: ` +
              'the TFLite runtime copies int8 concatenation inputs',
            'quantise the inputs and the output as one group (tinypdm emit does), or re-export the model',
          );
        }
      });
    },
  },
  fusesActivation: false,
  passesChannelsThrough: false,
  spatiallyProportional: true,
  macs: () => 0,
  tflm: {
    resolverCall: 'AddConcatenation',
    builtinDataBytes: 8, // TfLiteConcatenationParams
    userDataBytes: { 'tflm-reference': 24, 'tflm-cmsis-nn': 24 }, // estimate
    perChannelMultipliers: false,
    scratch: NO_SCRATCH,
    flashBytes: 2_500,
  },
  cRuntime: {
    flashBytesPerCall: 200, // estimate: not among the one-input cases measured
    instructions: perOutputElement(10), // estimate
  },
  finetune: { layer: (tf, op, _graph, name) => tf.layers.concatenate({ name, axis: op.options.axis }), takesAllInputs: true },
};
