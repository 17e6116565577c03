/**
 * The graph IR shared by every stage.
 *
 * It deliberately mirrors TFLite's semantics so that the writer and reader are
 * plain mappings and the reference interpreter can follow TFLM line by line:
 *  - activations are NHWC with an explicit batch dimension of 1;
 *  - CONV_2D filters are OHWI [Cout, Kh, Kw, Cin];
 *  - DEPTHWISE_CONV_2D filters are [1, Kh, Kw, Cin * multiplier];
 *  - FULLY_CONNECTED weights are [units, inputDepth];
 *  - TRANSPOSE_CONV filters are [Cout, Kh, Kw, Cin];
 *  - op inputs are in TFLite's order, with -1 for an absent optional input
 *    (e.g. no bias).
 * A float graph has float32 tensors. After quantisation, activations are int8
 * with per-tensor params, weights int8 per channel, biases int32.
 */

export type DType = 'float32' | 'int8' | 'int16' | 'int32' | 'int64' | 'uint8';

export type TensorData = Float32Array | Int8Array | Int16Array | Int32Array | Uint8Array | BigInt64Array;

/** TFLite QuantizationParameters: real = scale * (q - zeroPoint). */
export interface QuantParams {
  scale: number[];
  zeroPoint: number[];
  /** quantized_dimension; 0 for per-tensor params. */
  axis: number;
}

export interface Tensor {
  /** Index in `Graph.tensors`; stable across passes that do not rebuild the graph. */
  id: number;
  name: string;
  shape: number[];
  dtype: DType;
  /** Present only for constants (weights, biases, shape operands). */
  data?: TensorData;
  quant?: QuantParams;
}

export type Activation = 'NONE' | 'RELU' | 'RELU6' | 'RELU_N1_TO_1';
export type Padding = 'SAME' | 'VALID';

export interface Conv2DOptions {
  padding: Padding;
  strideH: number;
  strideW: number;
  dilationH: number;
  dilationW: number;
  activation: Activation;
}

export interface DepthwiseConv2DOptions extends Conv2DOptions {
  depthMultiplier: number;
}

export interface Pool2DOptions {
  padding: Padding;
  strideH: number;
  strideW: number;
  filterH: number;
  filterW: number;
  activation: Activation;
}

export interface FullyConnectedOptions {
  activation: Activation;
  keepNumDims: boolean;
}

export interface TransposeConvOptions {
  padding: Padding;
  strideH: number;
  strideW: number;
  activation: Activation;
}

export interface ResizeNearestNeighborOptions {
  alignCorners: boolean;
  halfPixelCenters: boolean;
}

export interface AddOptions {
  activation: Activation;
}

export interface ConcatenationOptions {
  axis: number;
  activation: Activation;
}

export interface MeanOptions {
  keepDims: boolean;
}

export interface SoftmaxOptions {
  beta: number;
}

/** f(x) = x for x > 0, alpha·x otherwise. alpha is float32 in the flatbuffer, so the IR holds it rounded to float32. */
export interface LeakyReluOptions {
  alpha: number;
}

export type NoOptions = Record<string, never>;

/**
 * Every op kind with its options type. Inputs (TFLite order):
 *  CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED: [input, filter, bias | -1]
 *  TRANSPOSE_CONV: [outputShape(int32[4]), filter, input, bias | -1]
 *  RESIZE_NEAREST_NEIGHBOR: [input, size(int32[2])]
 *  PAD: [input, paddings(int32[rank, 2])]
 *  MEAN: [input, axes(int32[n])]
 *  RESHAPE: [input, newShape(int32[rank])]
 *  ADD: [a, b]; CONCATENATION: [x0, x1, ...]
 *  others: [input]
 * RELU / RELU6 are standalone activations, for where none can be fused: after
 * TRANSPOSE_CONV (the runtimes we target lack its fused-activation version 4)
 * or after an op whose output also feeds other layers.
 */
export interface OpOptionsByKind {
  CONV_2D: Conv2DOptions;
  DEPTHWISE_CONV_2D: DepthwiseConv2DOptions;
  FULLY_CONNECTED: FullyConnectedOptions;
  TRANSPOSE_CONV: TransposeConvOptions;
  MAX_POOL_2D: Pool2DOptions;
  AVERAGE_POOL_2D: Pool2DOptions;
  MEAN: MeanOptions;
  RESIZE_NEAREST_NEIGHBOR: ResizeNearestNeighborOptions;
  PAD: NoOptions;
  ADD: AddOptions;
  CONCATENATION: ConcatenationOptions;
  RESHAPE: NoOptions;
  SOFTMAX: SoftmaxOptions;
  LOGISTIC: NoOptions;
  RELU: NoOptions;
  RELU6: NoOptions;
  LEAKY_RELU: LeakyReluOptions;
  QUANTIZE: NoOptions;
  DEQUANTIZE: NoOptions;
}

export type OpKind = keyof OpOptionsByKind;

export type Op = {
  [K in OpKind]: {
    kind: K;
    /** The source layer's name, for reports and error messages. */
    name: string;
    inputs: number[];
    outputs: number[];
    options: OpOptionsByKind[K];
  };
}[OpKind];

export type OpOf<K extends OpKind> = Extract<Op, { kind: K }>;

export interface Graph {
  name: string;
  tensors: Tensor[];
  /** In execution (topological) order. */
  ops: Op[];
  inputs: number[];
  outputs: number[];
}

export function tensorSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function bytesPerElement(dtype: DType): number {
  switch (dtype) {
    case 'int8':
    case 'uint8':
      return 1;
    case 'int16':
      return 2;
    case 'float32':
    case 'int32':
      return 4;
    case 'int64':
      return 8;
  }
}

export function tensorBytes(t: Tensor): number {
  return tensorSize(t.shape) * bytesPerElement(t.dtype);
}

export function isConstant(t: Tensor): boolean {
  return t.data !== undefined;
}
