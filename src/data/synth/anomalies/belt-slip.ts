import type { Rng } from '../../../util/index.js';
import { dbToLinear } from '../dsp.js';
import { controlRateCurve, generateNormalClip } from '../normal.js';
import type { NormalClipParams } from '../types.js';
import { cueLevelDb, logLerp, type AnomalyCue } from './cue.js';

/**
 * A slipping belt: on each slip the belt stick-slips on the pulley and
 * squeals (1.7–2.7 kHz, the classic symptom of a slipping belt), and the
 * drive speed wobbles at 0.7–3 Hz by a few tenths of a percent, which bends
 * the motor hum's harmonics and the impact rate. The squeal needs a rate of
 * about 6 kHz; the wobble is as small as the normal speed drift, so below
 * 6 kHz a slipping belt is barely told apart: the step from 6000 to 3000 Hz
 * in the paper's Table 1.
 */
export interface BeltSlipCue {
  wobbleHz: number;
  /** Peak speed deviation as a fraction of the speed. */
  depth: number;
  phase: number;
  squealHz: number;
  /** Squeal level relative to the clip's hum level, at the peak of a slip. */
  squealDb: number;
}

export const beltSlip: AnomalyCue<BeltSlipCue> = {
  type: 'belt-slip',
  // The squeal, bent ±3 % by the slip; the faint wobble lives on the hum (40–400 Hz).
  cueBandHz: [1650, 2800],
  draw(rng: Rng, difficulty: number): BeltSlipCue {
    return {
      wobbleHz: rng.uniform(0.7, 3),
      // Normal within-clip drift is ≤ 0.8 % at ≤ 0.4 Hz. A 1 % wobble already stands out at low rates, where 32 Mel
      // bands are a few Hz wide (a PCA detector on the 750 Hz features then found belt slip at 0.9 AUC), so the
      // wobble stays below the drift.
      depth: logLerp(0.005, 0.0005, difficulty) * rng.uniform(0.7, 1.4),
      phase: rng.uniform(0, 2 * Math.PI),
      squealHz: rng.uniform(1700, 2700),
      squealDb: cueLevelDb(rng, difficulty, 6, -40),
    };
  },
  render(normal: NormalClipParams, cue: BeltSlipCue, audioRng: Rng) {
    const slipping: NormalClipParams = {
      ...normal,
      speedModulation: [...normal.speedModulation, { rateHz: cue.wobbleHz, depth: cue.depth, phase: cue.phase }],
    };
    const out = generateNormalClip(slipping, audioRng);
    const rng = audioRng.derive('belt-slip');
    const sr = normal.sampleRate;
    const amp = normal.gain * normal.humLevel * dbToLinear(cue.squealDb);
    // The belt squeals while it slips fastest (one half of each wobble cycle), and its pitch follows the slip.
    const slip = (t: number) => Math.sin(2 * Math.PI * cue.wobbleHz * t + cue.phase);
    const envelope = controlRateCurve(out.length, sr, (t) => Math.max(0, slip(t)) ** 2);
    const freq = controlRateCurve(out.length, sr, (t) => cue.squealHz * (1 + 0.03 * slip(t)));
    let phase = rng.uniform(0, 2 * Math.PI);
    for (let i = 0; i < out.length; i++) {
      phase += (2 * Math.PI * freq[i]!) / sr;
      // A stick-slip squeal is rich in harmonics: fundamental plus a weaker second.
      out[i]! += amp * envelope[i]! * (Math.sin(phase) + 0.4 * Math.sin(2 * phase));
    }
    return out;
  },
};
