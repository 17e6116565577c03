import { fail } from '../../util/index.js';
import { tensorSize, type Graph, type OpKind } from '../../ir/index.js';
import type { FrontEndTables } from '../../audio/index.js';
import type { RunConfig } from '../../data/index.js';
import { ARENA_ALIGNMENT, type ArenaEstimate } from './arena/index.js';
import type { CModelFootprint, SketchRuntime } from './sketch-runtime.js';
import { checkSketchName } from './sketch-name.js';
import { scoringRamBytes, type SketchScoring } from './score-plan.js';

export { checkSketchName };

/**
 * Every number the generated sketch needs, computed once here (templates hold
 * no logic). Pure: same inputs, same plan.
 */
export interface SketchPlan {
  /** Folder, .ino base name and Serial banner; a plain identifier (checked). */
  name: string;
  runtime: SketchRuntime;
  fqbn: string;
  pdmRate: number;
  pdmGain: number;
  /** PDM.setBufferSize() argument; the callback copies at most this much per call. */
  pdmBufferBytes: number;
  /** SPSC ring between the PDM interrupt and loop(), in int16 samples (power of two). */
  ringCapacity: number;
  /** Samples loop() moves from the ring to the front-end per call of tp_ring_read. */
  drainChunk: number;
  /** TFLM: the planner's arena estimate; C: the model's activation buffer (exact). */
  arenaEstimateBytes: number;
  /** TFLM: the margin over the estimate; C: 0. */
  arenaMarginBytes: number;
  /** TFLM: kTensorArenaSize, estimate + margin rounded up to 16; C: the activation buffer. */
  arenaBytes: number;
  nMels: number;
  windowFrames: number;
  windowHop: number;
  inputCount: number;
  inputQuant: { scale: number; zeroPoint: number };
  outputQuant: { scale: number; zeroPoint: number };
  threshold: number;
  thresholdMethod: string;
  /** TFLM: distinct op kinds in order of first use (the resolver's registrations); C: the kind of each generated call. */
  ops: OpKind[];
  features: RunConfig['features'];
  /** The run's scoring (tinypdm.json `scoring`); absent: window MSE, no pooling. */
  scoring?: SketchScoring;
  /** What the threshold is compared with, for the config header's comment. */
  scoreName: string;
}

/**
 * Margin over the planner's estimate. The head (activations, scratch) is exact
 * under TFLM's planning rules; the persistent tail's constants are estimates
 * (src/codegen/arena/persistent.ts) that vary a little between library
 * versions, so the sketch reserves this much more. AllocateTensors' failure
 * message names the size if it is still short.
 */
export const ARENA_MARGIN_BYTES = 4096;
/** The ring holds this long at the PDM rate: room for one inference plus the front-end's burst. */
export const RING_SECONDS = 0.25;
/** 0x28 = 0 dB in the PDM library's 0.5 dB steps (PDM.setGain in the Arduino PDM library for nRF52840). */
export const DEFAULT_PDM_GAIN = 40;
export const DEFAULT_PDM_BUFFER_BYTES = 512;
export const DRAIN_CHUNK = 256;

function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

function roundUp(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

/** The distinct op kinds in order of first use. */
export function distinctOps(graph: Graph): OpKind[] {
  return [...new Set(graph.ops.map((o) => o.kind))];
}

export interface SketchPlanInput {
  name: string;
  fqbn: string;
  graph: Graph;
  run: RunConfig;
  tables: FrontEndTables;
  runtime: SketchRuntime;
  /** The TFLM arena estimate (runtime tflm). */
  arena?: ArenaEstimate;
  /** The compiled model (runtime c). */
  cModel?: CModelFootprint;
  pdmGain?: number;
  scoring?: SketchScoring;
}

export function planSketch(i: SketchPlanInput): SketchPlan {
  const name = checkSketchName(i.name);
  const g = i.graph;
  const input = g.tensors[g.inputs[0]!]!;
  const output = g.tensors[g.outputs[0]!]!;
  const f = i.run.features;
  const inputCount = f.nMels * f.windowFrames;
  if (g.inputs.length !== 1 || g.outputs.length !== 1) {
    fail(
      'BAD_ARGUMENT',
      `${g.name}: the sketch runs models with one input and one output, this one has ${g.inputs.length} and ${g.outputs.length}`,
    );
  }
  for (const t of [input, output]) {
    if (t.dtype !== 'int8' || !t.quant)
      fail(
        'BAD_ARGUMENT',
        `${g.name}: tensor '${t.name}' is ${t.dtype}; the sketch needs int8 model input and output, emit with --io int8`,
      );
    if (tensorSize(t.shape) !== inputCount) {
      fail(
        'SHAPE_MISMATCH',
        `${g.name}: tensor '${t.name}' [${t.shape.join(', ')}] has ${tensorSize(t.shape)} values, but the run's window is n_mels ${f.nMels} × ${f.windowFrames} frames = ${inputCount}; emit the model that run trained`,
      );
    }
  }
  const pdmGain = i.pdmGain ?? DEFAULT_PDM_GAIN;
  if (!Number.isInteger(pdmGain) || pdmGain < 0 || pdmGain > 80)
    fail('BAD_ARGUMENT', `PDM gain ${pdmGain} is outside 0..80 (0.5 dB steps, 40 = 0 dB)`);
  const pdmRate = i.tables.spec.pdmRate;
  const pdmBufferBytes = DEFAULT_PDM_BUFFER_BYTES;
  const ringCapacity = nextPowerOfTwo(Math.max(Math.ceil(pdmRate * RING_SECONDS), 4 * (pdmBufferBytes / 2)));
  const c = i.runtime === 'c';
  const arenaEstimateBytes = c ? i.cModel!.arenaBytes : i.arena!.totalBytes;
  return {
    name,
    runtime: i.runtime,
    fqbn: i.fqbn,
    pdmRate,
    pdmGain,
    pdmBufferBytes,
    ringCapacity,
    drainChunk: DRAIN_CHUNK,
    arenaEstimateBytes,
    arenaMarginBytes: c ? 0 : ARENA_MARGIN_BYTES,
    arenaBytes: c ? arenaEstimateBytes : roundUp(arenaEstimateBytes + ARENA_MARGIN_BYTES, ARENA_ALIGNMENT),
    nMels: f.nMels,
    windowFrames: f.windowFrames,
    windowHop: f.windowHop,
    inputCount,
    inputQuant: { scale: input.quant!.scale[0]!, zeroPoint: input.quant!.zeroPoint[0]! },
    outputQuant: { scale: output.quant!.scale[0]!, zeroPoint: output.quant!.zeroPoint[0]! },
    threshold: i.run.threshold.value,
    thresholdMethod: i.run.threshold.method ?? 'unknown',
    ops: c ? [...i.cModel!.calls] : distinctOps(g),
    features: f,
    ...(i.scoring ? { scoring: i.scoring } : {}),
    scoreName: i.scoring ? `score (${i.scoring.describe})` : "window's MSE score",
  };
}

/** RAM of the sketch's own buffers (ring, PDM copy chunk, drain scratch; the C runtime's model output), besides the arena and front-end state. */
export function sketchBufferBytes(p: SketchPlan): number {
  return 2 * p.ringCapacity + p.pdmBufferBytes + 2 * p.drainChunk + (p.runtime === 'c' ? p.inputCount : 0) + scoringRamBytes(p.scoring);
}
