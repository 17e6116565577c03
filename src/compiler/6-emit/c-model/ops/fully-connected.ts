import { tensorSize, type Op, type OpOf } from '../../../../ir/index.js';
import { activationRangeInt8, channelScales, fullyConnectedMultipliers } from '../../../../ops/index.js';
import { cStruct } from '../literals.js';
import type { EmitContext, Step } from '../types.js';
import { array, constant, input, optionalInput, output, q8, unsupported } from './common.js';
import { foldZeroPoint, packWeights } from './conv-2d.js';

/**
 * FULLY_CONNECTED: firmware/kernels/fully_connected.h, one multiplier and
 * shift per unit. On cortex-m4 (symmetric weights) it is a 1×1 conv over
 * `rows` pixels of `depth` channels, run by the SMLAD conv kernel with its
 * weights packed and the input zero point folded into the bias.
 */
export function emitFullyConnected(op: Op, ctx: EmitContext): Step {
  const fc = op as OpOf<'FULLY_CONNECTED'>;
  const { graph, prefix } = ctx;
  const x = input(graph, op, 0);
  const filter = input(graph, op, 1);
  const out = output(graph, op);
  if (filter.shape.length !== 2) unsupported(graph, op, `weights '${filter.name}' are [${filter.shape.join(', ')}], not [units, depth]`);
  const [units, depth] = filter.shape as [number, number];
  const size = tensorSize(x.shape);
  if (depth <= 0 || size % depth !== 0 || tensorSize(out.shape) !== (size / depth) * units) {
    unsupported(graph, op, `input [${x.shape.join(', ')}] and output [${out.shape.join(', ')}] do not match weights [${units}, ${depth}]`);
  }
  const inQ = q8(x, op);
  const outQ = q8(out, op);
  const perChannel = (filter.quant?.scale.length ?? 0) > 1;
  const wScales = channelScales(filter, perChannel ? units : 1, op);
  const { multiplier, shift } = fullyConnectedMultipliers(inQ.scale, wScales, perChannel, outQ.scale, units);
  const range = activationRangeInt8(fc.options.activation, outQ.scale, outQ.zeroPoint);
  const rows = size / depth;
  const filterOffset = -(filter.quant?.zeroPoint[0] ?? 0);
  if (ctx.target === 'cortex-m4' && filterOffset === 0 && rows <= 32767) {
    const k4 = Math.ceil(depth / 4) * 4;
    const wData = constant(graph, op, 1, Int8Array);
    const biasData = optionalInput(graph, op, 2) ? constant(graph, op, 2, Int32Array) : undefined;
    const weights = array(prefix, 'weights', 'int8_t', packWeights(wData, units, depth, k4));
    const bias = array(prefix, 'bias', 'int32_t', foldZeroPoint(wData, biasData, units, depth, inQ.zeroPoint));
    const mult = array(prefix, 'multiplier', 'int32_t', multiplier);
    const sh = array(prefix, 'shift', 'int32_t', shift);
    const rowSrc = array(
      prefix,
      'row_src',
      'int16_t',
      Array.from({ length: rows }, (_, r) => r),
    );
    const colSrc = array(prefix, 'col_src', 'int16_t', [0]);
    const params = cStruct('tp_conv_2d_m4_params', `${prefix}_params`, {
      conv_h: rows,
      conv_w: 1,
      in_w: 1,
      in_c: depth,
      k_h: 1,
      k_w: 1,
      k4,
      row_src: rowSrc.symbol,
      col_src: colSrc.symbol,
      pool_h: 1,
      pool_w: 1,
      pool_top: 0,
      pool_left: 0,
      out_h: rows,
      out_w: 1,
      out_c: units,
      in_zp: inQ.zeroPoint,
      out_zp: outQ.zeroPoint,
      act_min: range.min,
      act_max: range.max,
      weights: weights.symbol,
      bias: bias.symbol,
      multiplier: mult.symbol,
      shift: sh.symbol,
    });
    return {
      kinds: ['FULLY_CONNECTED'],
      names: [op.name],
      reads: [x.id],
      write: out.id,
      scratchBytes: 4 * k4,
      macs: rows * units * depth,
      declarations: [weights.decl, bias.decl, mult.decl, sh.decl, rowSrc.decl, colSrc.decl, params],
      headers: ['cortex_m4/conv_2d.h'],
      call: (b) => `tp_conv_2d_m4(&${prefix}_params, ${b.reads[0]}, ${b.write}, ${b.scratch});`,
    };
  }
  const w = array(prefix, 'weights', 'int8_t', constant(graph, op, 1, Int8Array));
  const bias = optionalInput(graph, op, 2) ? array(prefix, 'bias', 'int32_t', constant(graph, op, 2, Int32Array)) : undefined;
  const mult = array(prefix, 'multiplier', 'int32_t', multiplier);
  const sh = array(prefix, 'shift', 'int32_t', shift);
  const params = cStruct('tp_fully_connected_params', `${prefix}_params`, {
    rows,
    depth,
    units,
    in_zp: inQ.zeroPoint,
    filter_offset: filterOffset,
    out_zp: outQ.zeroPoint,
    act_min: range.min,
    act_max: range.max,
    weights: w.symbol,
    bias: bias ? bias.symbol : 'NULL',
    multiplier: mult.symbol,
    shift: sh.symbol,
  });
  return {
    kinds: ['FULLY_CONNECTED'],
    names: [op.name],
    reads: [x.id],
    write: out.id,
    scratchBytes: 0,
    macs: rows * units * depth,
    declarations: [w.decl, ...(bias ? [bias.decl] : []), mult.decl, sh.decl, params],
    headers: ['fully_connected.h'],
    call: (b) => `tp_fully_connected(&${prefix}_params, ${b.reads[0]}, ${b.write});`,
  };
}
