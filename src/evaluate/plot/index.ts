export { renderRocPlot } from './roc-plot.js';
export type { RocPlotCurve } from './roc-plot.js';
export { renderLinePlot } from './line-plot.js';
export type { LinePlotOptions, LineSeries } from './line-plot.js';
export type { RenderedPlot } from './render.js';
