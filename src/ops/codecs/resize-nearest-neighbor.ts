import { BuiltinOperator, BuiltinOptions, ResizeNearestNeighborOptions } from '../../tflite/index.js';
import type { OpCodec } from './codec.js';
import { optionsOrDefaults } from './options-table.js';

/** RESIZE_NEAREST_NEIGHBOR: inputs [input, size int32[2]]. Keras UpSampling2D sets half_pixel_centers. */
export const resizeNearestNeighborCodec: OpCodec<'RESIZE_NEAREST_NEIGHBOR'> = {
  kind: 'RESIZE_NEAREST_NEIGHBOR',
  builtinCode: BuiltinOperator.RESIZE_NEAREST_NEIGHBOR,
  optionsType: BuiltinOptions.ResizeNearestNeighborOptions,
  inputs: [2, 2],
  writeOptions: (b, o) => ResizeNearestNeighborOptions.createResizeNearestNeighborOptions(b, o.alignCorners, o.halfPixelCenters),
  readOptions(op) {
    const t = optionsOrDefaults(op, ResizeNearestNeighborOptions);
    return { alignCorners: t.alignCorners(), halfPixelCenters: t.halfPixelCenters() };
  },
};
