import type { FrontEndTables } from '../../audio/fixed/index.js';
import { cModelSteps } from '../../codegen/c-model/index.js';
import { tensorSize, type Graph, type OpKind } from '../../model/ir.js';

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
  const { hop, nFft, pdmRate, targetRate } = t.spec;
  return FE.perPdmSample * ((hop * pdmRate) / targetRate) + FE.perFftTerm * nFft * Math.log2(nFft) + FE.perMelWeight * t.melWeights.length + FE.fixed;
}

/**
 * Inference on the C runtime (the sketch's default): Cortex-M4 instructions
 * per unit of work of each generated step, measured with QEMU mps2-an386
 * -icount shift=0 and SysTick at -Os (the mbed core's optimisation level) by
 * `npm run bench -- cbackend`: the demo model and its --prune-channels 0.5
 * variant per layer, the one-op models of every other kind. A step's cost is
 * its MACs (or, for ops without MACs, its output elements) times the rate;
 * ops fused into a conv (a tiling MAX_POOL_2D after it, a RESIZE_NEAREST_NEIGHBOR
 * or PAD before it) cost nothing beyond the conv's rate, which was measured
 * with them fused. Re-measure when firmware/kernels changes.
 *
 * For reference, TFLM + CMSIS-NN on the same model measures 2.49 instructions
 * per MAC at -O2 and 3.41 at -Os (3.40 / 4.52 with half the filters pruned):
 * middle convs 2.0–2.2, a conv with one input channel 8.6, one with one output
 * channel 7.9 (Arduino_TensorFlowLite 2.4.0-ALPHA, arm-none-eabi-gcc 12.2,
 * the same QEMU method).
 */
export const C_RUNTIME_COST = {
  /** Per MAC of a conv step (its fused pool or view included). */
  conv: {
    /** Input depth a multiple of 4, two or more output channels: the SMLAD kernel on unpacked columns. */
    general: 1.35,
    /** Input depth not a multiple of 4 (e.g. the first conv, one input channel): columns unpacked value by value. */
    narrowInput: 4.6,
    /** One output channel, no pooling: taps read in place. */
    singleOutput: 3.0,
  },
  /** Per MAC. */
  perMac: { DEPTHWISE_CONV_2D: 6, FULLY_CONNECTED: 4, TRANSPOSE_CONV: 9 } as Partial<Record<OpKind, number>>,
  /** Per output element of the step (MEAN: per input element). */
  perElement: {
    MAX_POOL_2D: 40, AVERAGE_POOL_2D: 45, MEAN: 8, RESIZE_NEAREST_NEIGHBOR: 12, PAD: 12, ADD: 60, CONCATENATION: 10,
    RESHAPE: 1, SOFTMAX: 400, LOGISTIC: 300, RELU: 30, RELU6: 8, QUANTIZE: 30, DEQUANTIZE: 10,
  } as Partial<Record<OpKind, number>>,
};

/** TFLM + CMSIS-NN's measured instructions per MAC on the demo model, for comparison (see above). */
export const TFLM_INSTRUCTIONS_PER_MAC = { o2: 2.49, os: 3.41 } as const;

/** Cortex-M4 instructions of one inference of `graph` on the C runtime, from the measured rates above. */
export function inferenceInstructions(graph: Graph): number {
  let total = 0;
  for (const s of cModelSteps(graph)) {
    const inC = graph.tensors[s.reads[0]!]!.shape.at(-1)!;
    const out = graph.tensors[s.write]!;
    if (s.kinds.includes('CONV_2D')) {
      const rate = inC % 4 !== 0 ? C_RUNTIME_COST.conv.narrowInput : out.shape.at(-1) === 1 && !s.kinds.includes('MAX_POOL_2D') ? C_RUNTIME_COST.conv.singleOutput : C_RUNTIME_COST.conv.general;
      total += s.macs * rate;
      continue;
    }
    const kind = s.kinds[0]!;
    const perMac = C_RUNTIME_COST.perMac[kind];
    if (perMac !== undefined) {
      total += s.macs * perMac;
      continue;
    }
    const elements = kind === 'MEAN' ? tensorSize(graph.tensors[s.reads[0]!]!.shape) : tensorSize(out.shape);
    total += elements * (C_RUNTIME_COST.perElement[kind] ?? 0);
  }
  return Math.round(total);
}
