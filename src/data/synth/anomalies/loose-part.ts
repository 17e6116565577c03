import type { Rng } from '../../../util/index.js';
import { addStrike, dbToLinear } from '../dsp.js';
import { generateNormalClip } from '../normal.js';
import type { NormalClipParams } from '../types.js';
import { cueLevelDb, logLerp, type AnomalyCue } from './cue.js';

/**
 * A loose part: irregular (Poisson-timed) dull knocks ringing at 150–1000 Hz,
 * each followed by the rattle of the part bouncing against its mount: a few
 * bright inharmonic rings, 1.7–2.7 kHz and up. At 24 kHz the whole rattle is
 * heard; each halving of the rate takes a partial away, and below 6 kHz only
 * the knocks are left, which lose their upper part at 1500, 750 and 375 Hz.
 */
export interface LoosePartCue {
  knockHz: number;
  decaySec: number;
  /** Mean knocks per second. */
  ratePerSec: number;
  levelDb: number;
  rattleHz: number;
  rattleDecaySec: number;
  /** The part bounces against its mount this many times per knock, `bounceGapSec` apart, each bounce weaker. */
  bounces: number;
  bounceGapSec: number;
  /** Rattle amplitude relative to its knock: a rattle is sharp, the knock dull. */
  rattleRatio: number;
}

/**
 * A small metal part rings like a free plate: inharmonic partials, the higher
 * ones shorter. They put the rattle at 1.7–2.7, 3.9–6.3 and 7.2–11.5 kHz, so
 * each halving of the rate from 24 kHz takes part of it away.
 */
const RATTLE_PARTIALS = [
  { ratio: 1, amp: 1 },
  { ratio: 2.32, amp: 0.7 },
  { ratio: 4.25, amp: 0.5 },
] as const;

export const loosePart: AnomalyCue<LoosePartCue> = {
  type: 'loose-part',
  // The rattle's lowest partial; the rest of it reaches 11.5 kHz and the knock adds 150–1000 Hz.
  cueBandHz: [1650, 2800],
  draw(rng: Rng, difficulty: number): LoosePartCue {
    return {
      // Log-uniform over 150–1000 Hz: each halving of the rate below 3 kHz loses more of the knocks (12 % are below
      // 187 Hz, 48 % below 375 Hz, 85 % below 750 Hz), so the knock fades step by step instead of all at once.
      knockHz: logLerp(150, 1000, rng.next()),
      decaySec: rng.uniform(0.012, 0.035),
      ratePerSec: rng.uniform(1.5, 5),
      // Relative to the clip's normal impact level.
      levelDb: cueLevelDb(rng, difficulty, 12, -30),
      rattleHz: rng.uniform(1700, 2700),
      rattleDecaySec: rng.uniform(0.003, 0.006),
      bounces: 3 + rng.int(4),
      bounceGapSec: rng.uniform(0.008, 0.02),
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
      for (let b = 0; b < cue.bounces; b++) {
        const at = start + Math.round(b * cue.bounceGapSec * rng.uniform(0.8, 1.2) * sr);
        const f = cue.rattleHz * (1 + 0.03 * rng.normal());
        for (const p of RATTLE_PARTIALS) {
          addStrike(
            out,
            sr,
            at,
            f * p.ratio,
            cue.rattleDecaySec / Math.sqrt(p.ratio),
            p.amp * cue.rattleRatio * hit * 0.75 ** b,
            rng.uniform(0, 2 * Math.PI),
          );
        }
      }
      t += -Math.log(1 - rng.next()) / cue.ratePerSec;
    }
    return out;
  },
};
