import { Builder } from 'flatbuffers';
import { fail } from '../../util/index.js';
import { tensorBytes, type Graph, type Op, type Tensor } from '../../ir/index.js';
import { bytesOfTypedArray, DTYPE_TO_TFLITE, TFLITE_FILE_IDENTIFIER, TFLITE_SCHEMA_VERSION } from '../../tflite/index.js';
import { opVersion } from './op-versions.js';
import { opOf, type OpCodec } from '../../ops/index.js';
import {
  Buffer as TflBuffer,
  BuiltinOperator,
  Model,
  Operator,
  OperatorCode,
  QuantizationParameters,
  SubGraph,
  Tensor as TflTensor,
} from '../../tflite/index.js';

/** Buffer.data is declared force_align: 16 so runtimes can use weights in place. */
const BUFFER_ALIGNMENT = 16;

export interface WriteTfliteOptions {
  /** Stored in Model.description (e.g. the tool and version that wrote the file). */
  description: string;
}

/**
 * Serialises a single-subgraph IR graph to a .tflite flatbuffer.
 *
 * Layout choices (all deterministic, so equal graphs give equal bytes):
 *  - buffer 0 is the empty sentinel; every constant tensor gets its own buffer,
 *    in tensor order; activations point at buffer 0;
 *  - operator codes are listed in order of first use, one per (op, version);
 *  - both OperatorCode builtin fields are written (schema.fbs: readers take the max of deprecated_builtin_code and builtin_code).
 */
export function writeTflite(graph: Graph, opts: WriteTfliteOptions): Uint8Array {
  checkWritable(graph);
  const b = new Builder(1024);

  const bufferOffsets = [emptyBuffer(b)];
  const bufferOfTensor = graph.tensors.map((t) => {
    if (t.data === undefined) return 0;
    bufferOffsets.push(dataBuffer(b, bytesOfTypedArray(t.data)));
    return bufferOffsets.length - 1;
  });

  const tensorOffsets = graph.tensors.map((t) => writeTensor(b, t, bufferOfTensor[t.id]!));

  const opcodeIndex = new Map<string, number>();
  const opcodeOffsets: number[] = [];
  const operatorOffsets = graph.ops.map((op) => {
    const codec = opOf(op.kind).codec;
    const version = opVersion(op, graph);
    const key = `${codec.builtinCode}/${version}`;
    let index = opcodeIndex.get(key);
    if (index === undefined) {
      index = opcodeOffsets.length;
      opcodeIndex.set(key, index);
      opcodeOffsets.push(writeOperatorCode(b, codec.builtinCode, version));
    }
    return writeOperator(b, op, codec, index, graph);
  });

  const subgraph = SubGraph.createSubGraph(
    b,
    SubGraph.createTensorsVector(b, tensorOffsets),
    SubGraph.createInputsVector(b, graph.inputs),
    SubGraph.createOutputsVector(b, graph.outputs),
    SubGraph.createOperatorsVector(b, operatorOffsets),
    b.createString(graph.name),
  );

  const operatorCodes = Model.createOperatorCodesVector(b, opcodeOffsets);
  const subgraphs = Model.createSubgraphsVector(b, [subgraph]);
  const description = b.createString(opts.description);
  const buffers = Model.createBuffersVector(b, bufferOffsets);
  Model.startModel(b);
  Model.addVersion(b, TFLITE_SCHEMA_VERSION);
  Model.addOperatorCodes(b, operatorCodes);
  Model.addSubgraphs(b, subgraphs);
  Model.addDescription(b, description);
  Model.addBuffers(b, buffers);
  b.finish(Model.endModel(b), TFLITE_FILE_IDENTIFIER);
  // asUint8Array is a view into the builder's larger scratch buffer.
  return b.asUint8Array().slice();
}

function emptyBuffer(b: Builder): number {
  TflBuffer.startBuffer(b);
  return TflBuffer.endBuffer(b);
}

function dataBuffer(b: Builder, bytes: Uint8Array): number {
  // The generated createDataVector ignores force_align, so align by hand.
  // The builder aligns relative to the end and finish() pads the front to
  // the largest alignment used, so this is also 16-aligned from the start.
  b.startVector(1, bytes.length, BUFFER_ALIGNMENT);
  for (let i = bytes.length - 1; i >= 0; i--) b.addInt8(bytes[i]!);
  const data = b.endVector();
  TflBuffer.startBuffer(b);
  TflBuffer.addData(b, data);
  return TflBuffer.endBuffer(b);
}

function writeTensor(b: Builder, t: Tensor, buffer: number): number {
  const name = b.createString(t.name);
  const shape = TflTensor.createShapeVector(b, t.shape);
  let quant = 0;
  if (t.quant) {
    const scale = QuantizationParameters.createScaleVector(b, t.quant.scale);
    const zeroPoint = QuantizationParameters.createZeroPointVector(
      b,
      t.quant.zeroPoint.map((z) => BigInt(z)),
    );
    QuantizationParameters.startQuantizationParameters(b);
    QuantizationParameters.addScale(b, scale);
    QuantizationParameters.addZeroPoint(b, zeroPoint);
    QuantizationParameters.addQuantizedDimension(b, t.quant.axis);
    quant = QuantizationParameters.endQuantizationParameters(b);
  }
  TflTensor.startTensor(b);
  TflTensor.addShape(b, shape);
  TflTensor.addType(b, DTYPE_TO_TFLITE[t.dtype]);
  TflTensor.addBuffer(b, buffer);
  TflTensor.addName(b, name);
  if (quant) TflTensor.addQuantization(b, quant);
  return TflTensor.endTensor(b);
}

function writeOperatorCode(b: Builder, code: BuiltinOperator, version: number): number {
  OperatorCode.startOperatorCode(b);
  // Codes from 127 on do not fit the old int8 field, which then holds the placeholder.
  OperatorCode.addDeprecatedBuiltinCode(b, Math.min(code, BuiltinOperator.PLACEHOLDER_FOR_GREATER_OP_CODES));
  OperatorCode.addVersion(b, version);
  OperatorCode.addBuiltinCode(b, code);
  return OperatorCode.endOperatorCode(b);
}

function writeOperator(b: Builder, op: Op, codec: OpCodec<Op['kind']>, opcodeIndex: number, graph: Graph): number {
  const inputs = Operator.createInputsVector(b, op.inputs);
  const outputs = Operator.createOutputsVector(b, op.outputs);
  const options = codec.writeOptions(b, op.options, { graph, op });
  Operator.startOperator(b);
  Operator.addOpcodeIndex(b, opcodeIndex);
  Operator.addInputs(b, inputs);
  Operator.addOutputs(b, outputs);
  if (options) {
    Operator.addBuiltinOptionsType(b, codec.optionsType);
    Operator.addBuiltinOptions(b, options);
  }
  return Operator.endOperator(b);
}

/** The IR invariants the file format needs; a violation is a bug upstream, reported with the tensor or op. */
function checkWritable(g: Graph): void {
  const bad = (what: string): never => fail('BAD_ARGUMENT', `cannot write graph '${g.name}' as TFLite: ${what}`);
  const n = g.tensors.length;
  g.tensors.forEach((t, i) => {
    if (t.id !== i) bad(`tensor '${t.name}' has id ${t.id} but sits at index ${i}; renumber the tensors`);
    if (!t.shape.every((d) => Number.isInteger(d) && d >= 0 && d <= 0x7fffffff))
      bad(`tensor '${t.name}' has shape [${t.shape.join(', ')}]`);
    if (t.data !== undefined && t.data.byteLength !== tensorBytes(t)) {
      bad(`tensor '${t.name}' holds ${t.data.byteLength} bytes but shape [${t.shape.join(', ')}] of ${t.dtype} needs ${tensorBytes(t)}`);
    }
    const q = t.quant;
    if (q) {
      if (q.scale.length !== q.zeroPoint.length)
        bad(`tensor '${t.name}' has ${q.scale.length} scales but ${q.zeroPoint.length} zero points`);
      if (!q.zeroPoint.every((z) => Number.isSafeInteger(z))) bad(`tensor '${t.name}' has a non-integer zero point`);
      if (q.scale.length > 1 && q.scale.length !== t.shape[q.axis]) {
        bad(`tensor '${t.name}' has ${q.scale.length} scales along axis ${q.axis} of shape [${t.shape.join(', ')}]`);
      }
    }
  });
  const inRange = (i: number): boolean => Number.isInteger(i) && i >= 0 && i < n;
  g.ops.forEach((op) => {
    if (!op.inputs.every((i) => i === -1 || inRange(i)) || !op.outputs.every(inRange)) {
      bad(`op '${op.name}' (${op.kind}) refers to a tensor index outside 0..${n - 1}`);
    }
  });
  if (!g.inputs.every(inRange) || !g.outputs.every(inRange)) bad(`graph inputs/outputs refer to a tensor index outside 0..${n - 1}`);
}
