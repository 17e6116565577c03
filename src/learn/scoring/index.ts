/** Scoring: the error model fitted on training reconstructions, window scorers over the float and int8 models, and a run's fitted scoring. */
export { parseWindowScore, parsePool } from './scoring-config.js';
export { fitErrorModel } from './error-model.js';
export {
  type WindowScorer,
  MSE_SCORER,
  mahalanobisScorer,
  floatWindowScoresFor,
  int8WindowScoresFor,
  floatWindowErrors,
  forEachFloatReconstruction,
} from './window-scores.js';
export { topEigen } from './eigen.js';
export { fitScoring, clipPool, ERROR_MODEL_WINDOWS, type FittedScoring, type FitScoringOptions } from './fit-scoring.js';
export { readErrorModel } from './read-error-model.js';
