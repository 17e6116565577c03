/** Phase 3, quantise: calibrate activation ranges on representative inputs, then full-integer int8 (the TFLite int8 spec). */
export { calibrate, type CalibrateOptions, type Range, type RangeTable } from './calibrate.js';
export { OUTLIER_RATIO } from './range-outliers.js';
export { quantizeInt8, paramsFromRange, type QuantizeOptions } from './quantize-int8.js';
