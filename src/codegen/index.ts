/** Code generation: templates, the model as a C array, and TFLM arena sizing. */
export { renderTemplate, bannerContext, type BannerInfo } from './render.js';
export { emitModelData, hexRows, type ModelDataOptions, type ModelDataFiles } from './model-data.js';
