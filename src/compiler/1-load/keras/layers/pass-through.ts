import type { LayerLowering } from './lowering.js';

/** Layers that only act during training: at inference their output is their input. */
export const passThrough: LayerLowering = {
  classNames: [
    'Dropout',
    'SpatialDropout1D',
    'SpatialDropout2D',
    'SpatialDropout3D',
    'GaussianNoise',
    'GaussianDropout',
    'AlphaDropout',
    'ActivityRegularization',
    'InputLayer',
  ],
  passThrough: () => true,
  lower: (layer, ctx) => ctx.input(layer),
};
