import { scoreParams, type ErrorModel, type WindowScoreParams } from '../../device/index.js';
import type { ScoringConfig } from '../../data/index.js';
import { fail } from '../../util/index.js';

/**
 * What the sketch needs to score windows as the run's eval does (tinypdm.json
 * `scoring`): the window score's float32 tables (absent for the MSE) and the
 * clip pool (method as firmware/core/clip_score.h numbers it).
 */
export interface SketchScoring {
  describe: string;
  params?: WindowScoreParams;
  pool?: { method: 0 | 1 | 2; permille: number; capacity: number };
}

const POOL_METHOD = { mean: 0, max: 1, percentile: 2 } as const;

/** The sketch's scoring from the run's: the error model's tables for 'mahalanobis', the pool over windowsPerClip windows. */
export function planScoring(s: ScoringConfig, errorModel: ErrorModel | undefined, describe: string): SketchScoring {
  if (s.window === 'mahalanobis' && !errorModel)
    fail(
      'RUN_MISMATCH',
      `the run scores with the Mahalanobis-style window score but has no error model; re-run tinypdm train --score mahalanobis:${s.rank}`,
    );
  return {
    describe,
    ...(s.window === 'mahalanobis' ? { params: scoreParams(errorModel!) } : {}),
    pool: { method: POOL_METHOD[s.pool.method], permille: s.pool.permille ?? 1000, capacity: s.windowsPerClip },
  };
}

/** Bytes of RAM the scoring adds: the standardised-error buffer and the pool's ring (and sort scratch for a percentile). */
export function scoringRamBytes(s: SketchScoring | undefined): number {
  if (!s) return 0;
  return 4 * (s.params?.count ?? 0) + 4 * (s.pool ? s.pool.capacity * (s.pool.method === 2 ? 2 : 1) : 0);
}

/** Bytes of flash the score tables take. */
export function scoringFlashBytes(s: SketchScoring | undefined): number {
  const p = s?.params;
  return p ? 4 * (2 * p.count + p.rank * p.count + p.rank) : 0;
}
