export { buildReport, cRuntimeReport, type EmitReport, type TensorSummary, type CRuntimeReport } from './build.js';
export { renderReportMarkdown } from './markdown.js';
export { opStats, opMacs, type OpStats } from './op-stats.js';
export { compressionReport, renderCompressionMarkdown, gzipSize, type CompressionReport, type LayerCompression } from './compression.js';
export { optimizationReport, renderOptimizationMarkdown, type OptimizationReport, type AucComparison } from './optimization.js';
