import { tensorSize } from '../ir/index.js';
import { fullyConnectedCodec } from './codecs/fully-connected.js';
import { perMac } from './c-runtime.js';
import { NO_SCRATCH, type OpDescriptor } from './descriptor.js';
import { fullyConnected as kernel } from './kernels/fully-connected.js';
import { kerasActivation } from './layers.js';
import { int8Version } from './versions.js';
import { checkFullyConnectedBiasScale, checkWeights } from './validate/int8-params.js';

/** FULLY_CONNECTED: inputs [input, weights [units, depth], bias | -1]. */
export const fullyConnected: OpDescriptor<'FULLY_CONNECTED'> = {
  kind: 'FULLY_CONNECTED',
  codec: fullyConnectedCodec,
  version: int8Version(4),
  kernel,
  kernelScratch: { input: 0, output: 8, weights: 0 }, // an int32 multiplier and shift per unit: at most 8 bytes per output element
  weights: { slot: 1, dataSlot: 0, biasSlot: 2, outputChannelAxis: 0, perChannelQuant: false, foldsBatchNorm: true, biasRequired: false },
  outputQuant: 'calibrated',
  /** Weights [units, depth]; the input is read as [size / depth, depth] (TFLite fully_connected.cc). */
  validate: {
    arity: [2, 3],
    shape(op, v) {
      const input = v.input(0);
      const [units, depth] = v.rank(v.input(1), 2, 'weights');
      if (!(depth! >= 1 && units! >= 1))
        v.fail('SHAPE_MISMATCH', `weights '${v.input(1).name}' [${v.input(1).shape.join(', ')}] are empty`);
      const size = v.elements(input);
      if (size % depth! !== 0) {
        v.fail(
          'SHAPE_MISMATCH',
          `input '${input.name}' [${input.shape.join(', ')}] has ${size} values, not a multiple of the weights' input depth ${depth}`,
        );
      }
      if (op.options.keepNumDims) {
        if (input.shape[input.shape.length - 1] !== depth) {
          v.fail(
            'SHAPE_MISMATCH',
            `with keep_num_dims the input's last dimension must be the weights' depth ${depth}, input '${input.name}' is [${input.shape.join(', ')}]`,
          );
        }
        v.expectOutput([...input.shape.slice(0, -1), units!], `the input with keep_num_dims and ${units} units`);
      } else {
        v.expectOutput([size / depth!, units!], `${size} input values in rows of ${depth} and ${units} units`);
      }
      if (v.has(2)) v.expectShape(v.input(2), [units!], 'bias', `${units} units`);
    },
    int8(_op, v) {
      checkWeights(v, 1, 0, v.input(1).shape[0]!);
      checkFullyConnectedBiasScale(v, 2);
    },
  },
  fusesActivation: true,
  passesChannelsThrough: false,
  spatiallyProportional: false,
  macs: (op, t) => tensorSize(t[op.inputs[1]!]!.shape),
  tflm: {
    resolverCall: 'AddFullyConnected',
    builtinDataBytes: 12, // TfLiteFullyConnectedParams
    // OpDataFullyConnected (kernels/fully_connected.h): multiplier, shift, activation min/max, input_quantized_index and
    // 3 zero points = 32; the CMSIS-NN wrapper adds buffer_idx
    userDataBytes: { 'tflm-reference': 32, 'tflm-cmsis-nn': 36 },
    perChannelMultipliers: false,
    // arm_fully_connected_s8_get_buffer_size is 0 on Cortex-M4.
    scratch: NO_SCRATCH,
    flashBytes: 4_000,
  },
  cRuntime: {
    flashBytesPerCall: 1_466, // measured: the SMLAD conv kernel as a 1×1 conv over the rows
    instructions: perMac(1.96), // the conv kernel over its rows; a ToyCar-shaped model (640-128-…-8-…-640)
  },
  finetune: {
    layer: (tf, op, graph, name, refuse) => {
      if (graph.tensors[op.inputs[0]!]!.shape.length !== 2) refuse('a FULLY_CONNECTED input of rank other than 2');
      return tf.layers.dense({
        name,
        units: graph.tensors[op.inputs[1]!]!.shape[0]!,
        activation: kerasActivation(op.options.activation, refuse),
        useBias: (op.inputs[2] ?? -1) >= 0,
      });
    },
    kernelToKeras: [1, 0],
  },
};
