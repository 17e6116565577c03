/** Scoring: window scores (MSE, Mahalanobis-style), clip pooling and the error model they need. */
export { type ScoringConfig, parseWindowScore, parsePool, describePool, describeScoring, WINDOW_SCORES } from './scoring-config.js';
export { type ErrorModel, ERROR_MODEL_FILE, fitErrorModel, scoreParams, checkErrorModel } from './error-model.js';
export { type WindowScorer, MSE_SCORER, mahalanobisScorer, floatWindowScoresFor, int8WindowScoresFor, floatWindowErrors, forEachFloatReconstruction } from './window-scores.js';
export { topEigen } from './eigen.js';
export { fitScoring, clipPool, ERROR_MODEL_WINDOWS, type FittedScoring, type FitScoringOptions } from './fit-scoring.js';
export { requestedScoring, scoreTestSet, type TestScores } from './eval-scores.js';
