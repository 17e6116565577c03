import type { Rng } from '../../random.js';
import { generateNormalClip } from '../normal.js';
import type { NormalClipParams } from '../types.js';
import { logLerp, type AnomalyCue } from './cue.js';

/**
 * A slipping belt: the drive speed wobbles by a few percent at 0.7–3 Hz, which
 * bends the pitch of the motor hum (50–120 Hz and harmonics) and the impact
 * rate. No new spectral energy is added; the cue is a low-frequency pitch and
 * timing change, so it survives even very low sample rates (subtly).
 */
export interface BeltSlipCue {
  wobbleHz: number;
  /** Peak speed deviation as a fraction of the speed. */
  depth: number;
  phase: number;
}

export const beltSlip: AnomalyCue<BeltSlipCue> = {
  type: 'belt-slip',
  cueBandHz: [40, 400],
  draw(rng: Rng, difficulty: number): BeltSlipCue {
    return {
      wobbleHz: rng.uniform(0.7, 3),
      // Normal within-clip drift is ≤ 0.8 % at ≤ 0.4 Hz; 30 % bends the hum harmonics across Mel bands (obvious), 0.4 % is lost in the drift.
      depth: logLerp(0.3, 0.004, difficulty) * rng.uniform(0.7, 1.4),
      phase: rng.uniform(0, 2 * Math.PI),
    };
  },
  render(normal: NormalClipParams, cue: BeltSlipCue, audioRng: Rng) {
    const slipping: NormalClipParams = {
      ...normal,
      speedModulation: [...normal.speedModulation, { rateHz: cue.wobbleHz, depth: cue.depth, phase: cue.phase }],
    };
    return generateNormalClip(slipping, audioRng);
  },
};
