import type { FrontEndTables } from './tables.js';

/**
 * What the firmware front-end (firmware/frontend) occupies on a 32-bit
 * Cortex-M4: the state struct in RAM and the const tables in flash. Checked
 * against sizeof() from arm-none-eabi-gcc in test/audio/fixed/bitexact.test.ts.
 */

/** Size in bytes of tp_fe_state on a 32-bit target: 6 pointers + 11 uint32. */
export const CORE_STATE_BYTES_ARM = 6 * 4 + 11 * 4;

/** Array lengths of <name>_state_t. C has no empty arrays: a passthrough history keeps 2 entries. */
export function stateArrayLengths(t: FrontEndTables) {
  const { nFft, nMels, windowFrames } = t.spec;
  return {
    fft: nFft,
    history: t.resampler.passthrough ? 2 : 2 * t.resampler.tapsPerPhase,
    frame: nFft,
    dbRing: windowFrames * nMels,
    windowOut: windowFrames * nMels,
  };
}

/** sizeof(<name>_state_t) on Cortex-M4 (checked against the compiler in the tests). */
export function frontEndStateBytes(t: FrontEndTables): number {
  const s = stateArrayLengths(t);
  const raw = CORE_STATE_BYTES_ARM + 4 * s.fft + 2 * (s.history + s.frame + s.dbRing) + s.windowOut;
  return Math.ceil(raw / 4) * 4;
}

/** Flash taken by the const tables and the config struct (ARM: 4-byte pointers; tp_fe_config is 160 bytes). */
export const CONFIG_STRUCT_BYTES_ARM = 160;
export function frontEndFlashBytes(t: FrontEndTables): number {
  const taps = Math.max(1, t.resampler.tapsQ.length);
  return (
    2 * taps +
    2 * t.hannQ15.length +
    2 * t.twiddleQ15.length +
    2 * (t.melStart.length + t.melLength.length + t.melOffset.length) +
    2 * Math.max(1, t.melWeights.length) +
    t.melShift.length +
    4 * t.log2Q16.length +
    // Per-band normalisation: an int32 mult and an int64 add per Mel band.
    (t.bandMult ? 12 * t.bandMult.length : 0) +
    CONFIG_STRUCT_BYTES_ARM
  );
}
