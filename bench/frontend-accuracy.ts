/**
 * Issue 3's accuracy numbers: the fixed-point front-end (its bit-exact twin)
 * against float64 on the same microphone samples, over a synthetic set, as a
 * distribution of |error| in dB over every bin within 60 dB of its clip's
 * maximum.
 *
 * 'samePrototype' isolates the fixed-point arithmetic (the float side runs the
 * same polyphase filter in float64). 'librosaPath' compares with the paper's
 * float pipeline (resampy kaiser_best to the target rate), which adds the
 * difference between the two resampling filters near Nyquist.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildFrontEndTables, choosePdmRate, fixedFeatures, resamplePolyphaseFloat } from '../src/audio/fixed/index.js';
import { melSpectrogramDb } from '../src/audio/mel-float/index.js';
import { simulateMicrophone } from '../src/audio/microphone.js';
import { resampleFloat } from '../src/audio/resample-float.js';
import { listWavFiles } from '../src/data/features/compute-features.js';
import { readWav } from '../src/audio/wav.js';
import { synthesizeDataset } from '../src/data/synth/index.js';

interface Distribution {
  bins: number;
  p50: number;
  p99: number;
  max: number;
  shareWithin05dB: number;
}

function distribution(errors: number[]): Distribution {
  const s = Float64Array.from(errors).sort();
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return {
    bins: s.length,
    p50: +q(0.5).toFixed(4),
    p99: +q(0.99).toFixed(4),
    max: +s[s.length - 1]!.toFixed(4),
    shareWithin05dB: +(s.filter((e) => e <= 0.5).length / s.length).toFixed(5),
  };
}

export async function benchFrontEndAccuracy(rates = [24000, 6000, 1500]): Promise<Record<string, unknown>> {
  const work = await mkdtemp(path.join(tmpdir(), 'tinypdm-acc-'));
  try {
    await synthesizeDataset({ outDir: path.join(work, 'data'), seed: 5, normal: 4, anomaliesPerType: 1, durationSec: 3, difficulty: 0.3 });
    const files = listWavFiles([path.join(work, 'data')]);
    const out: Record<string, unknown> = {};
    let twinSeconds = 0;
    let twinAudioSeconds = 0;
    for (const rate of rates) {
      const nFft = rate >= 6000 ? 2048 : 512;
      const hop = nFft / 4;
      const nMels = 32;
      const pdmRate = choosePdmRate(rate);
      const tables = buildFrontEndTables({
        sampleRate: rate,
        pdmRate,
        nFft,
        hop,
        nMels,
        fmin: 0,
        fmax: rate / 2,
        windowFrames: 1,
        windowHop: 1,
        topDb: null,
        affine: { a: 1, b: 0, inputScale: 1, inputZeroPoint: 0 },
      });
      const cfg = { sampleRate: rate, nFft, hop, nMels, fmin: 0, fmax: rate / 2, topDb: 1000 };
      const same: number[] = [];
      const librosa: number[] = [];
      const librosaBelowTopBand: number[] = [];
      for (const file of files) {
        const wav = readWav(file);
        const pcm = simulateMicrophone(wav.samples, wav.sampleRate, pdmRate);
        const t0 = performance.now();
        const fixed = fixedFeatures(pcm, tables);
        twinSeconds += (performance.now() - t0) / 1000;
        twinAudioSeconds += pcm.length / pdmRate;
        const refs = {
          same: melSpectrogramDb(
            resamplePolyphaseFloat(pcm, tables.resampler).map((v) => v / 32768),
            cfg,
            'clip',
          ),
          librosa: melSpectrogramDb(resampleFloat(wav.samples, wav.sampleRate, rate), cfg, 'clip'),
        };
        for (const [name, ref] of Object.entries(refs)) {
          const frames = Math.min(ref.nFrames, fixed.nFrames);
          let max = -Infinity;
          for (let m = 0; m < nMels; m++) for (let t = 0; t < frames; t++) max = Math.max(max, ref.data[m * ref.nFrames + t]!);
          for (let m = 0; m < nMels; m++) {
            for (let t = 0; t < frames; t++) {
              const r = ref.data[m * ref.nFrames + t]!;
              if (r < max - 60) continue;
              const e = Math.abs(fixed.dbColumnsQ8[m * fixed.nFrames + t]! / 256 - r);
              if (name === 'same') same.push(e);
              else {
                librosa.push(e);
                if (m < nMels - 1) librosaBelowTopBand.push(e);
              }
            }
          }
        }
      }
      out[String(rate)] = {
        nFft,
        hop,
        nMels,
        pdmRate,
        clips: files.length,
        samePrototype: distribution(same),
        librosaPath: distribution(librosa),
        librosaPathWithoutTopMelBand: distribution(librosaBelowTopBand),
      };
    }
    return { errorDb: out, twinThroughputRealtimeFactor: +(twinAudioSeconds / twinSeconds).toFixed(1) };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
