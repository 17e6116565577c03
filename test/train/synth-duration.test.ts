import { describe, expect, it } from 'vitest';
import { decodeWavBytes } from '../../src/audio/wav.js';
import { SWEEP_DEFAULT_RATES } from '../../src/defaults.js';
import { TinyPdmError } from '../../src/util/errors.js';
import { MIN_CLIP_SECONDS, planDataset, renderClip } from '../../src/data/synth/dataset.js';
import { encodeWavPcm16 } from '../../src/data/synth/wav.js';
import { extractClip } from '../../src/data/features/clip-db.js';
import { resolveFeatureConfig, windowStarts } from '../../src/data/features/index.js';

/**
 * `synth --duration` (issue 13, part 7): every clip synth writes must be
 * readable by tinypdm's own reader and give at least one model window at every
 * rate of the default sweep with train's automatic features. MIN_CLIP_SECONDS
 * is that minimum, measured through the real front-end: it passes at the
 * minimum and a clip 0.01 s shorter fails at the lowest rate.
 */

/** Windows each default sweep rate gets from one clip of `seconds`, through synth's own writer and our reader. */
function windowsPerRate(seconds: number, sampleRate = 48000): Map<number, number> {
  const plan = planDataset({
    seed: 1,
    normal: 1,
    anomaliesPerType: 1,
    durationSec: Math.max(seconds, MIN_CLIP_SECONDS),
    sampleRate,
    difficulty: 0.2,
  });
  const out = new Map<number, number>();
  for (const clip of plan.clips) {
    // Below the minimum planDataset refuses, so the shorter clip is the rendered one cut to length.
    const samples = renderClip(plan.seed, clip).subarray(0, Math.round(seconds * sampleRate));
    const wav = decodeWavBytes(encodeWavPcm16(samples, sampleRate).bytes, clip.file);
    for (const rate of SWEEP_DEFAULT_RATES.filter((r) => r <= sampleRate)) {
      const { features } = resolveFeatureConfig(rate, { clipSeconds: wav.durationSec });
      const n = windowStarts(extractClip(features, wav, clip.file).nFrames, features).length;
      out.set(rate, Math.min(out.get(rate) ?? Infinity, n));
    }
  }
  return out;
}

describe('synth --duration', () => {
  it(`at the minimum (${MIN_CLIP_SECONDS} s) every clip, normal and anomalous, gives a window at every default sweep rate; 0.01 s less does not at 375 Hz`, () => {
    for (const [rate, n] of windowsPerRate(MIN_CLIP_SECONDS)) expect(n, `${rate} Hz`).toBeGreaterThanOrEqual(1);
    expect(windowsPerRate(MIN_CLIP_SECONDS - 0.01).get(375)).toBe(0);
    // The same at the lowest sample rate synth writes (for the rates it can hold).
    for (const [rate, n] of windowsPerRate(MIN_CLIP_SECONDS, 8000)) expect(n, `${rate} Hz at 8 kHz`).toBeGreaterThanOrEqual(1);
  });

  it.each([1e-9, 0, -1, 0.1, MIN_CLIP_SECONDS - 0.001, 61, NaN, Infinity])(
    '%s s is refused with BAD_ARGUMENT before anything is written',
    (seconds) => {
      let error: unknown;
      try {
        planDataset({ seed: 1, normal: 1, anomaliesPerType: 0, durationSec: seconds, difficulty: 0.2 });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(TinyPdmError);
      expect((error as TinyPdmError).code).toBe('BAD_ARGUMENT');
      expect((error as TinyPdmError).message).toBe(
        `synth --duration must be in [${MIN_CLIP_SECONDS}, 60] seconds, got ${seconds}; a clip shorter than ${MIN_CLIP_SECONDS} s gives no whole model window at 375 Hz`,
      );
    },
  );
});
