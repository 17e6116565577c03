import type { FrontEndTables } from '../../audio/index.js';

/**
 * Cortex-M4 instruction estimates for the sweep, so a sweep point needs no
 * cross-compiler or emulator.
 *
 * Front-end: a linear model fitted (least squares) to 14 QEMU mps2-an386
 * SysTick measurements of the C front-end (bench/frontend.ts,
 * measureFrontEndOnM4: 24000…375 Hz, n_fft 256…1024, 16…64 Mel bands), max
 * error 1.5 %. Per column (one hop of the target rate):
 *   229 per PDM input sample (the polyphase resampler's work grows with the
 *       decimation ratio, i.e. with PDM samples per hop)
 * + 15.4 per n_fft·log2(n_fft) (windowing + fixed-point FFT + power)
 * + 68.6 per Mel weight (sparse filterbank, log, window ring)
 * + 10 714 fixed.
 * Re-fit when firmware/frontend changes.
 */
const FE = { perPdmSample: 229.1, perFftTerm: 15.43, perMelWeight: 68.65, fixed: 10714 } as const;

export function frontEndInstructionsPerColumn(t: FrontEndTables): number {
  const { hop, nFft, pdmRate, sampleRate: targetRate } = t.spec;
  return FE.perPdmSample * ((hop * pdmRate) / targetRate) + FE.perFftTerm * nFft * Math.log2(nFft) + FE.perMelWeight * t.melWeights.length + FE.fixed;
}

/**
 * Inference: instructions per multiply-accumulate for int8 CONV_2D through
 * CMSIS-NN on the M4 (SMLAD does two 16-bit MACs; with operand loads,
 * im2col and requantisation the measured kernels land near 1 instruction per
 * MAC). An estimate, not a measurement: TFLM cannot be built here (the TFLM library cannot be built in the test environment).
 */
export const INFERENCE_INSTRUCTIONS_PER_MAC = 1.0;
