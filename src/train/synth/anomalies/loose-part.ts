import type { Rng } from '../../random.js';
import { addStrike, dbToLinear } from '../dsp.js';
import { generateNormalClip } from '../normal.js';
import type { NormalClipParams } from '../types.js';
import { cueLevelDb, type AnomalyCue } from './cue.js';

/**
 * A loose part: irregular (Poisson-timed) dull knocks ringing at 80–350 Hz.
 * The cue sits below 400 Hz, so it stays visible at every rate down to ~800 Hz.
 */
export interface LoosePartCue {
  knockHz: number;
  decaySec: number;
  /** Mean knocks per second. */
  ratePerSec: number;
  levelDb: number;
}

export const loosePart: AnomalyCue<LoosePartCue> = {
  type: 'loose-part',
  cueBandHz: [60, 400],
  draw(rng: Rng, difficulty: number): LoosePartCue {
    return {
      knockHz: rng.uniform(80, 350),
      decaySec: rng.uniform(0.012, 0.035),
      ratePerSec: rng.uniform(1.5, 5),
      // Relative to the clip's normal impact level.
      levelDb: cueLevelDb(rng, difficulty, 20, -30),
    };
  },
  render(normal: NormalClipParams, cue: LoosePartCue, audioRng: Rng) {
    const out = generateNormalClip(normal, audioRng);
    const rng = audioRng.derive('loose-part');
    const sr = normal.sampleRate;
    const amp = normal.gain * normal.impactLevel * dbToLinear(cue.levelDb);
    // The first knock lands in the first 80 % of the clip, so that no clip
    // labelled "loose part" is silent by chance; then exponential gaps
    // (1 - next() is in (0, 1], so the log is finite).
    let t = rng.uniform(0, Math.min(1 / cue.ratePerSec, 0.8 * normal.durationSec));
    while (t < normal.durationSec) {
      addStrike(out, sr, Math.round(t * sr), cue.knockHz * (1 + 0.05 * rng.normal()), cue.decaySec, amp * rng.uniform(0.5, 1.5), rng.uniform(0, 2 * Math.PI));
      t += -Math.log(1 - rng.next()) / cue.ratePerSec;
    }
    return out;
  },
};
