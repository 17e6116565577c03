import { estimateArena } from './arena/index.js';
import { assertInternal, fail } from '../../util/index.js';
import type { Graph } from '../../ir/index.js';
import { budget, type Budget, type BudgetParts } from './budget.js';
import { scaleGraphInput } from './scale-input.js';
import type { Board } from '../../boards/index.js';

/** Inputs tried for suggestions: Mel bands and frames, multiples of 4 (the paper's two 2×2 pools). */
const CANDIDATE_MELS = [256, 128, 96, 64, 48, 32, 16];
const CANDIDATE_FRAMES = [470, 256, 128, 96, 64, 48, 32, 16];
const MAX_SUGGESTIONS = 3;

export interface InputSuggestion {
  nMels: number;
  frames: number;
  arenaBytes: number;
}

/** SI units, as a user reads a datasheet: 4.8 MB, 125 KB. */
export function formatBytes(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${Math.round(n / 1e3)} KB`;
  return `${n} B`;
}

/** The TFLM arena estimate of a graph, with the kernels the Nano's library builds (CMSIS-NN). */
const tflmArenaBytes = (graph: Graph): number => estimateArena(graph, 'tflm-cmsis-nn').totalBytes;

/**
 * The largest smaller inputs whose arena fits in `arenaBudget`, each sized by
 * rerunning the runtime's planner (by default the TFLM estimate; the C
 * runtime's is passed in by its caller) on the graph rescaled to that input.
 * Empty when the graph does not scale proportionally (see scaleGraphInput).
 */
export function suggestInputs(
  graph: Graph,
  arenaBudget: number,
  activationBytesOf: (g: Graph) => number = tflmArenaBytes,
): InputSuggestion[] {
  const shape = graph.tensors[graph.inputs[0]!]!.shape;
  const [, M, F] = shape as [number, number, number];
  const found: InputSuggestion[] = [];
  for (const nMels of CANDIDATE_MELS.filter((m) => m <= M)) {
    for (const frames of CANDIDATE_FRAMES.filter((f) => f <= F)) {
      if (nMels === M && frames === F) continue;
      const scaled = scaleGraphInput(graph, nMels, frames);
      if (!scaled) continue;
      const arenaBytes = activationBytesOf(scaled);
      if (arenaBytes <= arenaBudget) {
        found.push({ nMels, frames, arenaBytes });
        break; // the longest window that fits at this n_mels
      }
    }
  }
  return found.sort((a, b) => b.nMels * b.frames - a.nMels * a.frames || b.nMels - a.nMels).slice(0, MAX_SUGGESTIONS);
}

export interface FitInput {
  board: Board;
  parts: BudgetParts;
  /** The int8 graph, for suggestions. */
  graph: Graph;
  /** Build anyway (the budget still goes into the report). */
  force: boolean;
  /** What to name in the message: the model file. */
  where: string;
  /** The C runtime's planner (runtime c): the activation buffer of a rescaled graph, for suggestions. */
  activationBytesOf?: (graph: Graph) => number;
}

/** The budget, or DOES_NOT_FIT with the numbers and inputs that would fit (unless forced). */
export function checkFit(i: FitInput): Budget {
  const b = budget(i.board, i.parts);
  if ((b.ram.fits && b.flash.fits) || i.force) return b;
  const problems: string[] = [];
  const c = i.parts.runtime === 'c';
  assertInternal(!c || i.activationBytesOf, 'the C runtime fits with its own planner');
  const what = c ? 'model activations' : 'tensor arena';
  if (!b.ram.fits)
    problems.push(
      `RAM ${b.ram.total.toLocaleString('en-US')} B of ${b.ram.limit.toLocaleString('en-US')} B (${what} ${formatBytes(i.parts.arenaBytes)})`,
    );
  if (!b.flash.fits)
    problems.push(
      `flash ${b.flash.total.toLocaleString('en-US')} B of ${b.flash.limit.toLocaleString('en-US')} B (model ${formatBytes(i.parts.modelBytes)})`,
    );
  const fixes: string[] = [];
  if (!b.ram.fits) {
    const shape = i.graph.tensors[i.graph.inputs[0]!]!.shape;
    const arenaBudget = b.ram.limit - (b.ram.total - i.parts.arenaBytes);
    const s = suggestInputs(i.graph, arenaBudget, i.activationBytesOf);
    const head = `n_mels ${shape[1]} × ${shape[2]} frames needs ${formatBytes(i.parts.arenaBytes)} of ${c ? 'activations' : 'arena'}`;
    fixes.push(
      s.length > 0
        ? `${head}; ${s.map((x) => `at ${x.nMels} × ${x.frames} it needs ${formatBytes(x.arenaBytes)}`).join(', ')} (${c ? 'activation' : 'arena'} room on the ${i.board.name}: ${formatBytes(arenaBudget)}); retrain with fewer Mel bands or a shorter window`
        : `${head} and the board has ${formatBytes(Math.max(0, arenaBudget))} left for it; shrink the input (fewer Mel bands, shorter window) or the model's widest layers`,
    );
  }
  if (!b.flash.fits) fixes.push('shrink the model (fewer filters, pruning or weight clustering)');
  return fail(
    'DOES_NOT_FIT',
    `${i.where}: does not fit the ${i.board.name}: ${problems.join('; ')}; ${fixes.join('; ')}; or pass --force to emit anyway`,
  );
}
