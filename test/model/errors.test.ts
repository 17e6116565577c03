import { mkdtemp, readFile, rm, truncate, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TinyPdmError, type ErrorCode } from '../../src/util/errors.js';
import { loadModel } from '../../src/compiler/1-load/index.js';
import { writeHandModel, type HandWeight } from '../fixtures/hand-written.js';

/** Each bad input gives one TinyPdmError, one line, with a stable code and the names a user needs. */
let tmp: string;
let n = 0;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'tinypdm-errors-'));
});
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

async function expectError(p: Promise<unknown>, code: ErrorCode, ...mentions: (string | RegExp)[]): Promise<TinyPdmError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(TinyPdmError);
  const err = e as TinyPdmError;
  expect(err.code).toBe(code);
  expect(err.message).not.toMatch(/\n/);
  for (const m of mentions) expect(err.message).toMatch(m);
  return err;
}

const conv = (name: string, extra: object = {}) => ({
  class_name: 'Conv2D',
  config: { name, filters: 2, kernel_size: [1, 1], padding: 'same', activation: 'linear', use_bias: true, ...extra },
});
const convWeights = (name: string, cin = 1): HandWeight[] => [
  { name: `${name}/kernel`, shape: [1, 1, cin, 2], data: new Float32Array(cin * 2).fill(1) },
  { name: `${name}/bias`, shape: [2], data: [0, 0] },
];
const sequential = (layers: object[], shape = [null, 4, 4, 1]) => {
  const [first, ...rest] = layers as Array<{ class_name: string; config: object }>;
  return {
    class_name: 'Sequential',
    config: { name: 'seq', layers: [{ ...first!, config: { ...first!.config, batch_input_shape: shape } }, ...rest] },
  };
};
const write = (topology: object, weights: HandWeight[]) => writeHandModel(path.join(tmp, `m${n++}`), topology, weights);

describe('file errors', () => {
  it('a missing path is FILE_NOT_FOUND', async () => {
    await expectError(loadModel(path.join(tmp, 'nope', 'model.json')), 'FILE_NOT_FOUND', /nope/);
  });

  it('a missing weights shard is MISSING_WEIGHTS naming the shard and the bytes needed', async () => {
    const file = await write(sequential([conv('c')]), convWeights('c'));
    await unlink(path.join(path.dirname(file), 'weights.bin'));
    await expectError(loadModel(file), 'MISSING_WEIGHTS', /weights\.bin/, /16 bytes/);
  });

  it('a truncated shard is CORRUPT_FILE naming the shard and the declared size, not the size the file has', async () => {
    // The shard's own size stays out of the message: a hostile manifest could name another file to learn its size.
    const file = await write(sequential([conv('c')]), convWeights('c'));
    await truncate(path.join(path.dirname(file), 'weights.bin'), 10);
    const e = await expectError(loadModel(file), 'CORRUPT_FILE', /weights\.bin/, /fewer bytes than the 16 bytes/);
    expect(e.message).not.toMatch(/\b10\b/);
  });

  it('invalid JSON is CORRUPT_FILE', async () => {
    const file = path.join(tmp, 'broken.json');
    await writeFile(file, '{"modelTopology": {"class_name": "Seq');
    await expectError(loadModel(file), 'CORRUPT_FILE', /broken\.json/, /not valid JSON/);
  });

  it('JSON that is not a model is NOT_A_MODEL with what was expected', async () => {
    const file = path.join(tmp, 'package.json');
    await writeFile(file, JSON.stringify({ name: 'x', version: '1.0.0' }));
    await expectError(loadModel(file), 'NOT_A_MODEL', /expected a TF\.js Layers model\.json with modelTopology and weightsManifest/);
  });

  it('a weight dtype other than float32/int32 is UNSUPPORTED_FORMAT naming the weight', async () => {
    const file = await write(sequential([conv('c')]), convWeights('c'));
    const json = JSON.parse(await readFile(file, 'utf8'));
    json.weightsManifest[0].weights[0].dtype = 'float16';
    await writeFile(file, JSON.stringify(json));
    await expectError(loadModel(file), 'UNSUPPORTED_FORMAT', /c\/kernel/, /float16/);
  });
});

describe('model errors', () => {
  it('an unsupported layer names the layer, its class and the supported list', async () => {
    const prelu = { class_name: 'PReLU', config: { name: 'prelu', shared_axes: [1, 2] } };
    const file = await write(sequential([conv('c'), prelu]), convWeights('c'));
    await expectError(loadModel(file), 'UNSUPPORTED_LAYER', /'prelu'/, /PReLU/, /supported layers: .*Conv2D.*LeakyReLU/);
  });

  it('a weight missing for a layer is MISSING_WEIGHTS naming layer and weight', async () => {
    const file = await write(sequential([conv('c')]), convWeights('c').slice(0, 1));
    await expectError(loadModel(file), 'MISSING_WEIGHTS', /layer 'c' \(Conv2D\)/, /'bias'/);
  });

  it('bilinear upsampling is refused', async () => {
    const file = await write(
      sequential([{ class_name: 'UpSampling2D', config: { name: 'up', size: [2, 2], interpolation: 'bilinear' } }]),
      [],
    );
    await expectError(loadModel(file), 'UNSUPPORTED_LAYER', /'up'/, /bilinear/);
  });

  it('a BatchNormalization after pooling cannot fold', async () => {
    const bn: HandWeight[] = ['gamma', 'beta', 'moving_mean', 'moving_variance'].map((w) => ({
      name: `bn/${w}`,
      shape: [2],
      data: [1, 1],
    }));
    const file = await write(
      sequential([
        conv('c'),
        { class_name: 'MaxPooling2D', config: { name: 'p', pool_size: [2, 2] } },
        { class_name: 'BatchNormalization', config: { name: 'bn', axis: -1 } },
      ]),
      [...convWeights('c'), ...bn],
    );
    await expectError(loadModel(file), 'UNSUPPORTED_LAYER', /layer 'bn' \(BatchNormalization\)/, /'p' \(MAX_POOL_2D\)/);
  });

  it('a shared layer (called twice) is refused by name', async () => {
    const topology = {
      class_name: 'Model',
      config: {
        name: 'shared',
        layers: [
          { name: 'x', class_name: 'InputLayer', config: { name: 'x', batch_input_shape: [null, 4, 4, 2] }, inbound_nodes: [] },
          { ...conv('c'), name: 'c', inbound_nodes: [[['x', 0, 0, {}]], [['c', 0, 0, {}]]] },
        ],
        input_layers: [['x', 0, 0]],
        output_layers: [['c', 1, 0]],
      },
    };
    await expectError(loadModel(await write(topology, convWeights('c', 2))), 'UNSUPPORTED_LAYER', /layer 'c' \(Conv2D\)/, /shared layer/);
  });

  it('an unsupported activation names the layer and the supported ones', async () => {
    const file = await write(sequential([conv('c', { activation: 'tanh' })]), convWeights('c'));
    await expectError(loadModel(file), 'UNSUPPORTED_LAYER', /'c'/, /tanh/, /relu6/);
  });

  it('a free input dimension is refused', async () => {
    const file = await write(sequential([conv('c')], [null, null, 4, 1]), convWeights('c'));
    await expectError(loadModel(file), 'NOT_A_MODEL', /fixed/);
  });
});
