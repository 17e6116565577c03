import { tensorSize } from '../ir/index.js';
import { fullyConnectedCodec } from './codecs/fully-connected.js';
import { perMac } from './c-runtime.js';
import { NO_SCRATCH, type OpDescriptor } from './descriptor.js';
import { fullyConnected as kernel } from './kernels/fully-connected.js';
import { kerasActivation } from './layers.js';
import { int8Version } from './versions.js';

/** FULLY_CONNECTED: inputs [input, weights [units, depth], bias | -1]. */
export const fullyConnected: OpDescriptor<'FULLY_CONNECTED'> = {
  kind: 'FULLY_CONNECTED',
  codec: fullyConnectedCodec,
  version: int8Version(4),
  kernel,
  weights: { slot: 1, dataSlot: 0, biasSlot: 2, outputChannelAxis: 0, perChannelQuant: false, foldsBatchNorm: true },
  outputQuant: 'calibrated',
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
      return tf.layers.dense({ name, units: graph.tensors[op.inputs[1]!]!.shape[0]!, activation: kerasActivation(op.options.activation, refuse), useBias: (op.inputs[2] ?? -1) >= 0 });
    },
    kernelToKeras: [1, 0],
  },
};
