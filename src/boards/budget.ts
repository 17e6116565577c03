import type { OpKind } from '../model/ir.js';
import type { Board } from './types.js';

export interface BudgetParts {
  /**
   * How the model runs: 'tflm' (the TFLM interpreter: arena estimate, runtime
   * and kernels, flatbuffer) or 'c' (the C runtime: its planned activation
   * buffer, kernel code, weights and constants). Default 'tflm'.
   */
  runtime?: 'tflm' | 'c';
  /** The TFLM tensor arena (estimateArena().totalBytes), or the C runtime's activation buffer. */
  arenaBytes: number;
  /** The audio front-end's working RAM (FFT buffers, Mel accumulators, window). */
  frontEndRamBytes: number;
  /** The sample ring between the PDM callback and the main loop. */
  ringBufferBytes: number;
  /** The .tflite flatbuffer, or the C runtime's weights and constants, stored in flash. */
  modelBytes: number;
  /** Constant tables in flash (window, Mel weights, twiddles). */
  tablesBytes: number;
  /** Ops in the model, for the TFLM flash estimate; for the C runtime, one entry per generated call. */
  ops: readonly OpKind[];
  /** PDM buffer size passed to PDM.setBufferSize(); the board default if absent. */
  pdmBufferBytes?: number;
  /** Other application RAM and flash (sketch code, globals), if known. */
  otherRamBytes?: number;
  appFlashBytes?: number;
  /** The board's measured sketch code and static objects (a whole sketch, as `emit --board` builds). */
  sketch?: boolean;
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
  const c = parts.runtime === 'c';
  const ram: BudgetRow[] = [
    { item: 'core static RAM (empty sketch)', bytes: board.coreStaticRamBytes, basis: 'board fact' },
    { item: 'main-thread stack', bytes: board.mainStackBytes, basis: 'board fact' },
    { item: `PDM buffers (${board.pdm.bufferCount} x ${pdmBuffer} B)`, bytes: board.pdm.bufferCount * pdmBuffer, basis: 'computed' },
    { item: 'sample ring buffer', bytes: parts.ringBufferBytes, basis: 'given' },
    { item: 'front-end working RAM', bytes: parts.frontEndRamBytes, basis: 'given' },
    c
      ? { item: 'model activations (C runtime, planned)', bytes: parts.arenaBytes, basis: 'computed' }
      : { item: 'tensor arena', bytes: parts.arenaBytes, basis: 'estimate' },
  ];
  if (parts.otherRamBytes !== undefined) ram.push({ item: 'other application RAM', bytes: parts.otherRamBytes, basis: 'given' });
  if (parts.sketch) ram.push({ item: 'core and library objects of the sketch', bytes: board.sketchOtherStaticRamBytes, basis: 'board fact' });
  const flash: BudgetRow[] = [
    { item: 'core (empty sketch)', bytes: board.coreFlashBytes, basis: 'board fact' },
    c
      ? { item: 'C runtime kernels (code)', bytes: board.cRuntimeFlashEstimate(parts.ops), basis: 'estimate' }
      : { item: 'TFLM runtime and kernels', bytes: board.tflmFlashEstimate(parts.ops), basis: 'estimate' },
    c ? { item: 'model weights and constants', bytes: parts.modelBytes, basis: 'computed' } : { item: 'model flatbuffer', bytes: parts.modelBytes, basis: 'given' },
    { item: 'front-end tables', bytes: parts.tablesBytes, basis: 'given' },
  ];
  if (parts.sketch && !c) flash.push({ item: 'Wire (included by TensorFlowLite.h)', bytes: board.tflmLibraryFlashBytes, basis: 'board fact' });
  if (parts.sketch) flash.push({ item: 'sketch code and front-end', bytes: board.sketchCodeFlashBytes, basis: 'board fact' });
  if (parts.appFlashBytes !== undefined) flash.push({ item: 'application code', bytes: parts.appFlashBytes, basis: 'given' });
  return { board: board.name, ram: side(ram, board.ramBytes), flash: side(flash, board.flashBytes) };
}
