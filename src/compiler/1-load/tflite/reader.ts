import { ByteBuffer } from 'flatbuffers';
import { fail } from '../../../util/index.js';
import { bytesPerElement, type Graph, type Op, type OpKind, type QuantParams, type Tensor } from '../../../ir/index.js';
import { dtypeFromTflite, tensorTypeName, typedArrayFromBytes } from '../../../tflite/index.js';
import { builtinCodeName, codecForBuiltinCode, OP_KINDS, type OpCodec, type ReadContext } from '../../../ops/index.js';
import {
  BuiltinOperator,
  BuiltinOptions,
  Model,
  QuantizationDetails,
  type Buffer as TflBuffer,
  type Tensor as TflTensor,
} from '../../../tflite/index.js';
import { FlatbufferLayoutError, verifyFlatbuffer } from './flatbuffer-verifier.js';
import { MODEL_LAYOUT } from './model-layout.js';
import { TFLITE_FILE_IDENTIFIER, TFLITE_SCHEMA_VERSION } from '../../../tflite/index.js';
import { checkMemory } from '../../../util/index.js';

/** Far beyond any model that fits a microcontroller, yet every size below stays an exact int32. */
const MAX_ELEMENTS = 0x7fffffff;
const MAX_RANK = 8;

/**
 * Reads a .tflite file into the IR.
 *
 * The file is untrusted: the whole flatbuffer is bounds-checked first (see
 * verify/), then every index, shape, type and buffer size is checked before
 * use, and constant data is copied out into fresh typed arrays. Fields this
 * reader does not know (signature_defs, metadata, min_runtime_version, ...)
 * are ignored, so converter output reads fine.
 *
 * Errors: CORRUPT_FILE for anything malformed, UNSUPPORTED_OP for an op the IR
 * lacks, UNSUPPORTED_FORMAT for valid TFLite features tinypdm does not handle
 * (several subgraphs, sparse or variable tensors, unusual tensor types).
 */
export function readTflite(bytes: Uint8Array, fileName: string): Graph {
  const corrupt = (what: string): never =>
    fail('CORRUPT_FILE', `${fileName}: not a valid TFLite model: ${what}; re-export it with the TFLite converter or tinypdm`);
  const unsupported = (what: string): never => fail('UNSUPPORTED_FORMAT', `${fileName}: ${what}`);

  if (bytes.length < 8) corrupt(`the file is only ${bytes.length} bytes long`);
  const identifier = String.fromCharCode(...bytes.subarray(4, 8));
  if (identifier !== TFLITE_FILE_IDENTIFIER)
    corrupt(`file identifier is ${JSON.stringify(identifier)}, expected "${TFLITE_FILE_IDENTIFIER}"`);
  try {
    verifyFlatbuffer(bytes, MODEL_LAYOUT);
  } catch (e) {
    if (e instanceof FlatbufferLayoutError) corrupt(e.message);
    throw e;
  }

  const model = Model.getRootAsModel(new ByteBuffer(bytes));
  if (model.version() !== TFLITE_SCHEMA_VERSION) corrupt(`schema version is ${model.version()}, expected ${TFLITE_SCHEMA_VERSION}`);
  const subgraphCount = model.subgraphsLength();
  if (subgraphCount === 0) corrupt('it has no subgraph');
  if (subgraphCount > 1) {
    unsupported(
      `the model has ${subgraphCount} subgraphs (control flow such as WHILE/IF); tinypdm supports single-subgraph models only, so export the model without control flow`,
    );
  }
  const buffers = readBufferTable(model, corrupt, unsupported);
  const sg = model.subgraphs(0)!;

  const tensors: Tensor[] = [];
  for (let i = 0; i < sg.tensorsLength(); i++) tensors.push(readTensor(sg.tensors(i)!, i, buffers, corrupt, unsupported));
  // Every later stage (calibration, the interpreter, verify) holds all tensors
  // at once: refuse a model whose shapes claim more than the cap before any of them runs.
  const largest = tensors.reduce<Tensor | undefined>((a, t) => (a && tensorBytesOf(a) >= tensorBytesOf(t) ? a : t), undefined);
  checkMemory(
    tensors.reduce((sum, t) => sum + tensorBytesOf(t), 0),
    `${fileName}: its ${tensors.length} tensors${largest ? ` (largest '${largest.name}' [${largest.shape.join(', ')}] ${largest.dtype})` : ''}`,
  );

  const tensorIndex = (v: number | null, what: string, optional: boolean): number => {
    if (v === null) return corrupt(`${what} is missing`);
    if (optional && v === -1) return -1;
    if (!Number.isInteger(v) || v < 0 || v >= tensors.length) corrupt(`${what} is tensor ${v}, but there are ${tensors.length} tensors`);
    return v;
  };

  const ops: Op[] = [];
  for (let i = 0; i < sg.operatorsLength(); i++) {
    const op = sg.operators(i)!;
    const opcodeIndex = op.opcodeIndex();
    if (opcodeIndex >= model.operatorCodesLength())
      corrupt(`operator ${i} uses operator code ${opcodeIndex}, but there are ${model.operatorCodesLength()}`);
    const codec = resolveOpcode(model, opcodeIndex, i, fileName);
    const where = `operator ${i} (${codec.kind})`;
    const inputs = Array.from({ length: op.inputsLength() }, (_, k) => tensorIndex(op.inputs(k), `${where} input ${k}`, true));
    const outputs = Array.from({ length: op.outputsLength() }, (_, k) => tensorIndex(op.outputs(k), `${where} output ${k}`, false));
    const [min, max] = codec.inputs;
    if (inputs.length < min || inputs.length > max)
      corrupt(`${where} has ${inputs.length} inputs, expected ${min === max ? min : `${min} to ${max}`}`);
    if (inputs.slice(0, min).some((t) => t === -1)) corrupt(`${where} lacks a required input`);
    if (outputs.length !== 1) corrupt(`${where} has ${outputs.length} outputs, expected 1`);
    const optionsType = op.builtinOptionsType();
    if (optionsType !== BuiltinOptions.NONE && optionsType !== codec.optionsType) {
      corrupt(
        `${where} carries ${BuiltinOptions[optionsType] ?? `options type ${optionsType}`}, expected ${BuiltinOptions[codec.optionsType]}`,
      );
    }
    const ctx: ReadContext = {
      where,
      corrupt: (what) => corrupt(`${where}: ${what}`),
      unsupported: (what) => unsupported(`${where}: ${what} is not supported by tinypdm`),
    };
    const options = codec.readOptions(op, ctx);
    const name = tensors[outputs[0]!]!.name;
    ops.push({ kind: codec.kind, name, inputs, outputs, options } as Op);
  }

  const io = (sgField: 'inputs' | 'outputs'): number[] => {
    const length = sgField === 'inputs' ? sg.inputsLength() : sg.outputsLength();
    return Array.from({ length }, (_, k) => tensorIndex(sg[sgField](k), `subgraph ${sgField.slice(0, -1)} ${k}`, false));
  };
  return { name: sg.name() ?? 'main', tensors, ops, inputs: io('inputs'), outputs: io('outputs') };
}

type Report = (what: string) => never;

function tensorBytesOf(t: Tensor): number {
  return t.shape.reduce((a, b) => a * b, 1) * bytesPerElement(t.dtype);
}

/** The data of every buffer (empty for none), after checking the sentinel and refusing external data. */
function readBufferTable(model: Model, corrupt: Report, unsupported: Report): Uint8Array[] {
  const out: Uint8Array[] = [];
  const empty = new Uint8Array(0);
  for (let i = 0; i < model.buffersLength(); i++) {
    const buffer: TflBuffer = model.buffers(i)!;
    // offset/size are only valid when > 1 (schema): data stored outside the flatbuffer.
    if (buffer.offset() > 1n)
      unsupported(`buffer ${i} keeps its data outside the flatbuffer (a model over 2 GB); tinypdm reads only self-contained models`);
    out.push(buffer.dataArray() ?? empty);
  }
  if (out.length === 0) corrupt('it has no buffers (buffer 0 must exist and be empty)');
  if (out[0]!.length !== 0) corrupt(`buffer 0 must be empty but holds ${out[0]!.length} bytes`);
  return out;
}

function readTensor(t: TflTensor, index: number, buffers: Uint8Array[], corrupt: Report, unsupported: Report): Tensor {
  const name = t.name() ?? `tensor_${index}`;
  const where = `tensor ${index} '${name}'`;
  const dtype = dtypeFromTflite(t.type());
  if (dtype === undefined)
    unsupported(`${where} has type ${tensorTypeName(t.type())}; tinypdm supports float32, int8, int16, int32, int64 and uint8 tensors`);
  if (t.isVariable()) unsupported(`${where} is a variable (stateful) tensor; tinypdm supports stateless models only`);
  if (t.sparsity() !== null) unsupported(`${where} is sparse; convert the model without sparsity`);

  const rank = t.shapeLength();
  if (rank > MAX_RANK) corrupt(`${where} has rank ${rank} (at most ${MAX_RANK})`);
  const shape: number[] = [];
  let elements = 1;
  for (let k = 0; k < rank; k++) {
    const d = t.shape(k)!;
    if (d < 0) corrupt(`${where} has dimension ${k} = ${d}`);
    elements *= d;
    shape.push(d);
  }
  if (elements > MAX_ELEMENTS) corrupt(`${where} has shape [${shape.join(', ')}], ${elements} elements`);

  const bufferIndex = t.buffer();
  if (bufferIndex >= buffers.length) corrupt(`${where} uses buffer ${bufferIndex}, but there are ${buffers.length}`);
  const tensor: Tensor = { id: index, name, shape, dtype: dtype };
  const data = buffers[bufferIndex]!;
  if (data.length > 0) {
    const expected = elements * bytesPerElement(dtype);
    if (data.length !== expected)
      corrupt(
        `${where} has shape [${shape.join(', ')}] of ${dtype} (${expected} bytes) but buffer ${bufferIndex} holds ${data.length} bytes`,
      );
    tensor.data = typedArrayFromBytes(dtype, data);
  }
  const quant = readQuant(t, shape, where, corrupt, unsupported);
  if (quant) tensor.quant = quant;
  return tensor;
}

function readQuant(t: TflTensor, shape: number[], where: string, corrupt: Report, unsupported: Report): QuantParams | undefined {
  const q = t.quantization();
  if (!q) return undefined;
  if (q.detailsType() !== QuantizationDetails.NONE)
    unsupported(`${where} uses custom quantization details; tinypdm supports affine (scale/zero point) quantization only`);
  const n = q.scaleLength();
  // TFLM treats a tensor as quantised only when both vectors are non-empty (tensorflow/lite/micro/micro_allocator.cc, InitializeTfLiteTensorFromFlatbuffer).
  if (n === 0 && q.zeroPointLength() === 0) return undefined;
  if (n !== q.zeroPointLength()) corrupt(`${where} has ${n} scales but ${q.zeroPointLength()} zero points`);
  const axis = q.quantizedDimension();
  if (n > 1 && !(axis >= 0 && axis < shape.length && shape[axis] === n)) {
    corrupt(`${where} has ${n} scales along quantized_dimension ${axis} of shape [${shape.join(', ')}]`);
  }
  const scale: number[] = [];
  const zeroPoint: number[] = [];
  // Scale values (finite, positive) are the graph validator's to judge, which names the op using the tensor.
  for (let k = 0; k < n; k++) {
    const s = q.scale(k)!;
    const z = q.zeroPoint(k)!;
    if (z < -0x80000000n || z > 0x7fffffffn) corrupt(`${where} has zero point ${z}`);
    scale.push(s);
    zeroPoint.push(Number(z));
  }
  return { scale, zeroPoint, axis };
}

/** The codec for an operator code; a code the IR lacks is UNSUPPORTED_OP naming it and listing what is supported. */
function resolveOpcode(model: Model, opcodeIndex: number, opIndex: number, fileName: string): OpCodec<OpKind> {
  const oc = model.operatorCodes(opcodeIndex)!;
  // Readers take the larger of the two fields (schema comment on OperatorCode).
  const code = Math.max(oc.deprecatedBuiltinCode(), oc.builtinCode());
  const codec = codecForBuiltinCode(code);
  if (codec) return codec;
  const name = code === BuiltinOperator.CUSTOM ? `custom op '${oc.customCode() ?? '?'}'` : builtinCodeName(code);
  return fail(
    'UNSUPPORTED_OP',
    `${fileName}: operator ${opIndex} is ${name}, which tinypdm does not support; supported ops: ${OP_KINDS.join(', ')}`,
  );
}
