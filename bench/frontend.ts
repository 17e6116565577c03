/**
 * Cortex-M4 cost of the fixed-point front-end, measured under QEMU
 * (mps2-an386, -icount shift=0) with SysTick: instructions, not cycles (a
 * proxy: the M4 runs most of these in one cycle, loads/stores and MACs a bit
 * more). The count covers tp_fe_push over a whole input, so the resampler's
 * share per hop, the FFT, Mel, log and the per-window quantisation are all in.
 */
import { buildFrontEndTables, type FrontEndSpec } from '../src/audio/fixed/index.js';
import { buildFrontEndHarness } from '../test/helpers/firmware-build.js';

export const BOARD_CLOCK_HZ = 64e6;

export interface FrontEndBench {
  targetRate: number;
  pdmRate: number;
  nFft: number;
  hop: number;
  nMels: number;
  instructionsPerColumn: number;
  /** instructionsPerColumn / (hop / targetRate · 64 MHz): 1 means the M4 is fully busy. */
  realTimeBudgetFraction: number;
}

export type BenchConfig = Pick<FrontEndSpec, 'sampleRate' | 'nFft' | 'hop' | 'nMels'> & Partial<FrontEndSpec>;

export const DEFAULT_BENCH_CONFIGS: BenchConfig[] = [
  { sampleRate: 24000, nFft: 2048, hop: 512, nMels: 64 },
  { sampleRate: 12000, nFft: 2048, hop: 512, nMels: 64 },
  { sampleRate: 6000, nFft: 2048, hop: 512, nMels: 64 },
  { sampleRate: 3000, nFft: 1024, hop: 256, nMels: 64 },
  { sampleRate: 1500, nFft: 512, hop: 128, nMels: 32 },
  { sampleRate: 750, nFft: 256, hop: 64, nMels: 32 },
  { sampleRate: 375, nFft: 256, hop: 64, nMels: 16 },
];

/** A deterministic noisy tone so no frame takes a shortcut (silence would skip the FFT). */
function benchInput(rate: number, samples: number): Int16Array {
  const x = new Int16Array(samples);
  let s = 12345;
  for (let i = 0; i < samples; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    x[i] = Math.round(6000 * Math.sin((2 * Math.PI * 440 * i) / rate) + ((s >>> 16) % 4000) - 2000);
  }
  return x;
}

export async function measureFrontEndOnM4(configs: BenchConfig[] = DEFAULT_BENCH_CONFIGS): Promise<FrontEndBench[]> {
  const built = configs.map((c, i) => ({
    name: `bench${i}`,
    tables: buildFrontEndTables({
      fmin: 0,
      windowFrames: 8,
      windowHop: 4,
      topDb: 80,
      affine: { a: 1 / 120, b: 100 / 120, inputScale: 1 / 255, inputZeroPoint: -128 },
      ...c,
    }),
  }));
  const harness = await buildFrontEndHarness(built, 'm4');
  const out: FrontEndBench[] = [];
  for (let i = 0; i < built.length; i++) {
    const t = built[i]!.tables;
    const { pdmRate, sampleRate: targetRate, nFft, hop, nMels } = t.spec;
    // Enough input for ≥ 12 columns after the first (whose wait includes n_fft/2 of latency).
    const targetSamples = nFft / 2 + 12 * hop;
    const samples = Math.ceil((targetSamples * pdmRate) / targetRate) + t.resampler.tapsPerPhase;
    const r = await harness.run(i, benchInput(pdmRate, samples), { bench: true });
    // Instructions over the whole stream divided by the columns it produced, so the
    // resampler's work for every hop is charged to a column.
    const instructionsPerColumn = Math.round(r.instructions / Math.max(1, r.columnsProduced));
    out.push({
      targetRate,
      pdmRate,
      nFft,
      hop,
      nMels,
      instructionsPerColumn,
      realTimeBudgetFraction: instructionsPerColumn / ((hop / targetRate) * BOARD_CLOCK_HZ),
    });
  }
  return out;
}
