import { mkdtemp, rm, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tensorSize } from '../../src/ir/graph.js';
import { loadModel, modelFromTfjsFiles, parseTfjsFiles } from '../../src/compiler/1-load/loaders/index.js';
import { applyMutations, FUZZ_RUNS, FUZZ_SEED, mutationsOf, outcomeAsync } from './fuzz-helpers.js';
import { saveLayersModel } from '../../src/learn/index.js';

/**
 * The TF.js Layers loader (model.json + weight shards → IR) on hostile files.
 * The base is a real model.json written by TF.js (conv, pool, BatchNorm,
 * dense); each case rewrites one or more JSON values anywhere in it (topology
 * or weightsManifest) with a hostile value, deletes or duplicates entries,
 * changes the shard's size, or mutates the raw bytes. Every case must load
 * into a consistent graph or fail with one clean user error.
 */
// INVALID_GRAPH and NON_FINITE: the graph validator (issue 13) refuses absurd options and NaN/Inf weights.
const USER_CODES = new Set([
  'CORRUPT_FILE',
  'NOT_A_MODEL',
  'UNSUPPORTED_LAYER',
  'UNSUPPORTED_FORMAT',
  'MISSING_WEIGHTS',
  'SHAPE_MISMATCH',
  'RESOURCE_LIMIT',
  'PATH_OUTSIDE',
  'INVALID_GRAPH',
  'NON_FINITE',
]);

let work: string;
let baseJson: Record<string, unknown>;
let baseText: string;
let baseShard: Uint8Array;
let shardName: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'tinypdm-tfjs-fuzz-'));
  await tf.setBackend('cpu');
  const model = tf.sequential({
    name: 'fuzz_base',
    layers: [
      tf.layers.conv2d({ name: 'conv', inputShape: [6, 5, 2], filters: 3, kernelSize: 3, padding: 'same' }),
      tf.layers.batchNormalization({ name: 'bn' }),
      tf.layers.maxPooling2d({ name: 'pool', poolSize: 2 }),
      tf.layers.flatten({ name: 'flat' }),
      tf.layers.dense({ name: 'fc', units: 4, activation: 'softmax' }),
    ],
  });
  await saveLayersModel(model, path.join(work, 'base'));
  baseText = await readFile(path.join(work, 'base', 'model.json'), 'utf8');
  baseJson = JSON.parse(baseText) as Record<string, unknown>;
  shardName = (baseJson['weightsManifest'] as { paths: string[] }[])[0]!.paths[0]!;
  baseShard = new Uint8Array(await readFile(path.join(work, 'base', shardName)));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

type JsonPath = (string | number)[];

/** Every path to a value in the JSON, in document order (deterministic, so fast-check can index it). */
function pathsOf(v: unknown, prefix: JsonPath = [], out: JsonPath[] = []): JsonPath[] {
  out.push(prefix);
  if (Array.isArray(v)) v.forEach((x, i) => pathsOf(x, [...prefix, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) pathsOf(x, [...prefix, k], out);
  return out;
}

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    -1,
    0,
    1,
    2 ** 31,
    2 ** 53,
    1e300,
    -1e300,
    0.5,
    '',
    'x',
    '__proto__',
    'constructor',
    true,
    [],
    {},
    [-1],
    [0, 0],
    [2 ** 30, 2 ** 30],
    [1e9, 1e9, 1e9],
  ),
  fc.jsonValue({ maxDepth: 2 }),
);

type Edit = { kind: 'set'; path: number; value: unknown } | { kind: 'delete'; path: number } | { kind: 'duplicate'; path: number };
type Case = { edits: Edit[]; shard: 'same' | 'short' | 'long' | 'empty'; bytes?: Parameters<typeof applyMutations>[1] | undefined };

function applyEdits(json: unknown, edits: Edit[]): unknown {
  let doc = structuredClone(json);
  // Paths are taken once, from the unedited document; an edit whose path an
  // earlier edit removed is skipped.
  const paths = pathsOf(doc);
  for (const e of edits) {
    const p = paths[e.path % paths.length]!;
    if (p.length === 0) {
      if (e.kind === 'set') doc = structuredClone(e.value);
      continue;
    }

    const parent = p.slice(0, -1).reduce<any>((o, k) => (o && typeof o === 'object' ? o[k] : undefined), doc);
    if (!parent || typeof parent !== 'object') continue;
    const key = p[p.length - 1]!;
    if (e.kind === 'set') parent[key] = structuredClone(e.value);
    else if (e.kind === 'delete') {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key as string];
    } else if (Array.isArray(parent)) parent.splice(key as number, 0, structuredClone(parent[key as number]));
  }
  return doc;
}

const edit: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('set' as const), path: fc.nat(), value: hostileValue }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), path: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), path: fc.nat() }) },
);

const JSON_PATH = '/models/fuzz/model.json';

/** One case, in memory: model.json text and shards by absolute path; the same parse and lowering as loadModel. */
async function loadCase(c: Case) {
  const jsonBytes = new TextEncoder().encode(JSON.stringify(applyEdits(baseJson, c.edits)));
  const text = new TextDecoder().decode(c.bytes ? applyMutations(jsonBytes, c.bytes) : jsonBytes);
  const shard =
    c.shard === 'same'
      ? baseShard
      : c.shard === 'short'
        ? baseShard.subarray(0, baseShard.length - 4)
        : c.shard === 'long'
          ? new Uint8Array([...baseShard, 0, 0, 0, 0])
          : new Uint8Array(0);
  const shards = new Map([[path.join(path.dirname(JSON_PATH), shardName), shard]]);
  const readShard = async (p: string) => shards.get(p) ?? Promise.reject(Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' }));
  // Errors may name model.json or a shard beside it: both lie in its directory.
  return outcomeAsync(async () => modelFromTfjsFiles(await parseTfjsFiles(JSON_PATH, text, readShard)), path.dirname(JSON_PATH));
}

describe('TF.js Layers loader fuzz', () => {
  it('loads the unmutated base model', async () => {
    const fromDisk = await loadModel(path.join(work, 'base', 'model.json'));
    expect(fromDisk.graph.ops.map((o) => o.kind)).toEqual(['CONV_2D', 'MAX_POOL_2D', 'RESHAPE', 'FULLY_CONNECTED', 'SOFTMAX']);
    const result = await loadCase({ edits: [], shard: 'same' });
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value.graph).toEqual(fromDisk.graph);
  });

  it(`hostile model.json values, structure and shard sizes (${FUZZ_RUNS} cases): a consistent graph or one clean user error`, async () => {
    const seen = new Map<string, number>();
    const arb: fc.Arbitrary<Case> = fc.record(
      {
        edits: fc.array(edit, { minLength: 1, maxLength: 3 }),
        shard: fc.constantFrom<Case['shard']>('same', 'same', 'same', 'short', 'long', 'empty'),
        // Raw byte damage in a quarter of the cases (it mostly yields invalid JSON); the rest stay parseable.
        bytes: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: mutationsOf(baseText.length) }),
      },
      { requiredKeys: ['edits', 'shard'] },
    );
    await fc.assert(
      fc.asyncProperty(arb, async (c) => {
        const result = await loadCase(c);
        seen.set(result.ok ? 'ok' : result.error.code, (seen.get(result.ok ? 'ok' : result.error.code) ?? 0) + 1);
        if (!result.ok) {
          expect(USER_CODES.has(result.error.code), result.error.message).toBe(true);
          return;
        }
        const g = result.value.graph;
        for (const op of g.ops)
          for (const id of [...op.inputs, ...op.outputs]) expect(id === -1 || (id >= 0 && id < g.tensors.length)).toBe(true);
        for (const t of g.tensors) if (t.data) expect(t.data.length, t.name).toBe(tensorSize(t.shape));
      }),
      { numRuns: FUZZ_RUNS, seed: FUZZ_SEED },
    );
    expect(seen.get('ok') ?? 0).toBeGreaterThan(FUZZ_RUNS / 100);
    console.log('tfjs fuzz outcomes', Object.fromEntries(seen));
  });

  it('refuses negative or fractional weight dimensions even when the byte total happens to match the shard', async () => {
    // -1 x float32 plus 2 x float32 claims 4 bytes, the size of the shard: only a per-dimension check stops decodeWeights.
    for (const shape of [[-1], [0.5, 2]]) {
      const manifest = [
        {
          paths: ['w.bin'],
          weights: [
            { name: 'a', shape, dtype: 'float32' },
            { name: 'b', shape: [2], dtype: 'float32' },
          ],
        },
      ];
      const text = JSON.stringify({ modelTopology: baseJson['modelTopology'], weightsManifest: manifest });
      const shard = new Uint8Array(shape[0] === -1 ? 4 : 12);
      const r = await outcomeAsync(async () => modelFromTfjsFiles(await parseTfjsFiles(JSON_PATH, text, async () => shard)), JSON_PATH);
      expect(r.ok).toBe(false);
      if (!r.ok)
        expect(r.error.message).toContain(`weight 'a' has shape ${JSON.stringify(shape)}; dimensions must be non-negative integers`);
    }
  });
});
