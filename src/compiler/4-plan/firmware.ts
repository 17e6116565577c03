import { buildFrontEndTables, frontEndFlashBytes, frontEndStateBytes, type FrontEndTables } from '../../audio/index.js';
import type { Board } from '../../boards/index.js';
import { frontEndSpecOf, type RunConfig } from '../../data/index.js';
import type { Graph } from '../../ir/index.js';
import { assertInternal, fail } from '../../util/index.js';
import type { ArenaEstimate } from './arena/index.js';
import type { Budget } from './budget.js';
import { checkFit } from './fit.js';
import { planSketch, sketchBufferBytes, type SketchPlan } from './sketch-plan.js';
import type { CModelFootprint, SketchRuntime } from './sketch-runtime.js';
import { scoringFlashBytes, type SketchScoring } from './score-plan.js';

export interface FirmwarePlanInput {
  board: Board;
  run: RunConfig;
  graph: Graph;
  /** How the sketch runs the model. */
  runtime: SketchRuntime;
  /** The int8 flatbuffer's size, stored in flash (runtime tflm). */
  modelBytes: number;
  /** The TFLM arena estimate (runtime tflm). */
  arena: ArenaEstimate;
  /** The model compiled to C (runtime c). */
  cModel?: CModelFootprint;
  sketchName: string;
  force: boolean;
  /** The model path, for messages. */
  where: string;
  /** The run's scoring, when it has one (planScoring). */
  scoring?: SketchScoring;
}

export interface FirmwarePlan {
  plan: SketchPlan;
  tables: FrontEndTables;
  budget: Budget;
}

/**
 * The board target, before anything is rendered: the run's front-end tables,
 * the sketch's numbers, and the RAM/flash budget, refused with suggestions
 * unless forced. RAM = core + stack + PDM buffers + ring and sketch buffers +
 * front-end state + the model's activations (C runtime: the planned buffer;
 * TFLM: arena estimate + margin). Flash: the C runtime's kernels and constant
 * arrays, or TFLM with its kernels and the flatbuffer.
 */
export function planFirmware(i: FirmwarePlanInput): FirmwarePlan {
  if (i.run.features.wholeClip) {
    fail(
      'RUN_MISMATCH',
      `${i.where}: the run used the paper's whole-clip features (train --paper), which a streaming device cannot compute; train with the device features (tinypdm train without --paper) to emit a sketch`,
    );
  }
  const tables = buildFrontEndTables(frontEndSpecOf(i.run));
  const c = i.runtime === 'c';
  assertInternal(!c || i.cModel, 'the C runtime plans with the compiled model');
  const plan = planSketch({
    name: i.sketchName,
    fqbn: i.board.fqbn,
    graph: i.graph,
    run: i.run,
    tables,
    runtime: i.runtime,
    arena: i.arena,
    ...(i.cModel ? { cModel: i.cModel } : {}),
    ...(i.scoring ? { scoring: i.scoring } : {}),
  });
  const budget = checkFit({
    board: i.board,
    graph: i.graph,
    force: i.force,
    where: i.where,
    ...(c ? { activationBytesOf: i.cModel!.activationBytesOf } : {}),
    parts: {
      runtime: i.runtime,
      arenaBytes: plan.arenaBytes,
      frontEndRamBytes: frontEndStateBytes(tables),
      ringBufferBytes: 2 * plan.ringCapacity,
      otherRamBytes: sketchBufferBytes(plan) - 2 * plan.ringCapacity,
      modelBytes: c ? i.cModel!.constBytes : i.modelBytes,
      tablesBytes: frontEndFlashBytes(tables) + scoringFlashBytes(plan.scoring),
      ops: plan.ops,
      pdmBufferBytes: plan.pdmBufferBytes,
      sketch: true,
    },
  });
  return { plan, tables, budget };
}
