/**
 * librosa 0.9.2 `power_to_db(S, ref=1.0, amin=1e-10, top_db)` in two steps,
 * so the top_db clip can be taken over a chosen scope (the whole clip, as the
 * paper does, or each model window, as a streaming device must).
 */

/** Smallest power kept before the log (librosa's default `amin`). */
export const AMIN = 1e-10;

/** 10·log10(max(amin, S)) with ref = 1.0, into a new array. */
export function powerToDbUnclipped(power: Float64Array): Float64Array {
  const out = new Float64Array(power.length);
  for (let i = 0; i < power.length; i++) out[i] = 10 * Math.log10(Math.max(AMIN, power[i]!));
  return out;
}

/** max(x, max(x) − topDb) in place; returns `db`. A topDb of null keeps all. */
export function clipTopDb(db: Float64Array, topDb: number | null): Float64Array {
  if (topDb === null) return db;
  let peak = -Infinity;
  for (let i = 0; i < db.length; i++) if (db[i]! > peak) peak = db[i]!;
  const floor = peak - topDb;
  for (let i = 0; i < db.length; i++) if (db[i]! < floor) db[i] = floor;
  return db;
}
