import { tensorSize } from '../../../../ir/index.js';
import type { LayerLowering } from './lowering.js';
import { lowerReshape } from './reshape.js';

/** Flatten → RESHAPE to [1, H*W*C]; NHWC row-major order is Keras' channels_last order. */
export const flatten: LayerLowering = {
  classNames: ['Flatten'],
  lower(layer, ctx) {
    layer.config.requireChannelsLast();
    const size = tensorSize(ctx.shape(ctx.input(layer)));
    return lowerReshape(layer, ctx, [size]);
  },
};
