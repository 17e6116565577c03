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
 * `npm run bench -- cbackend` (arm-none-eabi-gcc 12.2). A step's cost is its
 * MACs (or, for ops without MACs, its elements) times the rate; ops fused
 * into a conv (a tiling MAX_POOL_2D after it, a RESIZE_NEAREST_NEIGHBOR or PAD
 * before it) cost nothing beyond the conv's rate, measured with them fused.
 *
 * Convs: the per-MAC rate falls as the kernel's per-pixel work (unpacking the
 * column, the taps) is shared by more output channels (or, for one output
 * channel, more input channels). Fitted to the demo model and its
 * --prune-channels 0.5 variant, per layer at -Os (within 0.03 of every point):
 *   depth a multiple of 4, ≥ 2 output channels: 1.08 + 5.5 / Cout
 *     (Cout 64: 1.17, 32: 1.22–1.29, 16: 1.40, 8: 1.77)
 *   depth not a multiple of 4 (the first conv, 1 input channel): 3.78 + 13.8 / Cout
 *     (Cout 32: 4.21, 16: 4.64)
 *   one output channel, no pooling (the last conv): 1.89 + 15.8 / Cin
 *     (Cin 16: 2.88, 8: 3.87)
 * FULLY_CONNECTED runs on the same kernel: 1.96 per MAC for a ToyCar-shaped
 * model (640-128-…-8-…-640). The other rates come from the interpreter's
 * one-op cases (small tensors, so they include the per-call overhead):
 * DEPTHWISE_CONV_2D and TRANSPOSE_CONV run the portable reference kernels.
 * Re-measure when firmware/kernels changes.
 *
 * For reference, TFLM + CMSIS-NN on the demo model measures 2.49 instructions
 * per MAC at -O2 and 3.41 at -Os (3.40 / 4.52 with half the filters pruned):
 * middle convs 2.0–2.2, a conv with one input channel 8.6, one with one output
 * channel 7.9 (Arduino_TensorFlowLite 2.4.0-ALPHA, arm-none-eabi-gcc 12.2,
 * the same QEMU method).
 */
export const C_RUNTIME_COST = {
  conv: {
    general: (cout: number) => 1.08 + 5.5 / cout,
    narrowInput: (cout: number) => 3.78 + 13.8 / cout,
    singleOutput: (cin: number) => 1.89 + 15.8 / cin,
  },
  /** Per MAC. */
  perMac: { FULLY_CONNECTED: 1.96, DEPTHWISE_CONV_2D: 21.5, TRANSPOSE_CONV: 34 } as Partial<Record<OpKind, number>>,
  /** Per output element of the step (MEAN: per input element). */
  perElement: {
    MAX_POOL_2D: 38, AVERAGE_POOL_2D: 98, MEAN: 9.1, RESIZE_NEAREST_NEIGHBOR: 3.3, PAD: 10.5, ADD: 60, CONCATENATION: 10,
    RESHAPE: 3.3, SOFTMAX: 500, LOGISTIC: 341, RELU: 15, RELU6: 8.1, QUANTIZE: 26, DEQUANTIZE: 10,
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
      const cout = out.shape.at(-1)!;
      const rate = inC % 4 !== 0 ? C_RUNTIME_COST.conv.narrowInput(cout)
        : cout === 1 && !s.kinds.includes('MAX_POOL_2D') ? C_RUNTIME_COST.conv.singleOutput(inC)
        : C_RUNTIME_COST.conv.general(cout);
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
