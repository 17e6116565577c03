import { bitLength } from './int-math.js';
import type { FrontEndTables } from './tables.js';

/**
 * Sparse Mel sums and integer log → dB (Q8), the twin of tp_mel_db.c.
 *   M = Σ w·P' (exact, < 2^53); log2 M = msb + log2(1.f) from a 129-entry
 *   Q16 table with linear interpolation on the next 9 bits; the filter's
 *   weight scale (−shift) and the frame exponent are added as integers;
 *   dB_Q8 = round(log2_Q16 · 10·log10(2)) via a Q20 constant.
 * The result is floored at −100 dB (power_to_db's amin 1e-10) and held in int16.
 */
export function melDbColumn(t: FrontEndTables, power: Float64Array, frameExp: number | null, out: Int16Array, outOffset: number): void {
  const nMels = t.spec.nMels;
  const floor = t.dbFloorQ8;
  if (frameExp === null) {
    out.fill(floor, outOffset, outOffset + nMels);
    return;
  }
  const { melStart, melLength, melOffset, melWeights, melShift, log2Q16, dbPerLog2Q20 } = t;
  for (let m = 0; m < nMels; m++) {
    const start = melStart[m]!;
    const len = melLength[m]!;
    const off = melOffset[m]!;
    let acc = 0;
    for (let j = 0; j < len; j++) acc += melWeights[off + j]! * power[start + j]!;
    if (acc === 0) {
      out[outOffset + m] = floor;
      continue;
    }
    const msb = bitLength(acc) - 1;
    const top = msb >= 16 ? Math.floor(acc / 2 ** (msb - 16)) : acc * 2 ** (16 - msb);
    const f16 = top - 65536;
    const idx = f16 >> 9;
    const rem = f16 & 511;
    const lo = log2Q16[idx]!;
    const frac = lo + (((log2Q16[idx + 1]! - lo) * rem + 256) >> 9);
    const log2Q = (msb + frameExp - melShift[m]!) * 65536 + frac;
    let db = Math.floor((log2Q * dbPerLog2Q20 + 134217728) / 268435456);
    if (db < floor) db = floor;
    else if (db > 32767) db = 32767;
    out[outOffset + m] = db;
  }
}
