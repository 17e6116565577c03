/** Evaluate: ROC/AUC metrics, plots, and the `eval` job that scores a run's float and int8 models as the device does. */
export { evaluate, int8WindowScores, quantizedGraph, renderEvalMarkdown, PARTIAL_AUC_MAX_FPR } from './evaluate.js';
export type { EvalOptions, EvalReport, EvalResult, Metrics, ClipScore } from './evaluate.js';
export { compareAuc, aucScorer, floatWindowScoresIr } from './compare-auc.js';
export * from './metrics/index.js';
export * from './plot/index.js';
export { PLOT_CONFIG } from './plot/render.js';
export { renderVegaLite } from './plot/render.js';
export { loadTestSet, type TestSet } from './evaluate.js';
export { runWindows } from './run-windows.js';
