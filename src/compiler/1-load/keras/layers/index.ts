import { activation } from './activation.js';
import { add } from './add.js';
import { averagePooling2d } from './average-pooling2d.js';
import { batchNormalization } from './batch-normalization.js';
import { concatenate } from './concatenate.js';
import { conv2d } from './conv2d.js';
import { conv2dTranspose } from './conv2d-transpose.js';
import { dense } from './dense.js';
import { depthwiseConv2d } from './depthwise-conv2d.js';
import { flatten } from './flatten.js';
import { globalAveragePooling2d } from './global-average-pooling2d.js';
import { leakyRelu } from './leaky-relu.js';
import type { LayerLowering } from './lowering.js';
import { maxPooling2d } from './max-pooling2d.js';
import { passThrough } from './pass-through.js';
import { relu } from './relu.js';
import { reshape } from './reshape.js';
import { softmax } from './softmax.js';
import { upSampling2d } from './up-sampling2d.js';
import { zeroPadding2d } from './zero-padding2d.js';

export type { LayerLowering } from './lowering.js';

const ALL: readonly LayerLowering[] = [
  conv2d,
  depthwiseConv2d,
  conv2dTranspose,
  dense,
  maxPooling2d,
  averagePooling2d,
  globalAveragePooling2d,
  upSampling2d,
  zeroPadding2d,
  add,
  concatenate,
  reshape,
  flatten,
  activation,
  relu,
  leakyRelu,
  softmax,
  batchNormalization,
  passThrough,
];

/** Keras class name → its lowering; the one place a new layer is registered. */
export const LAYER_LOWERINGS: ReadonlyMap<string, LayerLowering> = new Map(ALL.flatMap((l) => l.classNames.map((n) => [n, l] as const)));

export const SUPPORTED_LAYERS: readonly string[] = [...LAYER_LOWERINGS.keys()].sort();
