import type { JsonObject } from '../keras/config.js';

/**
 * Keras 3 stores a layer's variables by position (`vars/0`, `vars/1`, ...) in
 * the order the layer creates them, trainable ones first
 * (Layer.save_own_variables). This table names each position with the weight
 * name the Keras lowering asks for, so weights are matched by name after this
 * one place. Layers without variables map to []; a class missing here is
 * left to the lowering, which rejects unknown layers by name.
 */
const bias = (cfg: JsonObject): string[] => (cfg['use_bias'] === false ? [] : ['bias']);

const VARIABLES: Record<string, (cfg: JsonObject) => string[]> = {
  Conv2D: (cfg) => ['kernel', ...bias(cfg)],
  Conv2DTranspose: (cfg) => ['kernel', ...bias(cfg)],
  Dense: (cfg) => ['kernel', ...bias(cfg)],
  // Keras 3 calls it 'kernel'; the lowering uses the Keras 2 / TF.js name.
  DepthwiseConv2D: (cfg) => ['depthwise_kernel', ...bias(cfg)],
  BatchNormalization: (cfg) => [
    ...(cfg['scale'] === false ? [] : ['gamma']),
    ...(cfg['center'] === false ? [] : ['beta']),
    'moving_mean',
    'moving_variance',
  ],
};

const NO_VARIABLES = [
  'InputLayer',
  'MaxPooling2D',
  'AveragePooling2D',
  'GlobalAveragePooling2D',
  'UpSampling2D',
  'ZeroPadding2D',
  'Add',
  'Concatenate',
  'Reshape',
  'Flatten',
  'Softmax',
  'ReLU',
  'Activation',
  'Dropout',
];

export function keras3VariableNames(className: string, cfg: JsonObject): string[] | undefined {
  if (NO_VARIABLES.includes(className)) return [];
  return VARIABLES[className]?.(cfg);
}
