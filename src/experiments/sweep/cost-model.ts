import type { FrontEndTables } from '../../audio/index.js';
import { cModelSteps } from '../../compiler/index.js';
import type { Graph } from '../../ir/index.js';
import { opOf } from '../../ops/index.js';

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
  return (
    FE.perPdmSample * ((hop * pdmRate) / targetRate) +
    FE.perFftTerm * nFft * Math.log2(nFft) +
    FE.perMelWeight * t.melWeights.length +
    FE.fixed
  );
}

/**
 * Inference on the C runtime (the sketch's default): each generated call costs
 * what its op's descriptor says (src/ops, `cRuntime.instructions`): Cortex-M4
 * instructions per MAC or per element, measured with QEMU mps2-an386
 * -icount shift=0 and SysTick at -Os (the mbed core's optimisation level) by
 * `npm run bench -- cbackend` (arm-none-eabi-gcc 12.2); ops fused into a conv
 * (a tiling MAX_POOL_2D after it, a RESIZE_NEAREST_NEIGHBOR or PAD before it)
 * cost nothing beyond the conv's rate, measured with them fused. On the demo
 * model this gives 10.32 M instructions (10.27 M measured), with half its
 * filters pruned 3.39 M (3.43 M measured).
 *
 * For reference, TFLM + CMSIS-NN on the demo model measures 2.49 instructions
 * per MAC at -O2 and 3.41 at -Os (3.40 / 4.52 with half the filters pruned):
 * middle convs 2.0–2.2, a conv with one input channel 8.6, one with one output
 * channel 7.9 (Arduino_TensorFlowLite 2.4.0-ALPHA, arm-none-eabi-gcc 12.2,
 * the same QEMU method).
 */
export const TFLM_INSTRUCTIONS_PER_MAC = { o2: 2.49, os: 3.41 } as const;

/** Cortex-M4 instructions of one inference of `graph` on the C runtime, from the measured per-op rates. */
export function inferenceInstructions(graph: Graph): number {
  let total = 0;
  for (const s of cModelSteps(graph)) {
    const fused = s.kinds.filter((k) => k !== s.op.kind);
    total += opOf(s.op.kind).cRuntime.instructions(s.op, graph, { macs: s.macs, fused });
  }
  return Math.round(total);
}
