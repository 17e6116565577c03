import type { OpKind } from '../../ir/index.js';
import { OPS } from '../../ops/index.js';
import type { Board } from '../../boards/index.js';

export interface BudgetParts {
  /** The TFLM tensor arena (estimateArena().totalBytes). */
  arenaBytes: number;
  /** The audio front-end's working RAM (FFT buffers, Mel accumulators, window). */
  frontEndRamBytes: number;
  /** The sample ring between the PDM callback and the main loop. */
  ringBufferBytes: number;
  /** The .tflite flatbuffer, stored in flash. */
  modelBytes: number;
  /** Constant tables in flash (window, Mel weights, twiddles). */
  tablesBytes: number;
  /** Ops in the model, for the TFLM flash estimate. */
  ops: readonly OpKind[];
  /** PDM buffer size passed to PDM.setBufferSize(); the board default if absent. */
  pdmBufferBytes?: number;
  /** Other application RAM and flash (sketch code, globals), if known. */
  otherRamBytes?: number;
  appFlashBytes?: number;
}

export interface BudgetRow {
  item: string;
  bytes: number;
  /** Where the number comes from: measured, computed, or an estimate. */
  basis: 'board fact' | 'computed' | 'estimate' | 'given';
}

export interface BudgetSide {
  rows: BudgetRow[];
  total: number;
  limit: number;
  fits: boolean;
  /** limit - total; negative when it does not fit. */
  headroom: number;
}

export interface Budget {
  board: string;
  ram: BudgetSide;
  flash: BudgetSide;
}

function side(rows: BudgetRow[], limit: number): BudgetSide {
  const total = rows.reduce((s, r) => s + r.bytes, 0);
  return { rows, total, limit, fits: total <= limit, headroom: limit - total };
}

/**
 * RAM and flash use of the firmware on `board`, row by row (for a Markdown
 * table). A pure function: it adds what it is given to the board's fixed costs.
 */
export function budget(board: Board, parts: BudgetParts): Budget {
  const pdmBuffer = parts.pdmBufferBytes ?? board.pdm.defaultBufferBytes;
  const ram: BudgetRow[] = [
    { item: 'core static RAM (empty sketch)', bytes: board.coreStaticRamBytes, basis: 'board fact' },
    { item: 'main-thread stack', bytes: board.mainStackBytes, basis: 'board fact' },
    { item: `PDM buffers (${board.pdm.bufferCount} x ${pdmBuffer} B)`, bytes: board.pdm.bufferCount * pdmBuffer, basis: 'computed' },
    { item: 'sample ring buffer', bytes: parts.ringBufferBytes, basis: 'given' },
    { item: 'front-end working RAM', bytes: parts.frontEndRamBytes, basis: 'given' },
    { item: 'tensor arena', bytes: parts.arenaBytes, basis: 'estimate' },
  ];
  if (parts.otherRamBytes !== undefined) ram.push({ item: 'other application RAM', bytes: parts.otherRamBytes, basis: 'given' });
  const flash: BudgetRow[] = [
    { item: 'core (empty sketch)', bytes: board.coreFlashBytes, basis: 'board fact' },
    { item: 'TFLM runtime and kernels', bytes: tflmFlashEstimate(parts.ops), basis: 'estimate' },
    { item: 'model flatbuffer', bytes: parts.modelBytes, basis: 'given' },
    { item: 'front-end tables', bytes: parts.tablesBytes, basis: 'given' },
  ];
  if (parts.appFlashBytes !== undefined) flash.push({ item: 'application code', bytes: parts.appFlashBytes, basis: 'given' });
  return { board: board.name, ram: side(ram, board.ramBytes), flash: side(flash, board.flashBytes) };
}

/**
 * ESTIMATE: the TFLM interpreter, allocator, planner, flatbuffer reader and
 * MicroPrintf with no kernels, about 45 KB with -Os on Cortex-M4.
 */
const TFLM_RUNTIME_FLASH_ESTIMATE = 45_000;

/** Estimated flash of the TFLM runtime plus the kernels of the given ops (each counted once; per-op figures in src/ops). */
export function tflmFlashEstimate(ops: readonly OpKind[]): number {
  return TFLM_RUNTIME_FLASH_ESTIMATE + [...new Set(ops)].reduce((s, op) => s + OPS[op].tflm.flashBytes, 0);
}
