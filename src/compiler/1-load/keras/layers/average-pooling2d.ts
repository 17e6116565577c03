import type { LayerLowering } from './lowering.js';
import { lowerPool } from './max-pooling2d.js';

/** AveragePooling2D → AVERAGE_POOL_2D; TensorFlow and TFLite both average over in-bounds taps only. */
export const averagePooling2d: LayerLowering = {
  classNames: ['AveragePooling2D', 'AvgPool2D'],
  lower: (layer, ctx) => lowerPool('AVERAGE_POOL_2D', layer, ctx),
};
