import { leakyReluCodec } from './codecs/leaky-relu.js';
import { perOutputElement } from './c-runtime.js';
import { NO_KERNEL_SCRATCH, NO_SCRATCH, type OpDescriptor } from './descriptor.js';
import { leakyRelu as kernel } from './kernels/leaky-relu.js';
import { perInputElementMacs } from './tflm.js';
import { sameShapeAsInput } from './validate/shared-rules.js';

/**
 * LEAKY_RELU: inputs [input]; options { alpha }. Keras' LeakyReLU layer (and
 * ReLU with a negative_slope alone) lowers to it; it has no fused form.
 */
export const leakyRelu: OpDescriptor<'LEAKY_RELU'> = {
  kind: 'LEAKY_RELU',
  codec: leakyReluCodec,
  // op_version.cc: version 2 only for int16 input; float32 and int8 are version 1.
  // (The older post-training quantiser, tools/optimize/operator_property.cc, wrote 2 for int8 too; both run.)
  version: (op, graph) => (graph.tensors[op.inputs[0] ?? -1]?.dtype === 'int16' ? 2 : 1),
  kernel,
  kernelScratch: NO_KERNEL_SCRATCH,
  // Both int8 branches requantise to the output's own params (leaky_relu_common.cc), so it keeps its calibrated range.
  outputQuant: 'calibrated',
  validate: {
    arity: [1, 1],
    shape(op, v) {
      // The codec refuses a non-finite alpha in a file; a graph built in memory is checked here.
      if (!Number.isFinite(op.options.alpha)) v.fail('INVALID_GRAPH', `alpha is ${op.options.alpha}, must be a finite number`);
      sameShapeAsInput(v);
    },
  },
  fusesActivation: false,
  // Elementwise: output channel c is f(input channel c), with no weights; a removed filter just passes through.
  passesChannelsThrough: true,
  // Elementwise, output shape = input shape: rescaling the input's height and width rescales it the same way.
  spatiallyProportional: true,
  // One requantising multiply per element (identity or alpha branch).
  macs: perInputElementMacs,
  tflm: {
    resolverCall: 'AddLeakyRelu',
    builtinDataBytes: 4, // counted: TfLiteLeakyReluParams { float alpha } (c/builtin_op_data.h)
    // counted: LeakyReluOpData (micro/kernels/leaky_relu.h), 6 int32: two multipliers, two shifts, two zero points.
    // tflite-micro has no CMSIS-NN LEAKY_RELU, so the CMSIS-NN build links the reference kernel too.
    userDataBytes: { 'tflm-reference': 24, 'tflm-cmsis-nn': 24 },
    perChannelMultipliers: false,
    scratch: NO_SCRATCH,
    flashBytes: 1_500, // estimate: Init/Prepare/Eval with the float, int8 and int16 loops
  },
  cRuntime: {
    flashBytesPerCall: 192,
    instructions: perOutputElement(22),
  },
  finetune: { layer: (tf, op, _graph, name) => tf.layers.leakyReLU({ name, alpha: op.options.alpha }) },
  // Measured: when in_s/out_s and in_s·alpha/out_s both lie in [1/256, 128], tfjs-tflite hands the op to XNNPACK,
  // 72-98 % identical to TFLM's arithmetic (within 1 LSB) on the leaky-relu test fixture; outside that range
  // TFLite's builtin kernel runs and agrees with ours exactly (test/runtime/vs-tflite.test.ts).
  runtimeRounding: "XNNPACK's int8 Leaky ReLU rescales with its own fixed-point multipliers, not TFLM's QuantizeMultiplier ones",
};
