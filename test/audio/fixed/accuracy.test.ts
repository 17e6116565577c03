/**
 * Accuracy of the fixed-point path against float64 on the same int16 input:
 * the float side uses the same polyphase prototype (resamplePolyphaseFloat,
 * unquantised taps), numpy's rfft for the STFT (centre zero padding, periodic
 * Hann — written here, independently of our code), the shared Slaney
 * filterbank and 10·log10(max(1e-10, ·)). Every bin within 60 dB of the clip's
 * maximum must agree to 0.5 dB.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { melFilterbank } from '../../../src/audio/mel-filters.js';
import { fixedFeatures, resamplePolyphaseFloat, type FrontEndTables } from '../../../src/audio/fixed/index.js';
import { CONFIGS } from './configs.js';
import { chirp, machine, whiteNoise } from './signals.js';

const NUMPY_STFT = `
import sys, numpy as np
n_fft, hop = int(sys.argv[2]), int(sys.argv[3])
y = np.fromfile(sys.argv[1], dtype='<f8')
p = np.pad(y, n_fft // 2)
frames = 1 + len(y) // hop
w = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n_fft) / n_fft)
S = np.stack([np.abs(np.fft.rfft(w * p[t * hop:t * hop + n_fft])) ** 2 for t in range(frames)], axis=1)
S.astype('<f8').tofile(sys.argv[4])
`;

function floatDb(t: FrontEndTables, pcm: Int16Array): { db: Float64Array; nFrames: number } {
  const y = resamplePolyphaseFloat(pcm, t.resampler).map((v) => v / 32768);
  const dir = mkdtempSync(path.join(tmpdir(), 'tp-acc-'));
  writeFileSync(path.join(dir, 'y.f64'), Buffer.from(y.buffer));
  const { nFft, hop, nMels, sampleRate: targetRate, fmin, fmax } = t.spec;
  execFileSync('/usr/bin/python3', ['-c', NUMPY_STFT, path.join(dir, 'y.f64'), String(nFft), String(hop), path.join(dir, 's.f64')]);
  const raw = readFileSync(path.join(dir, 's.f64'));
  const S = new Float64Array(raw.buffer, raw.byteOffset, raw.byteLength / 8);
  const nBins = nFft / 2 + 1;
  const nFrames = S.length / nBins;
  const mel = melFilterbank({ sampleRate: targetRate, nFft, nMels, fmin, fmax });
  const db = new Float64Array(nMels * nFrames);
  for (let m = 0; m < nMels; m++) {
    for (let f = 0; f < nFrames; f++) {
      let acc = 0;
      for (let k = 0; k < nBins; k++) acc += mel[m]![k]! * S[k * nFrames + f]!;
      db[m * nFrames + f] = 10 * Math.log10(Math.max(1e-10, acc));
    }
  }
  return { db, nFrames };
}

describe('fixed front-end accuracy vs float64 (same resampler prototype)', () => {
  // The resampler's int16 output adds a white rounding floor near −101 dBFS that
  // the float side does not have, so resampled signals must sit well above
  // −101 + 60 dBFS for the 60 dB criterion to measure the front-end, not int16.
  // Pass-through configs see the same int16 samples on both sides: there a
  // −64 dBFS chirp checks that block floating point keeps quiet frames precise.
  const cases: [string, (t: FrontEndTables) => Int16Array | null][] = [
    ['machine', (t) => machine(t.spec.pdmRate, 1.5)],
    ['noise', (t) => whiteNoise(t.spec.pdmRate, 1, 3000, 5)],
    ['in-band chirp at −21 dBFS', (t) => chirp(t.spec.pdmRate, 1, 3000, t.resampler.passbandHz)],
    ['chirp at −64 dBFS', (t) => (t.resampler.passthrough ? chirp(t.spec.pdmRate, 1, 20) : null)],
  ];
  for (const { name, tables } of CONFIGS) {
    it(`${name}: |fixed − float| ≤ 0.5 dB within 60 dB of the maximum`, () => {
      for (const [signal, make] of cases) {
        const pcm = make(tables);
        if (pcm === null) continue;
        const fixed = fixedFeatures(pcm, tables);
        const ref = floatDb(tables, pcm);
        expect(fixed.nFrames).toBe(ref.nFrames);
        let max = -Infinity;
        for (const v of ref.db) max = Math.max(max, v);
        let worst = 0;
        let compared = 0;
        for (let i = 0; i < ref.db.length; i++) {
          if (ref.db[i]! < max - 60) continue;
          compared++;
          worst = Math.max(worst, Math.abs(fixed.dbColumnsQ8[i]! / 256 - ref.db[i]!));
        }
        expect(compared, `${signal}: bins compared`).toBeGreaterThan(ref.db.length / 20);
        expect(worst, `${signal}: worst error (dB)`).toBeLessThanOrEqual(0.5);
      }
    });
  }
});
