import { checkAddOutputScale, checkFullyConnectedBiasScale, checkWeights, paramsOf } from './int8-params.js';
import type { OpRule } from './rule.js';

/** FULLY_CONNECTED and the ops that move, combine or reduce values: shapes from their operands. */

/** Weights [units, depth]; the input is read as [size / depth, depth] (TFLite fully_connected.cc). */
export const fullyConnectedRule: OpRule<'FULLY_CONNECTED'> = {
  arity: [2, 3],
  optional: [2],
  weights: 1,
  bias: 2,
  shape(op, v) {
    const input = v.input(0);
    const [units, depth] = v.rank(v.input(1), 2, 'weights');
    if (!(depth! >= 1 && units! >= 1)) v.fail('SHAPE_MISMATCH', `weights '${v.input(1).name}' [${v.input(1).shape}] are empty`);
    const size = v.elements(input);
    if (size % depth! !== 0) {
      v.fail(
        'SHAPE_MISMATCH',
        `input '${input.name}' [${input.shape}] has ${size} values, not a multiple of the weights' input depth ${depth}`,
      );
    }
    if (op.options.keepNumDims) {
      if (input.shape[input.shape.length - 1] !== depth) {
        v.fail(
          'SHAPE_MISMATCH',
          `with keep_num_dims the input's last dimension must be the weights' depth ${depth}, input '${input.name}' is [${input.shape}]`,
        );
      }
      v.expectOutput([...input.shape.slice(0, -1), units!], `the input with keep_num_dims and ${units} units`);
    } else {
      v.expectOutput([size / depth!, units!], `${size} input values in rows of ${depth} and ${units} units`);
    }
    if (v.has(2)) v.expectShape(v.input(2), [units!], 'bias', `${units} units`);
  },
  int8(_op, v) {
    checkWeights(v, 1, 0, v.input(1).shape[0]!);
    checkFullyConnectedBiasScale(v, 2);
  },
};

export const meanRule: OpRule<'MEAN'> = {
  arity: [2, 2],
  shape(op, v) {
    const input = v.input(0);
    const rank = input.shape.length;
    const reduced = new Set<number>();
    for (const a of v.int32Operand(1, 'axes')) {
      if (a < -rank || a >= rank) v.fail('SHAPE_MISMATCH', `axis ${a} is out of range for input '${input.name}' of rank ${rank}`);
      reduced.add(a < 0 ? a + rank : a);
    }
    const kept = input.shape.map((d, i) => (reduced.has(i) ? 1 : d));
    const expected = op.options.keepDims ? kept : input.shape.filter((_, i) => !reduced.has(i));
    v.expectOutput(expected, `a mean over axes [${[...reduced].sort()}]${op.options.keepDims ? ' keeping them' : ''}`);
  },
};

export const resizeNearestNeighborRule: OpRule<'RESIZE_NEAREST_NEIGHBOR'> = {
  arity: [2, 2],
  shape(op, v) {
    const [n, , , c] = v.rank(v.input(0), 4, 'input');
    const [h, w] = v.int32Operand(1, 'size', 2);
    if (!(h! >= 1 && w! >= 1)) v.fail('SHAPE_MISMATCH', `size operand [${h}, ${w}] must be two positive sizes`);
    // TFLite resize_nearest_neighbor.cc: "If half_pixel_centers is True, align_corners must be False."
    if (op.options.alignCorners && op.options.halfPixelCenters) {
      v.fail(
        'INVALID_GRAPH',
        'sets both align_corners and half_pixel_centers, which the TFLite runtime refuses',
      );
    }
    v.expectOutput([n!, h!, w!, c!], `the size operand [${h}, ${w}]`);
  },
};

export const padRule: OpRule<'PAD'> = {
  arity: [2, 2],
  shape(_op, v) {
    const input = v.input(0);
    const rank = input.shape.length;
    const pads = v.int32Operand(1, 'paddings', rank * 2);
    const k = pads.findIndex((p) => p < 0);
    if (k >= 0) v.fail('SHAPE_MISMATCH', `paddings [${Array.from(pads)}] hold a negative value (${pads[k]})`);
    v.expectOutput(input.shape.map((d, i) => d + pads[2 * i]! + pads[2 * i + 1]!), `the input padded by [${Array.from(pads)}]`);
  },
};

export const addRule: OpRule<'ADD'> = {
  arity: [2, 2],
  data: [0, 1],
  shape(_op, v) {
    const a = v.input(0).shape;
    const b = v.input(1).shape;
    const rank = Math.max(a.length, b.length);
    const out: number[] = [];
    for (let i = 0; i < rank; i++) {
      const da = a[a.length - rank + i] ?? 1;
      const db = b[b.length - rank + i] ?? 1;
      if (da !== db && da !== 1 && db !== 1) {
        v.fail(
          'SHAPE_MISMATCH',
          `inputs '${v.input(0).name}' [${a}] and '${v.input(1).name}' [${b}] do not broadcast (dimension ${i} of the aligned shapes: ` +
          `${da} vs ${db})`,
        );
      }
      out.push(da === 1 ? db : da);
    }
    v.expectOutput(out, 'broadcasting the two inputs');
  },
  int8: (_op, v) => checkAddOutputScale(v),
};

export const concatenationRule: OpRule<'CONCATENATION'> = {
  arity: [1, 1024],
  data: 'all',
  shape(op, v) {
    const out = v.output;
    const rank = out.shape.length;
    const axis = op.options.axis < 0 ? op.options.axis + rank : op.options.axis;
    if (!(Number.isInteger(axis) && axis >= 0 && axis < rank)) {
      v.fail(
        'SHAPE_MISMATCH',
        `axis ${op.options.axis} is out of range for output '${out.name}' of rank ${rank}`,
      );
    }
    let along = 0;
    op.inputs.forEach((_, k) => {
      const t = v.input(k);
      const expected = out.shape.map((d, i) => (i === axis ? t.shape[i] ?? 0 : d));
      v.expectShape(t, expected, `input ${k}`, `concatenation along axis ${axis} into [${out.shape}]`);
      along += t.shape[axis]!;
    });
    v.expectOutput(out.shape.map((d, i) => (i === axis ? along : d)), `the inputs joined along axis ${axis}`);
  },
  // TFLite concatenation.cc refuses int8 inputs whose scale or zero point differ from the output's (it copies bytes).
  int8(op, v) {
    const out = paramsOf(v.output);
    op.inputs.forEach((_, k) => {
      const t = v.input(k);
      const p = paramsOf(t);
      if (p.scale !== out.scale || p.zeroPoint !== out.zeroPoint) {
        v.fail(
          'QUANTIZATION',
          `input ${k} '${t.name}' (scale ${p.scale}, zero point ${p.zeroPoint}) and output '${v.output.name}' ` +
            `(scale ${out.scale}, zero point ${out.zeroPoint}) must share quantisation params: the TFLite runtime copies int8 concatenation inputs`,
          'quantise the inputs and the output as one group (tinypdm emit does), or re-export the model',
        );
      }
    });
  },
};

/** Inputs [input, new_shape int32[rank]]: one -1 in new_shape stands for the remaining size (TFLite reshape.cc). */
export const reshapeRule: OpRule<'RESHAPE'> = {
  arity: [2, 2],
  shape(_op, v) {
    const input = v.input(0);
    const target = Array.from(v.int32Operand(1, 'new_shape'));
    const size = v.elements(input);
    const unknown = target.filter((d) => d === -1).length;
    const known = target.reduce((p, d) => (d === -1 ? p : p * d), 1);
    const fits = unknown === 0 ? known === size : unknown === 1 && known > 0 && size % known === 0;
    if (!fits || target.some((d) => d < -1)) {
      v.fail('SHAPE_MISMATCH', `new_shape [${target}] cannot hold the ${size} values of input '${input.name}' [${input.shape}]`);
    }
    const resolved = target.map((d) => (d === -1 ? size / known : d));
    v.expectOutput(resolved, `the new_shape operand [${target}]`);
  },
};
