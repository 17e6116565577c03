import type { Graph, Op, OpOf } from '../../../../ir/index.js';
import { activationRangeInt8, channelScales, paddedAxis, perChannelMultipliers } from '../../../../ops/index.js';
import { cStruct } from '../literals.js';
import type { EmitContext, InputView, Step } from '../types.js';
import { array, clamp, constant, input, nhwc, optionalInput, output, q8, unsupported } from './common.js';

/**
 * CONV_2D. The reference target calls firmware/kernels/conv_2d.h with the
 * OHWI filter as stored. The cortex-m4 target calls cortex_m4/conv_2d.h
 * (two pixels × two channels with SMLAD) with the weights rearranged for its
 * inner loop, the input zero point folded into the bias, the input read
 * through row/column tables (a fused RESIZE_NEAREST_NEIGHBOR or PAD), and a
 * fused tiling MAX_POOL_2D; grouped convolutions take the reference kernel
 * there too.
 */

interface ConvGeometry {
  inH: number;
  inW: number;
  inC: number;
  outH: number;
  outW: number;
  outC: number;
  kH: number;
  kW: number;
  filterC: number;
  padTop: number;
  padLeft: number;
}

function geometry(op: OpOf<'CONV_2D'>, graph: Graph): ConvGeometry {
  const [inH, inW, inC] = nhwc(graph, op, input(graph, op, 0));
  const filter = input(graph, op, 1);
  if (filter.shape.length !== 4) unsupported(graph, op, `filter '${filter.name}' is [${filter.shape.join(', ')}], not OHWI`);
  const [outC, kH, kW, filterC] = filter.shape as [number, number, number, number];
  if (filterC <= 0 || inC % filterC !== 0 || outC % (inC / filterC) !== 0) {
    unsupported(graph, op, `filter depth ${filterC} does not divide input depth ${inC} into groups of ${outC} output channels`);
  }
  const o = op.options;
  const h = paddedAxis(o.padding, inH, kH, o.strideH, o.dilationH);
  const w = paddedAxis(o.padding, inW, kW, o.strideW, o.dilationW);
  const [outH, outW, oc] = nhwc(graph, op, output(graph, op));
  if (outH !== h.out || outW !== w.out || oc !== outC)
    unsupported(graph, op, `output [${outH}, ${outW}, ${oc}] differs from the computed [${h.out}, ${w.out}, ${outC}]`);
  return { inH, inW, inC, outH, outW, outC, kH, kW, filterC, padTop: h.before, padLeft: w.before };
}

/** Per-channel requantisation, exactly as the interpreter's requantizePerChannel derives it. */
function requantization(op: Op, graph: Graph, outC: number) {
  const inQ = q8(input(graph, op, 0), op);
  const outQ = q8(output(graph, op), op);
  const wScales = channelScales(input(graph, op, 1), outC, op);
  const { multiplier, shift } = perChannelMultipliers(inQ.scale, wScales, outQ.scale);
  return { inQ, outQ, multiplier, shift };
}

/** Whether the cortex-m4 kernel runs this conv (it does not do grouped convolutions). */
export function convIsOptimisable(op: OpOf<'CONV_2D'>, graph: Graph): boolean {
  const inC = input(graph, op, 0).shape[3];
  const filterC = input(graph, op, 1).shape[3];
  return inC !== undefined && inC === filterC;
}

/**
 * The largest |accumulator| the conv can produce with any int8 input, and
 * whether requantisation is non-decreasing over [−bound, bound] for every
 * channel (the left shift must not wrap). Fused pooling needs both.
 */
export function convIsMonotone(op: OpOf<'CONV_2D'>, graph: Graph): boolean {
  const g = geometry(op, graph);
  const w = constant(graph, op, 1, Int8Array);
  const bias = optionalInput(graph, op, 2)?.data as Int32Array | undefined;
  const { inQ, shift } = requantization(op, graph, g.outC);
  const maxInput = Math.max(127 - inQ.zeroPoint, inQ.zeroPoint + 128);
  const k = g.kH * g.kW * g.filterC;
  for (let c = 0; c < g.outC; c++) {
    let sum = 0;
    for (let i = 0; i < k; i++) sum += Math.abs(w[c * k + i]!);
    const bound = Math.abs(bias ? bias[c]! : 0) + sum * maxInput;
    if (bound * 2 ** Math.max(0, shift[c]!) >= 2 ** 31) return false;
  }
  return true;
}

function emitReference(op: OpOf<'CONV_2D'>, ctx: EmitContext): Step {
  const { graph, prefix } = ctx;
  const g = geometry(op, graph);
  const out = output(graph, op);
  const { inQ, outQ, multiplier, shift } = requantization(op, graph, g.outC);
  const range = activationRangeInt8(op.options.activation, outQ.scale, outQ.zeroPoint);
  const filter = array(prefix, 'filter', 'int8_t', constant(graph, op, 1, Int8Array));
  const biasTensor = optionalInput(graph, op, 2);
  const bias = biasTensor ? array(prefix, 'bias', 'int32_t', constant(graph, op, 2, Int32Array)) : undefined;
  const mult = array(prefix, 'multiplier', 'int32_t', multiplier);
  const sh = array(prefix, 'shift', 'int32_t', shift);
  const o = op.options;
  const params = cStruct('tp_conv_2d_params', `${prefix}_params`, {
    in_h: g.inH,
    in_w: g.inW,
    in_c: g.inC,
    out_h: g.outH,
    out_w: g.outW,
    out_c: g.outC,
    k_h: g.kH,
    k_w: g.kW,
    filter_c: g.filterC,
    stride_h: o.strideH,
    stride_w: o.strideW,
    dilation_h: o.dilationH,
    dilation_w: o.dilationW,
    pad_top: g.padTop,
    pad_left: g.padLeft,
    in_zp: inQ.zeroPoint,
    out_zp: outQ.zeroPoint,
    act_min: range.min,
    act_max: range.max,
    filter: filter.symbol,
    bias: bias ? bias.symbol : 'NULL',
    multiplier: mult.symbol,
    shift: sh.symbol,
  });
  return {
    kinds: ['CONV_2D'],
    names: [op.name],
    reads: [op.inputs[0]!],
    write: out.id,
    scratchBytes: 0,
    macs: g.outH * g.outW * g.outC * g.kH * g.kW * g.filterC,
    declarations: [filter.decl, ...(bias ? [bias.decl] : []), mult.decl, sh.decl, params],
    headers: ['conv_2d.h'],
    call: (b) => `tp_conv_2d(&${prefix}_params, ${b.reads[0]}, ${b.write});`,
  };
}

/** Stored source row (column) of each conv output row (column) and tap, through the input view. */
function tapTable(
  outSize: number,
  taps: number,
  stride: number,
  dilation: number,
  pad: number,
  viewSize: number,
  view: Int32Array | undefined,
): number[] {
  const table: number[] = [];
  for (let o = 0; o < outSize; o++) {
    for (let k = 0; k < taps; k++) {
      const v = o * stride - pad + k * dilation;
      table.push(v < 0 || v >= viewSize ? -1 : view ? view[v]! : v);
    }
  }
  return table;
}

/** [channel pair][k / 4][2 channels][4 values], zero beyond K and beyond the last channel. */
export function packWeights(w: Int8Array, outC: number, k: number, k4: number): Int8Array {
  const pairs = Math.ceil(outC / 2);
  const packed = new Int8Array(pairs * k4 * 2);
  let at = 0;
  for (let cp = 0; cp < pairs; cp++) {
    for (let g = 0; g < k4; g += 4) {
      for (const c of [2 * cp, 2 * cp + 1]) {
        for (let j = g; j < g + 4; j++) packed[at++] = c < outC && j < k ? w[c * k + j]! : 0;
      }
    }
  }
  return packed;
}

/** bias − in_zp·Σw per channel, wrapping like the int32 accumulator; the extra channel of an odd count gets 0. */
export function foldZeroPoint(w: Int8Array, bias: Int32Array | undefined, channels: number, k: number, inZeroPoint: number): Int32Array {
  const folded = new Int32Array(Math.ceil(channels / 2) * 2);
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    for (let i = 0; i < k; i++) sum += w[c * k + i]!;
    folded[c] = ((bias ? bias[c]! : 0) - inZeroPoint * sum) | 0;
  }
  return folded;
}

function emitCortexM4(op: OpOf<'CONV_2D'>, ctx: EmitContext): Step {
  const { graph, prefix, fusion } = ctx;
  const g = geometry(op, graph);
  const { inQ, outQ, multiplier, shift } = requantization(op, graph, g.outC);
  const convRange = activationRangeInt8(op.options.activation, outQ.scale, outQ.zeroPoint);
  const o = op.options;
  const view: InputView | undefined = fusion.view;
  const source = view ? graph.tensors[view.source]! : input(graph, op, 0);
  const [, srcW] = nhwc(graph, op, source);
  if (Math.max(...source.shape) > 32767) unsupported(graph, op, `input '${source.name}' is too large for the kernel's int16 tap tables`);

  // A fused tiling MAX_POOL_2D: its window and padding, and its clamp after the conv's.
  const pool = fusion.pool as OpOf<'MAX_POOL_2D'> | undefined;
  const stored = pool ? output(graph, pool) : output(graph, op);
  const [outH, outW] = nhwc(graph, op, stored);
  const poolH = pool ? pool.options.filterH : 1;
  const poolW = pool ? pool.options.filterW : 1;
  const poolTop = pool ? paddedAxis(pool.options.padding, g.outH, poolH, poolH).before : 0;
  const poolLeft = pool ? paddedAxis(pool.options.padding, g.outW, poolW, poolW).before : 0;
  let range = convRange;
  if (pool) {
    const pq = q8(stored, pool);
    const poolRange = activationRangeInt8(pool.options.activation, pq.scale, pq.zeroPoint);
    // clamp_pool(clamp_conv(v)) = clamp(v, clamp_pool(conv.min), clamp_pool(conv.max)) for any two ranges.
    range = { min: clamp(convRange.min, poolRange.min, poolRange.max), max: clamp(convRange.max, poolRange.min, poolRange.max) };
  }

  const k = g.kH * g.kW * g.inC;
  const k4 = Math.ceil(k / 4) * 4;
  const w = constant(graph, op, 1, Int8Array);
  const biasData = optionalInput(graph, op, 2) ? constant(graph, op, 2, Int32Array) : undefined;
  const folded = foldZeroPoint(w, biasData, g.outC, k, inQ.zeroPoint);
  const weights = array(prefix, 'weights', 'int8_t', packWeights(w, g.outC, k, k4));
  const bias = array(prefix, 'bias', 'int32_t', folded);
  const mult = array(prefix, 'multiplier', 'int32_t', multiplier);
  const sh = array(prefix, 'shift', 'int32_t', shift);
  const rows = array(prefix, 'row_src', 'int16_t', tapTable(g.outH, g.kH, o.strideH, o.dilationH, g.padTop, g.inH, view?.rows));
  const cols = array(prefix, 'col_src', 'int16_t', tapTable(g.outW, g.kW, o.strideW, o.dilationW, g.padLeft, g.inW, view?.cols));
  const params = cStruct('tp_conv_2d_m4_params', `${prefix}_params`, {
    conv_h: g.outH,
    conv_w: g.outW,
    in_w: srcW,
    in_c: g.inC,
    k_h: g.kH,
    k_w: g.kW,
    k4,
    row_src: rows.symbol,
    col_src: cols.symbol,
    pool_h: poolH,
    pool_w: poolW,
    pool_top: poolTop,
    pool_left: poolLeft,
    out_h: outH,
    out_w: outW,
    out_c: g.outC,
    in_zp: inQ.zeroPoint,
    out_zp: outQ.zeroPoint,
    act_min: range.min,
    act_max: range.max,
    weights: weights.symbol,
    bias: bias.symbol,
    multiplier: mult.symbol,
    shift: sh.symbol,
  });
  const windowPixels = poolH * poolW > 1 ? poolH * poolW : 2;
  return {
    kinds: [...(view?.ops.map((v) => v.kind) ?? []), 'CONV_2D', ...(pool ? (['MAX_POOL_2D'] as const) : [])],
    names: [...(view?.ops.map((v) => v.name) ?? []), op.name, ...(pool ? [pool.name] : [])],
    reads: [source.id],
    write: stored.id,
    scratchBytes: 4 * k4 * Math.ceil(windowPixels / 2),
    macs: g.outH * g.outW * g.outC * k,
    declarations: [weights.decl, bias.decl, mult.decl, sh.decl, rows.decl, cols.decl, params],
    headers: ['cortex_m4/conv_2d.h'],
    call: (b) => `tp_conv_2d_m4(&${prefix}_params, ${b.reads[0]}, ${b.write}, ${b.scratch});`,
  };
}

export function emitConv2d(op: Op, ctx: EmitContext): Step {
  const conv = op as OpOf<'CONV_2D'>;
  return ctx.target === 'cortex-m4' && convIsOptimisable(conv, ctx.graph) ? emitCortexM4(conv, ctx) : emitReference(conv, ctx);
}
