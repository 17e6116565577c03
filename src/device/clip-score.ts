/**
 * TypeScript twin of firmware/core/clip_score.c: the window scores of the last
 * `capacity` windows pooled into a clip score by mean (float32, oldest first),
 * max, or nearest-rank percentile (per mille). Bit-identical to the C; eval
 * pools each clip's windows with `poolScores`, so the device's score after a
 * clip's last window is eval's clip score.
 */
export type PoolMethod = 'mean' | 'max' | 'percentile';

export interface PoolSpec {
  method: PoolMethod;
  /** Percentile in per mille (1..1000); only for 'percentile'. */
  permille?: number;
}

const f32 = Math.fround;

/** The pooled score of `scores` (float32 values, oldest first), as tp_clip_pool_push returns it once they are all held. */
export function poolScores(scores: ArrayLike<number>, spec: PoolSpec): number {
  const n = scores.length;
  if (n === 0) return 0;
  if (spec.method === 'max') {
    let acc = f32(scores[0]!);
    for (let i = 1; i < n; i++) if (f32(scores[i]!) > acc) acc = f32(scores[i]!);
    return acc;
  }
  if (spec.method === 'percentile') {
    const sorted = Float32Array.from(scores).sort();
    const rank = Math.max(1, Math.floor((permilleOf(spec) * n + 999) / 1000));
    return sorted[rank - 1]!;
  }
  let acc = 0;
  for (let i = 0; i < n; i++) acc = f32(acc + f32(scores[i]!));
  return f32(acc / n);
}

/** A streaming pool of `capacity` windows, as the device keeps it (tp_clip_pool). */
export function createClipPool(spec: PoolSpec, capacity: number): { push(score: number): number } {
  const ring: number[] = [];
  return {
    push(score: number): number {
      if (capacity === 0) return score;
      ring.push(f32(score));
      if (ring.length > capacity) ring.shift();
      return poolScores(ring, spec);
    },
  };
}

function permilleOf(spec: PoolSpec): number {
  const p = spec.permille ?? 1000;
  return Math.min(1000, Math.max(1, Math.round(p)));
}
