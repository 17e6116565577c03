import type { ArenaEstimate, Budget } from '../../4-plan/index.js';
import type { SourceModel } from '../../1-load/index.js';
import type { Graph } from '../../../ir/index.js';
import { opStats, type OpStats } from './op-stats.js';
import type { OptimizationReport } from './optimization.js';

/** Everything `emit` tells a user about the compiled model, as data (report.json). */
export interface EmitReport {
  tool: string;
  command: string;
  source: { format: string; kerasVersion?: string; layers: number };
  input: TensorSummary;
  output: TensorSummary;
  ops: OpStats[];
  totals: { params: number; paramBytes: number; macs: number; flatbufferBytes: number };
  arena: ArenaEstimate;
  opsUsed: string[];
  /** RAM and flash on the target board, when emitting firmware (--board). */
  budget?: Budget;
  /** Pruning/clustering results, when emit ran optimisation passes or --eval-data. */
  optimization?: OptimizationReport;
  /** The model compiled to C, when the sketch uses the C runtime. */
  cRuntime?: CRuntimeReport;
}

export interface CRuntimeReport {
  /** The static activation buffer, exact (the generated C declares this many bytes). */
  activationBytes: number;
  /** Weights, biases, multipliers, shifts and tables in flash. */
  constBytes: number;
  steps: Array<{ kinds: string[]; layers: string[]; macs: number; scratchBytes: number }>;
}

/** What the report says about a compiled model. */
export function cRuntimeReport(m: {
  arenaBytes: number;
  constBytes: number;
  steps: ReadonlyArray<{ kinds: readonly string[]; names: readonly string[]; macs: number; scratchBytes: number }>;
}): CRuntimeReport {
  return {
    activationBytes: m.arenaBytes,
    constBytes: m.constBytes,
    steps: m.steps.map((s) => ({ kinds: [...s.kinds], layers: [...s.names], macs: s.macs, scratchBytes: s.scratchBytes })),
  };
}

export interface TensorSummary {
  name: string;
  shape: number[];
  dtype: string;
  scale?: number;
  zeroPoint?: number;
}

export function buildReport(args: {
  loaded: SourceModel;
  graph: Graph;
  flatbufferBytes: number;
  arena: ArenaEstimate;
  command: string;
  version: string;
}): EmitReport {
  const { loaded, graph } = args;
  const ops = opStats(graph);
  const summary = (id: number): TensorSummary => {
    const t = graph.tensors[id]!;
    return {
      name: t.name,
      shape: t.shape,
      dtype: t.dtype,
      ...(t.quant ? { scale: t.quant.scale[0]!, zeroPoint: t.quant.zeroPoint[0]! } : {}),
    };
  };
  return {
    tool: `tinypdm ${args.version}`,
    command: args.command,
    source: { format: loaded.format, ...(loaded.kerasVersion ? { kerasVersion: loaded.kerasVersion } : {}), layers: loaded.layerCount },
    input: summary(graph.inputs[0]!),
    output: summary(graph.outputs[0]!),
    ops,
    totals: {
      params: ops.reduce((a, o) => a + o.params, 0),
      paramBytes: ops.reduce((a, o) => a + o.paramBytes, 0),
      macs: ops.reduce((a, o) => a + o.macs, 0),
      flatbufferBytes: args.flatbufferBytes,
    },
    arena: args.arena,
    opsUsed: [...new Set(graph.ops.map((o) => o.kind))].sort(),
  };
}
