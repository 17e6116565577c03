import type { Rng } from '../../random.js';
import { addStrike, dbToLinear } from '../dsp.js';
import { generateNormalClip } from '../normal.js';
import type { NormalClipParams } from '../types.js';
import { cueLevelDb, type AnomalyCue } from './cue.js';

/**
 * A loose part: irregular (Poisson-timed) dull knocks ringing at 80–500 Hz,
 * each with the short metallic rattle of the part against its mount
 * (1.7–2.7 kHz), louder than the knock. The rattle needs a rate of about
 * 6 kHz; the knock is faint (about a normal impact's level or below) and stays
 * visible down to ~1 kHz, losing its upper part at 750 and 375 Hz.
 */
export interface LoosePartCue {
  knockHz: number;
  decaySec: number;
  /** Mean knocks per second. */
  ratePerSec: number;
  levelDb: number;
  rattleHz: number;
  rattleDecaySec: number;
  /** Rattle amplitude relative to its knock: a rattle is sharp, the knock dull. */
  rattleRatio: number;
}

export const loosePart: AnomalyCue<LoosePartCue> = {
  type: 'loose-part',
  // The rattle; the fainter knock adds 60–600 Hz.
  cueBandHz: [1650, 2800],
  draw(rng: Rng, difficulty: number): LoosePartCue {
    return {
      knockHz: rng.uniform(80, 500),
      decaySec: rng.uniform(0.012, 0.035),
      ratePerSec: rng.uniform(1.5, 5),
      // Relative to the clip's normal impact level.
      levelDb: cueLevelDb(rng, difficulty, 0, -30),
      rattleHz: rng.uniform(1700, 2700),
      rattleDecaySec: rng.uniform(0.003, 0.006),
      rattleRatio: rng.uniform(2, 4),
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
      const start = Math.round(t * sr);
      const hit = amp * rng.uniform(0.5, 1.5);
      addStrike(out, sr, start, cue.knockHz * (1 + 0.05 * rng.normal()), cue.decaySec, hit, rng.uniform(0, 2 * Math.PI));
      addStrike(out, sr, start, cue.rattleHz * (1 + 0.03 * rng.normal()), cue.rattleDecaySec, cue.rattleRatio * hit, rng.uniform(0, 2 * Math.PI));
      t += -Math.log(1 - rng.next()) / cue.ratePerSec;
    }
    return out;
  },
};
