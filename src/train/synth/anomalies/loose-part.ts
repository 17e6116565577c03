import type { Rng } from '../../random.js';
import { addStrike, dbToLinear } from '../dsp.js';
import { generateNormalClip } from '../normal.js';
import type { NormalClipParams } from '../types.js';
import { cueLevelDb, type AnomalyCue } from './cue.js';

/**
 * A loose part: irregular (Poisson-timed) dull knocks ringing at 80–350 Hz,
 * each with the short metallic rattle of the part against its mount
 * (3–5 kHz). The knock stays visible at every rate down to ~800 Hz; the
 * rattle, the more distinct cue, needs a rate above ~8 kHz.
 */
export interface LoosePartCue {
  knockHz: number;
  decaySec: number;
  /** Mean knocks per second. */
  ratePerSec: number;
  levelDb: number;
  rattleHz: number;
  rattleDecaySec: number;
  /** Rattle amplitude relative to its knock. */
  rattleRatio: number;
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
      rattleHz: rng.uniform(3000, 5000),
      rattleDecaySec: rng.uniform(0.003, 0.006),
      rattleRatio: rng.uniform(0.3, 0.6),
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
