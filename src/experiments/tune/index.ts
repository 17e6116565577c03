/** `tinypdm tune`: search recipes and scorings under the board's budget on the user's data. */
export {
  tune,
  TUNE_INSTRUCTIONS_PER_MAC,
  M4_INSTRUCTIONS_PER_SECOND,
  TUNE_DEFAULT_EPOCHS,
  type TuneOptions,
  type TuneResult,
} from './tune.js';
export { recipes, SCORE_CHOICES, POOL_CHOICES, type Recipe, type TuneSpace } from './space.js';
export { proxyAnomaly, proxyAnomalies, PROXY_KINDS, type ProxyKind } from './proxy-anomalies.js';
export { clipMetrics, type ClipMetrics } from './domain-metrics.js';
export type { TuneRow } from './report.js';
