import { gzipSync } from 'fflate';
import { tensorBytes, tensorSize, type Graph, type Op, type Tensor } from '../../../ir/index.js';
import { OPS } from '../../../ops/index.js';
import { opMacs } from './op-stats.js';

/**
 * What pruning and clustering bought, per weighted layer. TFLM stores tensors
 * dense, so unstructured pruning and clustering do not shrink the flatbuffer;
 * they pay off in compressed size (an OTA update, a zipped download), which is
 * why gzip bytes are reported beside raw bytes. Structured pruning shows up
 * directly in MACs and raw bytes.
 */
export interface LayerCompression {
  name: string;
  kind: Op['kind'];
  weights: number;
  /** Share of weights that are exactly zero (int8 0 after quantisation). */
  sparsity: number;
  channels: number;
  /** Distinct weight values per output channel (≤ K after clustering). */
  distinctPerChannel: { min: number; max: number; mean: number };
  macs: number;
  /** Weights plus bias as stored. */
  rawBytes: number;
  gzipBytes: number;
}

export interface CompressionReport {
  layers: LayerCompression[];
  totals: {
    weights: number;
    sparsity: number;
    macs: number;
    rawBytes: number;
    gzipBytes: number;
    flatbufferBytes?: number;
    flatbufferGzipBytes?: number;
  };
}

export function compressionReport(graph: Graph, flatbuffer?: Uint8Array): CompressionReport {
  const layers: LayerCompression[] = [];
  for (const op of graph.ops) {
    const facts = OPS[op.kind].weights;
    if (!facts) continue;
    const axis = facts.outputChannelAxis;
    const w = graph.tensors[op.inputs[facts.slot]!]!;
    const biasId = op.inputs[facts.biasSlot] ?? -1;
    const bias = biasId >= 0 ? graph.tensors[biasId] : undefined;
    const values = w.data!;
    const distinct = distinctPerChannel(w, axis);
    let zeros = 0;
    for (let i = 0; i < values.length; i++) if (Number(values[i]) === 0) zeros++;
    const stored = concatBytes([w, ...(bias ? [bias] : [])]);
    layers.push({
      name: op.name,
      kind: op.kind,
      weights: values.length,
      sparsity: zeros / values.length,
      channels: distinct.length,
      distinctPerChannel: {
        min: Math.min(...distinct),
        max: Math.max(...distinct),
        mean: distinct.reduce((a, b) => a + b, 0) / distinct.length,
      },
      macs: opMacs(op, graph.tensors),
      rawBytes: tensorBytes(w) + (bias ? tensorBytes(bias) : 0),
      gzipBytes: gzipSize(stored),
    });
  }
  const weights = layers.reduce((a, l) => a + l.weights, 0);
  return {
    layers,
    totals: {
      weights,
      sparsity: weights ? layers.reduce((a, l) => a + l.sparsity * l.weights, 0) / weights : 0,
      macs: graph.ops.reduce((a, op) => a + opMacs(op, graph.tensors), 0),
      rawBytes: layers.reduce((a, l) => a + l.rawBytes, 0),
      gzipBytes: gzipSize(concatBytes(uniqueWeightTensors(graph))),
      ...(flatbuffer ? { flatbufferBytes: flatbuffer.length, flatbufferGzipBytes: gzipSize(flatbuffer) } : {}),
    },
  };
}

/** gzip at level 9 with a zero mtime, so the number depends on the bytes only. */
export function gzipSize(bytes: Uint8Array): number {
  return gzipSync(bytes, { level: 9, mtime: 0 }).length;
}

export function renderCompressionMarkdown(r: CompressionReport): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const rows = r.layers.map(
    (l) =>
      `| ${l.name.replace(/[\r\n]+/g, ' ').replace(/\|/g, '\\|')} | ${l.kind} | ${pct(l.sparsity)} | ${l.distinctPerChannel.max} (mean ${l.distinctPerChannel.mean.toFixed(1)}) | ${l.macs.toLocaleString('en-US')} | ${l.rawBytes} | ${l.gzipBytes} |`,
  );
  const t = r.totals;
  return [
    '| Layer | Op | Sparsity | Distinct values per channel (max) | MACs | Raw bytes | gzip bytes |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    `| **total** | | ${pct(t.sparsity)} | | ${t.macs.toLocaleString('en-US')} | ${t.rawBytes} | ${t.gzipBytes} |`,
    ...(t.flatbufferBytes !== undefined ? ['', `Flatbuffer: ${t.flatbufferBytes} B raw, ${t.flatbufferGzipBytes} B gzip.`] : []),
    '',
  ].join('\n');
}

function distinctPerChannel(w: Tensor, axis: number): number[] {
  const channels = w.shape[axis]!;
  const inner = tensorSize(w.shape.slice(axis + 1));
  const sets = Array.from({ length: channels }, () => new Set<number>());
  const data = w.data!;
  for (let i = 0; i < data.length; i++) sets[Math.floor(i / inner) % channels]!.add(Number(data[i]));
  return sets.map((s) => s.size);
}

function uniqueWeightTensors(graph: Graph): Tensor[] {
  const ids = new Set<number>();
  for (const op of graph.ops) {
    if (!OPS[op.kind].weights) continue;
    for (const id of op.inputs)
      if (id >= 0 && graph.tensors[id]!.data && !(graph.tensors[id]!.dtype === 'int32' && !graph.tensors[id]!.quant)) ids.add(id);
  }
  return [...ids].sort((a, b) => a - b).map((id) => graph.tensors[id]!);
}

function concatBytes(tensors: Tensor[]): Uint8Array {
  const parts = tensors.map((t) => new Uint8Array(t.data!.buffer, t.data!.byteOffset, t.data!.byteLength));
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
