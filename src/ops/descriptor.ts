import type * as tfjs from '@tensorflow/tfjs';
import type { Graph, OpKind, OpOf, Tensor } from '../ir/index.js';
import type { OpCodec } from './codecs/codec.js';
import type { Kernel } from './kernel.js';
import type { OpValidation } from './validate/rule.js';

/**
 * Everything tinypdm knows about one TFLite op, in one place. The registry
 * in ./index.ts is typed `{ [K in OpKind]: OpDescriptor<K> }`, so a new IR
 * op without a descriptor, or a descriptor missing a fact, does not compile.
 * Kernels and codecs stay in their own files (./kernels, ./codecs); the
 * descriptor is where every stage looks them up. docs/adding-an-op.md walks
 * through a new op.
 */
export interface OpDescriptor<K extends OpKind> {
  kind: K;
  /** The TFLite builtin code and options table, both ways (src/ops/codecs). */
  codec: OpCodec<K>;
  /** OperatorCode.version, as full TFLite's converter assigns it (tensorflow/lite/tools/versioning/op_version.cc). */
  version(op: OpOf<K>, graph: Graph): number;
  /** The reference kernels: float for calibration, int8 bit-exact with TFLM's reference kernels. */
  kernel: Kernel;
  /** What the reference kernel allocates besides its output, for memory estimates before a run (verify). */
  kernelScratch: KernelScratch;
  /** For ops with weights: where they, the data input and the bias sit, and their channel facts. */
  weights?: WeightFacts;
  /** How int8 quantisation sets the output's params (the TFLite int8 spec and TFLM's kernel checks). */
  outputQuant: OutputQuantRule;
  /**
   * What a graph must satisfy for this op: arity, shapes as the op computes
   * them, and for int8 the params the TFLite runtime's and TFLM's kernels
   * require. The graph validator (src/compiler/1-load/validate) runs it on
   * every loaded graph and before emit writes anything.
   */
  validate: OpValidation<K>;
  /** Keras lowering may fuse a following ReLU / ReLU6 into this op's options. */
  fusesActivation: boolean;
  /** Channel pruning may slice straight through: output channel c reads only input channel c, and no weights follow the channels. */
  passesChannelsThrough: boolean;
  /** Scaling the input's height and width scales every activation's the same way (the board-fit search reruns the planner on the rescaled graph). */
  spatiallyProportional: boolean;
  /** Multiply-accumulates per inference, counted as TFLM's loops run them. */
  macs(op: OpOf<K>, tensors: readonly Tensor[]): number;
  /** What the op costs and needs in TFLM on the board. */
  tflm: TflmFacts<K>;
  /** What the op costs in tinypdm's C runtime (the model compiled to C, src/compiler/6-emit/c-model) on the Cortex-M4 kernels. */
  cRuntime: CRuntimeFacts<K>;
  /** How fine-tuning rebuilds the op as a TF.js layer; absent: fine-tuning refuses a model with it. */
  finetune?: FinetuneLayer<K>;
  /**
   * Why the TFLite runtime `verify` checks against (tfjs-tflite, with the XNNPACK delegate) computes this op's int8
   * result with rounding of its own, not TFLM's; `verify` then holds the op to the 1-LSB bound only and leaves it out
   * of the identical-share criterion. Absent: TFLite's kernel does TFLM's arithmetic (up to rare ties).
   */
  runtimeRounding?: string;
}

export interface WeightFacts {
  /** Input slot of the weights. */
  slot: number;
  /** Input slot of the activations the weights multiply. */
  dataSlot: number;
  /** Input slot of the (optional, -1 when absent) bias. */
  biasSlot: number;
  /** Axis of the weight tensor that indexes output channels (the report's "per channel"). */
  outputChannelAxis: number;
  /**
   * int8 weight scales per output channel, or one per tensor. FULLY_CONNECTED
   * is per tensor: the Arduino TFLM library's kernel supports nothing else.
   */
  perChannelQuant: boolean;
  /** A BatchNormalization after the op can be folded into its weights. */
  foldsBatchNorm: boolean;
  /**
   * The TFLite runtime refuses the op without a bias (conv.cc / depthwise_conv.cc: "Tensor at index 2 was optional but
   * was expected"): the validator refuses such a graph, and a float .tflite without one gets zeros on load.
   */
  biasRequired: boolean;
}

/**
 * 'calibrated': the output keeps its own calibrated range. 'same-as-input':
 * TFLM's int8 kernel requires the output's params equal the input's (it
 * copies or clamps without requantising), so the group shares one range;
 * 'same-as-all-inputs' ties every input (CONCATENATION).
 * 'fixed-1/256': SOFTMAX and LOGISTIC outputs are scale 1/256, zero point −128.
 */
export type OutputQuantRule = 'calibrated' | 'same-as-input' | 'same-as-all-inputs' | 'fixed-1/256';

/**
 * Which TFLM kernel set the firmware links. The Arduino library
 * (Arduino_TensorFlowLite 2.4.0-ALPHA, synced from tflite-micro in February
 * 2023) builds the CMSIS-NN kernels for the Nano 33 BLE; the portable reference
 * kernels are what TFLM uses without an optimised target.
 */
export type ArenaTarget = 'tflm-reference' | 'tflm-cmsis-nn';

export interface TflmFacts<K extends OpKind> {
  /** The MicroMutableOpResolver method that registers the kernel. */
  resolverCall: string;
  /** measured: sizeof() the builtin options struct MicroBuiltinDataAllocator allocates (0: none). */
  builtinDataBytes: number;
  /** The kernel's OpData from Init (AllocatePersistentBuffer), per kernel set; counted or estimated (see ./tflm.ts). */
  userDataBytes: Record<ArenaTarget, number>;
  /** Prepare allocates an int32 multiplier and shift per output channel (8·Cout bytes). */
  perChannelMultipliers: boolean;
  /** Scratch buffers Prepare requests (RequestScratchBufferInArena), in bytes, in request order. */
  scratch: Record<ArenaTarget, (op: OpOf<K>, graph: Graph) => number[]>;
  /**
   * Flash of the kernel (Prepare/Eval plus the CMSIS-NN functions it pulls in) on the Cortex-M4: measured at -O2
   * where the descriptor says so (the kernel's own objects in the demo sketch), otherwise an estimate.
   */
  flashBytes: number;
}

/** One generated call of the C runtime, as its cost sees it. */
export interface CRuntimeCall {
  /** Multiply-accumulates of the call, as the generated kernel runs them. */
  macs: number;
  /** The op kinds the call absorbed: a conv's tiling MAX_POOL_2D, its RESIZE_NEAREST_NEIGHBOR / PAD input views. */
  fused: readonly OpKind[];
}

export interface CRuntimeFacts<K extends OpKind> {
  /**
   * Code of the kernel per generated call, in bytes, Cortex-M4 -Os (the core's level), arm-none-eabi-gcc 12.2:
   * measured by `npm run bench -- cbackend` (perOpKindOs.codeBytes: a one-op model's linked image minus the
   * harness alone minus its constant arrays), or an estimate where the descriptor says so.
   */
  flashBytesPerCall: number;
  /** Cortex-M4 instructions of one call at -Os, from per-unit rates measured on QEMU (./c-runtime.ts says how). */
  instructions(op: OpOf<K>, graph: Graph, call: CRuntimeCall): number;
}

export type Tfjs = typeof tfjs;

export interface FinetuneLayer<K extends OpKind> {
  /** The layer that computes the op; `refuse(what)` for options it cannot express. */
  layer(tf: Tfjs, op: OpOf<K>, graph: Graph, name: string, refuse: (what: string) => never): tfjs.layers.Layer;
  /** The layer takes every input of the op (ADD, CONCATENATION), not just the first. */
  takesAllInputs?: boolean;
  /** Weighted ops: the IR kernel's axes as Keras orders them (a transpose), or 'reshape' when only the shape differs. */
  kernelToKeras?: readonly number[] | 'reshape';
}

/**
 * Bytes the reference kernel allocates besides its output, per element of its
 * data input(s), its output and its weights (constant inputs): e.g. the
 * convolutions keep float64 copies of the centred input and the accumulators.
 * Ops that copy or map element by element into their output allocate none.
 */
export interface KernelScratch {
  input: number;
  output: number;
  weights: number;
}

export const NO_KERNEL_SCRATCH: KernelScratch = { input: 0, output: 0, weights: 0 };

/** No scratch on either kernel set. */
export const NO_SCRATCH = { 'tflm-reference': () => [], 'tflm-cmsis-nn': () => [] } as const;
