import type { OpKind } from '../../ir/index.js';
import { OPS } from '../../ops/index.js';
import type { Board } from '../../boards/index.js';

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
  if (parts.sketch)
    ram.push({ item: 'core and library objects of the sketch', bytes: board.sketchOtherStaticRamBytes, basis: 'board fact' });
  const flash: BudgetRow[] = [
    { item: 'core (empty sketch)', bytes: board.coreFlashBytes, basis: 'board fact' },
    c
      ? { item: 'C runtime kernels (code)', bytes: cRuntimeFlashEstimate(parts.ops), basis: 'estimate' }
      : { item: 'TFLM runtime and kernels', bytes: tflmFlashEstimate(parts.ops), basis: 'estimate' },
    c
      ? { item: 'model weights and constants', bytes: parts.modelBytes, basis: 'computed' }
      : { item: 'model flatbuffer', bytes: parts.modelBytes, basis: 'given' },
    { item: 'front-end tables', bytes: parts.tablesBytes, basis: 'given' },
  ];
  if (parts.sketch && !c)
    flash.push({ item: 'Wire (included by TensorFlowLite.h)', bytes: board.tflmLibraryFlashBytes, basis: 'board fact' });
  if (parts.sketch) flash.push({ item: 'sketch code and front-end', bytes: board.sketchCodeFlashBytes, basis: 'board fact' });
  if (parts.appFlashBytes !== undefined) flash.push({ item: 'application code', bytes: parts.appFlashBytes, basis: 'given' });
  return { board: board.name, ram: side(ram, board.ramBytes), flash: side(flash, board.flashBytes) };
}

/**
 * measured: TFLM with the demo's trimmed resolver (CONV_2D, MAX_POOL_2D,
 * RESIZE_NEAREST_NEIGHBOR) takes 56,700 B of flash at -O2 (48,948 B at -Os,
 * the core's level); without those three kernels' 15,400 B that leaves
 * 41,300 B for the interpreter (about 21.9 KB of it), the allocator, the
 * flatbuffer reader and what they pull in. The -O2 figures are used, so the
 * budget errs on the large side. (Arduino_TensorFlowLite 2.4.0-ALPHA with
 * CMSIS-NN kernels in the demo sketch, ArduinoCore-mbed 4.6.0,
 * arm-none-eabi-gcc 12.2, --gc-sections, read with arm-none-eabi-size / nm.)
 */
const TFLM_RUNTIME_FLASH = 41_300;

/** Flash of the TFLM runtime plus the kernels of the given ops (each counted once; per-op figures in src/ops, measured where they say so). */
export function tflmFlashEstimate(ops: readonly OpKind[]): number {
  return TFLM_RUNTIME_FLASH + [...new Set(ops)].reduce((s, op) => s + OPS[op].tflm.flashBytes, 0);
}

/** Code of the C runtime's kernels for the given calls (one entry per generated call; per-call figures in src/ops). */
export function cRuntimeFlashEstimate(calls: readonly OpKind[]): number {
  return calls.reduce((s, op) => s + OPS[op].cRuntime.flashBytesPerCall, 0);
}
