/** Table generator, rate choice, resampler design and the rendered header. */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { TinyPdmError } from '../../../src/util/errors.js';
import { buildFrontEndTables, choosePdmRate, designResampler, frontEndFlashBytes } from '../../../src/audio/fixed/index.js';
import { renderFrontEndHeader } from '../../../src/compiler/6-emit/frontend-header.js';
import { measureFrontEndOnM4 } from '../../../bench/frontend.js';
import { SPECS } from './configs.js';

describe('choosePdmRate', () => {
  it('uses 16000 up to 16 kHz, 41667 above, and refuses targets above 41667', () => {
    expect([375, 750, 1500, 3000, 6000, 12000, 16000].map(choosePdmRate)).toEqual(Array(7).fill(16000));
    expect([16001, 24000, 41667].map(choosePdmRate)).toEqual([41667, 41667, 41667]);
    expect(() => choosePdmRate(48000)).toThrow(TinyPdmError);
    try {
      choosePdmRate(48000);
    } catch (e) {
      expect((e as TinyPdmError).code).toBe('BAD_RATE');
      expect((e as Error).message).toContain('48000');
    }
  });
});

/** |H(f)| of every phase, by numpy's own DTFT (scipy.signal.freqz), independent of our code. */
function phaseResponsesDb(taps: Float64Array, K: number, P: number, rate: number, freqs: number[]): number[][] {
  const script = `
import sys, json, numpy as np
from scipy.signal import freqz
d = json.load(sys.stdin)
h = np.array(d['taps']).reshape(d['P'], d['K'])
P = min(d['P'], 8)
out = [list(20*np.log10(np.abs(freqz(h[p*d['P']//P], worN=np.array(d['f']), fs=d['rate'])[1]) + 1e-300)) for p in range(P)]
print(json.dumps(out))`;
  const out = execFileSync('/usr/bin/python3', ['-c', script], { input: JSON.stringify({ taps: Array.from(taps), K, P, rate, f: freqs }) });
  return JSON.parse(out.toString()) as number[][];
}

describe('polyphase resampler design', () => {
  for (const [pdm, target] of [
    [16000, 6000],
    [16000, 375],
    [41667, 24000],
  ] as const) {
    it(`${pdm}→${target}: passband flat to 0.1 dB, stopband ≥ 60 dB down on every phase`, () => {
      const d = designResampler(pdm, target);
      expect(d.passthrough).toBe(false);
      expect(target / pdm).toBeCloseTo(d.up / d.down, 12);
      const pass = Array.from({ length: 8 }, (_, i) => (d.passbandHz * i) / 7);
      const stop = Array.from({ length: 16 }, (_, i) => d.stopbandHz + ((pdm / 2 - d.stopbandHz) * i) / 15);
      const resp = phaseResponsesDb(d.taps, d.tapsPerPhase, d.phases, pdm, [...pass, ...stop]);
      for (const r of resp) {
        r.slice(0, pass.length).forEach((v) => expect(Math.abs(v)).toBeLessThan(0.1));
        r.slice(pass.length).forEach((v) => expect(v).toBeLessThan(-60));
      }
    });
  }
  it('uses exact phases for small up factors and 256 nearest phases for 41667→24000', () => {
    expect(designResampler(16000, 6000)).toMatchObject({ up: 3, down: 8, phases: 3 });
    expect(designResampler(41667, 24000)).toMatchObject({ up: 8000, down: 13889, phases: 256 });
    expect(designResampler(16000, 16000).passthrough).toBe(true);
  });
});

describe('tables and header', () => {
  it('Q15 Hann and Slaney weights reproduce their float definitions', () => {
    const t = buildFrontEndTables(SPECS.r6000!);
    const n = t.spec.nFft;
    for (let i = 0; i < n; i += 97)
      expect(Math.abs(t.hannQ15[i]! / 32768 - (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n)))).toBeLessThanOrEqual(1 / 32768);
    // Slaney filter m peaks where the two slopes meet; the per-filter scale keeps ≥ 14 bits.
    for (let m = 0; m < t.spec.nMels; m++) {
      const w = t.melWeights.subarray(t.melOffset[m], t.melOffset[m]! + t.melLength[m]!);
      expect(Math.max(...w)).toBeGreaterThanOrEqual(16384);
    }
  });

  it('renders a deterministic header with a banner; gcc accepts it (see bitexact tests)', () => {
    const t = buildFrontEndTables(SPECS.r24000!);
    const a = renderFrontEndHeader(t, 'fe24k');
    expect(a).toBe(renderFrontEndHeader(buildFrontEndTables(SPECS.r24000!), 'fe24k'));
    expect(a.split('\n').slice(0, 6).join('\n')).toMatch(
      /tinypdm .* generated — do not edit[\s\S]*target 24000 Hz, n_fft 2048, hop 512, n_mels 256/,
    );
    expect(frontEndFlashBytes(t)).toBeGreaterThan(2 * t.resampler.tapsQ.length);
    expect(() => renderFrontEndHeader(t, '9bad')).toThrow(/not a C identifier/);
  });

  it('refuses bad configurations with the value and the fix', () => {
    expect(() => buildFrontEndTables({ ...SPECS.r6000!, nFft: 1000 })).toThrow(/n_fft 1000 .*256, 512/);
    expect(() => buildFrontEndTables({ ...SPECS.r6000!, hop: 4096 })).toThrow(/hop 4096/);
    expect(() => buildFrontEndTables({ ...SPECS.r6000!, fmax: 5000 })).toThrow(/fmax/);
    expect(() => buildFrontEndTables({ ...SPECS.r24000!, pdmRate: 16000 })).toThrow(/above the PDM rate/);
  });
});

describe('Cortex-M4 cost (instruction counts under QEMU, deterministic)', () => {
  it('6000 Hz, n_fft 2048, hop 512 uses < 15% of the 64 MHz real-time budget', async () => {
    const [r] = await measureFrontEndOnM4([{ sampleRate: 6000, nFft: 2048, hop: 512, nMels: 64 }]);
    expect(r!.instructionsPerColumn).toBeGreaterThan(100_000); // an FFT of 2048 cannot be cheaper
    expect(r!.realTimeBudgetFraction).toBeLessThan(0.15);
  });
});
