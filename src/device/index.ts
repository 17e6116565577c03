/** TypeScript twins of the firmware's anomaly score and detector (bit-exact with firmware/core). */
export { deviceAnomalyScore, type DeviceQuant } from './anomaly-score.js';
export { poolScores, createClipPool, type PoolSpec } from './clip-score.js';
export { scoreParams, checkErrorModel, type ErrorModel } from './error-model.js';
export { deviceWindowScore, floatWindowScore, type WindowScoreParams } from './window-score.js';
export { createRunScorer, type DeviceScorer } from './scorer.js';
