/**
 * The library entry of the npm package (`import { emit } from 'tinypdm'`): the pipeline's top-level steps, each
 * what one CLI command runs, and the error type they throw. A first cut: the folders' own public APIs will grow
 * behind it.
 */
export { synthesizeDataset, type SynthOptions, type SynthManifest } from './data/synth/index.js';
export { train, type TrainOptions, type TrainResult } from './learn/train.js';
export { evaluate, type EvalOptions, type EvalResult, type EvalReport } from './evaluate/evaluate.js';
export { loadAnyModel, type ModelFormat, type SourceModel } from './compiler/1-load/load-any.js';
export { emit, type EmitOptions, type EmitResult } from './compiler/compile.js';
export { verifyModel, type VerifyOptions, type VerifyReport } from './verify/verify.js';
export { TinyPdmError, isUserError, type ErrorCode } from './util/errors.js';
export { VERSION } from './util/version.js';
