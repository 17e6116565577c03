import { BuiltinOptions } from '../../../tflite/index.js';
import type { FieldLayout, TableLayout } from './flatbuffer-verifier.js';

/**
 * The shape of a TFLite model as the verifier needs to see it: every field the
 * reader follows, at its vtable slot in ../schema/tflite_subset.fbs (which
 * keeps the real schema's slot numbers). Scalars are listed so their inline
 * size is checked; fields the reader never touches are left out.
 */

const scalar = (size: 1 | 2 | 4 | 8): FieldLayout => ({ kind: 'scalar', size });
const vector = (elemSize: 1 | 2 | 4 | 8): FieldLayout => ({ kind: 'vector', elemSize });
const str: FieldLayout = { kind: 'string' };
const table = (t: () => TableLayout): FieldLayout => ({ kind: 'table', table: t });
const tables = (t: () => TableLayout): FieldLayout => ({ kind: 'tables', table: t });

const empty = (name: string): TableLayout => ({ name, fields: [] });

/** Options tables: all their fields are scalars of these sizes, in slot order. */
const scalars = (name: string, sizes: (1 | 2 | 4 | 8)[]): TableLayout => ({ name, fields: sizes.map(scalar) });

const conv2dOptions = scalars('Conv2DOptions', [1, 4, 4, 1, 4, 4]);
const depthwiseOptions = scalars('DepthwiseConv2DOptions', [1, 4, 4, 4, 1, 4, 4]);
const pool2dOptions = scalars('Pool2DOptions', [1, 4, 4, 4, 4, 1]);
const fullyConnectedOptions = scalars('FullyConnectedOptions', [1, 1, 1, 1]);
const softmaxOptions = scalars('SoftmaxOptions', [4]);
const concatenationOptions = scalars('ConcatenationOptions', [4, 1]);
const addOptions = scalars('AddOptions', [1, 1]);
const reshapeOptions: TableLayout = { name: 'ReshapeOptions', fields: [vector(4)] };
const reducerOptions = scalars('ReducerOptions', [1]);
const transposeConvOptions = scalars('TransposeConvOptions', [1, 4, 4, 1]);
const resizeNearestOptions = scalars('ResizeNearestNeighborOptions', [1, 1]);
const leakyReluOptions = scalars('LeakyReluOptions', [4]);

const builtinOptionsMembers: Record<number, () => TableLayout> = {
  [BuiltinOptions.Conv2DOptions]: () => conv2dOptions,
  [BuiltinOptions.DepthwiseConv2DOptions]: () => depthwiseOptions,
  [BuiltinOptions.Pool2DOptions]: () => pool2dOptions,
  [BuiltinOptions.FullyConnectedOptions]: () => fullyConnectedOptions,
  [BuiltinOptions.SoftmaxOptions]: () => softmaxOptions,
  [BuiltinOptions.ConcatenationOptions]: () => concatenationOptions,
  [BuiltinOptions.AddOptions]: () => addOptions,
  [BuiltinOptions.ReshapeOptions]: () => reshapeOptions,
  [BuiltinOptions.PadOptions]: () => empty('PadOptions'),
  [BuiltinOptions.ReducerOptions]: () => reducerOptions,
  [BuiltinOptions.DequantizeOptions]: () => empty('DequantizeOptions'),
  [BuiltinOptions.TransposeConvOptions]: () => transposeConvOptions,
  [BuiltinOptions.ResizeNearestNeighborOptions]: () => resizeNearestOptions,
  [BuiltinOptions.LeakyReluOptions]: () => leakyReluOptions,
  [BuiltinOptions.QuantizeOptions]: () => empty('QuantizeOptions'),
};

const quantization: TableLayout = {
  name: 'QuantizationParameters',
  // min, max, scale, zero_point, details_type, details, quantized_dimension
  fields: [vector(4), vector(4), vector(4), vector(8), scalar(1), undefined, scalar(4)],
};

const tensor: TableLayout = {
  name: 'Tensor',
  // shape, type, buffer, name, quantization, is_variable, sparsity (read for presence only)
  fields: [vector(4), scalar(1), scalar(4), str, table(() => quantization), scalar(1), table(() => empty('SparsityParameters'))],
};

const operatorCode: TableLayout = {
  name: 'OperatorCode',
  fields: [scalar(1), str, scalar(4), scalar(4)],
};

const operator: TableLayout = {
  name: 'Operator',
  // opcode_index, inputs, outputs, builtin_options_type, builtin_options
  fields: [scalar(4), vector(4), vector(4), scalar(1), { kind: 'union', members: builtinOptionsMembers }],
};

const subGraph: TableLayout = {
  name: 'SubGraph',
  fields: [tables(() => tensor), vector(4), vector(4), tables(() => operator), str],
};

const buffer: TableLayout = {
  name: 'Buffer',
  fields: [vector(1), scalar(8), scalar(8)],
};

export const MODEL_LAYOUT: TableLayout = {
  name: 'Model',
  // version, operator_codes, subgraphs, description, buffers
  fields: [scalar(4), tables(() => operatorCode), tables(() => subGraph), str, tables(() => buffer)],
};
