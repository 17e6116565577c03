/**
 * tinypdm's library API: what the CLI commands call, for scripts that drive
 * the toolchain from Node. Each stage's own index.ts holds its smaller API.
 */
import { aucScorer } from './evaluate/index.js';
import { emit as emitCompiled, type EmitOptions as CompilerEmitOptions, type EmitResult } from './compiler/index.js';

export { TinyPdmError, isUserError, type ErrorCode } from './util/index.js';
export { VERSION } from './util/index.js';
export type { Graph, Tensor, Op, OpKind, QuantParams } from './ir/index.js';
export { synthesizeDataset, type SynthOptions, type SynthManifest } from './data/index.js';
export { readRunConfig, type RunConfig, RUN_CONFIG_FILE } from './data/index.js';
export { train, type TrainOptions, type TrainResult } from './learn/index.js';
export {
  compile,
  loadAnyModel,
  readTflite,
  writeTflite,
  type CompileOptions,
  type Compiled,
  type EmitResult,
  type SourceModel,
} from './compiler/index.js';
export { runGraph } from './runtime/index.js';
export { evaluate, type EvalOptions, type EvalResult } from './evaluate/index.js';
export { verifyModel, type VerifyOptions, type VerifyReport } from './verify/index.js';
export { sweep, type SweepOptions, type SweepResult } from './experiments/index.js';
export { getBoard, BOARDS, type Board } from './boards/index.js';

export interface EmitOptions extends CompilerEmitOptions {
  /** The run's WAV dataset: report the AUC before and after the optimisation passes on the run's test split. */
  evalData?: string;
  /** Feature cache for --eval-data (default DATA/.cache/tinypdm). */
  cacheDir?: string;
}

/** `tinypdm emit`: compile a model and write its artefacts; with `evalData`, score the optimisation on the run's test split. */
export function emit(opts: EmitOptions): Promise<EmitResult> {
  const { evalData, cacheDir, ...rest } = opts;
  if (evalData === undefined) return emitCompiled(rest);
  return emitCompiled({
    ...rest,
    scoreAuc: aucScorer(evalData, cacheDir),
    otherInputs: [...(rest.otherInputs ?? []), { what: 'the --eval-data folder', path: evalData }],
  });
}
