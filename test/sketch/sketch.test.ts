import { execa } from 'execa';
import { cp, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { emitOpsHeader } from '../../src/compiler/6-emit/sketch/ops-header.js';
import { OP_KINDS } from '../../src/ops/index.js';
import { emit } from '../../src/index.js';
import { compileHost, REPO_ROOT } from '../helpers/firmware-build.js';
import { EXAMPLE_RUN } from './helpers.js';
import { readTflite } from '../../src/compiler/index.js';
import type { SketchPlan } from '../../src/compiler/4-plan/sketch-plan.js';

/**
 * The emitted sketch, for both runtimes: layout, sketch.yaml, banners, static
 * asserts, and a g++ syntax/type check of the .ino against API-shape stubs
 * (test/sketch/stubs: a template check, not a substitute for the real
 * arduino-cli build). TFLM: the trimmed op resolver and both
 * Arduino_TensorFlowLite generations. C runtime (the default): no TFLM at
 * all, the compiled model and its kernels (the model's own bit-exactness is
 * test/codegen/c-model.test.ts; the whole firmware on QEMU is detector.test.ts).
 */
const STUBS = path.join(REPO_ROOT, 'test/sketch/stubs');
const CXX_FLAGS = ['-std=gnu++14', '-fsyntax-only', '-Wall', '-Wextra', '-Werror', '-x', 'c++'];

async function syntaxCheck(file: string, includeDirs: string[], api: 'new-api' | 'old-api') {
  return execa(
    'g++',
    [...CXX_FLAGS, `-I${path.join(STUBS, 'common')}`, `-I${path.join(STUBS, api)}`, ...includeDirs.map((d) => `-I${d}`), file],
    { reject: false },
  );
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.isDirectory()) out.push(...(await listFiles(path.join(dir, e.name), `${prefix}${e.name}/`)));
    else out.push(`${prefix}${e.name}`);
  }
  return out.sort();
}

let out: string;
let sketch: string;
let cOut: string;
let cSketch: string;

beforeAll(async () => {
  const work = await mkdtemp(path.join(tmpdir(), 'tp-sketch-'));
  out = path.join(work, 'out');
  cOut = path.join(work, 'c-out');
  await emit({
    model: path.join(EXAMPLE_RUN, 'model.json'),
    out,
    io: 'int8',
    command: 'tinypdm emit model.json --board nano33ble --runtime tflm',
    board: 'nano33ble',
    runtime: 'tflm',
    sketchName: 'my_sketch',
  });
  await emit({
    model: path.join(EXAMPLE_RUN, 'model.json'),
    out: cOut,
    io: 'int8',
    command: 'tinypdm emit model.json --board nano33ble',
    board: 'nano33ble',
    sketchName: 'my_sketch',
  });
  sketch = path.join(out, 'my_sketch');
  cSketch = path.join(cOut, 'my_sketch');
}, 300_000);

describe('emitted sketch, C runtime (the default)', () => {
  it('holds the compiled model and its kernels, and neither a flatbuffer nor a resolver', async () => {
    expect(await listFiles(cSketch)).toEqual([
      'my_sketch.ino',
      'sketch.yaml',
      'src/tinypdm/anomaly_score.c',
      'src/tinypdm/anomaly_score.h',
      'src/tinypdm/detector.c',
      'src/tinypdm/detector.h',
      'src/tinypdm/kernels/cortex_m4/conv_2d.h',
      'src/tinypdm/kernels/cortex_m4/dsp.h',
      'src/tinypdm/kernels/requantize.h',
      'src/tinypdm/kernels/tp_kernel.h',
      'src/tinypdm/ring_buffer.c',
      'src/tinypdm/ring_buffer.h',
      'src/tinypdm/tinypdm_fe_tables.h',
      'src/tinypdm/tinypdm_model.c',
      'src/tinypdm/tinypdm_model.h',
      'src/tinypdm/tp_frontend.c',
      'src/tinypdm/tp_frontend.h',
      'src/tinypdm/tp_internal.h',
      'src/tinypdm/tp_mel_db.c',
      'src/tinypdm/tp_resample.c',
      'src/tinypdm/tp_spectrum.c',
      'src/tinypdm/tp_window.c',
      'tinypdm_config.h',
    ]);
    const kernel = await readFile(path.join(cSketch, 'src/tinypdm/kernels/cortex_m4/conv_2d.h'), 'utf8');
    expect(kernel.endsWith(await readFile(path.join(REPO_ROOT, 'firmware/kernels/cortex_m4/conv_2d.h'), 'utf8'))).toBe(true);
    const ino = await readFile(path.join(cSketch, 'my_sketch.ino'), 'utf8');
    expect(ino).not.toMatch(/TensorFlowLite|tflite|tensor_arena/);
    expect(ino).toContain('tinypdm_model_invoke(window, model_output);');
    for (const f of await listFiles(cSketch)) expect(await readFile(path.join(cSketch, f), 'utf8'), f).not.toContain('FACTS');
  });

  it('the .ino passes g++ -fsyntax-only with only the Arduino core and PDM stubs on the include path', async () => {
    const stubs = await mkdtemp(path.join(tmpdir(), 'tp-core-stubs-'));
    for (const h of ['Arduino.h', 'PDM.h']) await cp(path.join(STUBS, 'common', h), path.join(stubs, h));
    const r = await execa('g++', [...CXX_FLAGS, `-I${stubs}`, `-I${cSketch}`, path.join(cSketch, 'my_sketch.ino')], { reject: false });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
  });

  it('tinypdm_config.h ties the compiled model to the window; the budget counts its exact buffer and weights', async () => {
    const cfg = await readFile(path.join(cSketch, 'tinypdm_config.h'), 'utf8');
    const report = JSON.parse(await readFile(path.join(cOut, 'report.json'), 'utf8'));
    expect(cfg).toContain(`#define TP_MODEL_ARENA_BYTES ${report.cRuntime.activationBytes}u`);
    expect(cfg).toContain('TP_STATIC_ASSERT(TINYPDM_MODEL_INPUT_COUNT == TP_INPUT_COUNT, model_input_is_the_window);');
    const model = await readFile(path.join(cSketch, 'src/tinypdm/tinypdm_model.c'), 'utf8');
    expect(model).toContain(`static int32_t tinypdm_model_arena_words[${report.cRuntime.activationBytes / 4}];`);
    const rows = report.budget.ram.rows as Array<{ item: string; bytes: number }>;
    expect(rows.find((r) => r.item.startsWith('model activations'))!.bytes).toBe(report.cRuntime.activationBytes);
    expect(rows.some((r) => r.item === 'tensor arena')).toBe(false);
    const flash = report.budget.flash.rows as Array<{ item: string; bytes: number }>;
    expect(flash.find((r) => r.item === 'model weights and constants')!.bytes).toBe(report.cRuntime.constBytes);
    // 42,049 int8 parameters, biases as int32, and two int32 per output channel.
    expect(report.cRuntime.constBytes).toBeGreaterThan(42_049);
    expect(await readFile(path.join(cOut, 'report.md'), 'utf8')).toContain(
      '| 1 | CONV_2D + MAX_POOL_2D | encoder_conv2, encoder_pool2 | 4,718,592 |',
    );
  });

  it('sketch.yaml pins the platform in a build profile', async () => {
    const yaml = parseYaml(await readFile(path.join(cSketch, 'sketch.yaml'), 'utf8')) as Record<string, unknown>;
    expect(yaml).toEqual({
      default_fqbn: 'arduino:mbed_nano:nano33ble',
      profiles: { nano33ble: { fqbn: 'arduino:mbed_nano:nano33ble', platforms: [{ platform: 'arduino:mbed_nano (4.6.0)' }] } },
    });
  });
});

describe('emitted sketch, TFLM runtime', () => {
  it('has the documented layout, with the portable C copied under src/tinypdm', async () => {
    expect(await listFiles(sketch)).toEqual([
      'model_data.cpp',
      'model_data.h',
      'my_sketch.ino',
      'sketch.yaml',
      'src/tinypdm/anomaly_score.c',
      'src/tinypdm/anomaly_score.h',
      'src/tinypdm/detector.c',
      'src/tinypdm/detector.h',
      'src/tinypdm/ring_buffer.c',
      'src/tinypdm/ring_buffer.h',
      'src/tinypdm/tinypdm_fe_tables.h',
      'src/tinypdm/tp_frontend.c',
      'src/tinypdm/tp_frontend.h',
      'src/tinypdm/tp_internal.h',
      'src/tinypdm/tp_mel_db.c',
      'src/tinypdm/tp_resample.c',
      'src/tinypdm/tp_spectrum.c',
      'src/tinypdm/tp_window.c',
      'tinypdm_config.h',
      'tinypdm_ops.h',
    ]);
    // The copies are the firmware sources behind a banner, byte for byte.
    const copy = await readFile(path.join(sketch, 'src/tinypdm/detector.c'), 'utf8');
    expect(copy.endsWith(await readFile(path.join(REPO_ROOT, 'firmware/core/detector.c'), 'utf8'))).toBe(true);
    expect(copy.startsWith('// Generated by tinypdm')).toBe(true);
  });

  it('sketch.yaml names the Nano 33 BLE FQBN and pins the platform; every generated C/C++ file starts with the banner', async () => {
    const yaml = parseYaml(await readFile(path.join(sketch, 'sketch.yaml'), 'utf8')) as Record<string, unknown>;
    expect(yaml).toEqual({
      default_fqbn: 'arduino:mbed_nano:nano33ble',
      profiles: { nano33ble: { fqbn: 'arduino:mbed_nano:nano33ble', platforms: [{ platform: 'arduino:mbed_nano (4.6.0)' }] } },
    });
    expect(await readFile(path.join(sketch, 'sketch.yaml'), 'utf8')).toMatch(/# This sketch also needs Arduino_TensorFlowLite/);
    for (const f of ['my_sketch.ino', 'model_data.h', 'model_data.cpp', 'tinypdm_config.h', 'tinypdm_ops.h']) {
      expect((await readFile(path.join(sketch, f), 'utf8')).split('\n')[0]).toMatch(/^\/\/ Generated by tinypdm \S+ — do not edit\.$/);
    }
    expect((await readFile(path.join(sketch, 'src/tinypdm/tinypdm_fe_tables.h'), 'utf8')).split('\n')[1]).toMatch(
      /tinypdm .* generated — do not edit/,
    );
  });

  it('the resolver has exactly the distinct ops of model.tflite, and only their Add calls', async () => {
    const graph = readTflite(new Uint8Array(await readFile(path.join(out, 'model.tflite'))), 'model.tflite');
    const distinct = [...new Set(graph.ops.map((o) => o.kind))];
    expect(distinct).toEqual(['CONV_2D', 'MAX_POOL_2D', 'RESIZE_NEAREST_NEIGHBOR']);
    const ops = await readFile(path.join(sketch, 'tinypdm_ops.h'), 'utf8');
    expect(ops).toContain('constexpr unsigned int kTinypdmOpCount = 3;');
    expect([...ops.matchAll(/resolver\.(Add\w+)\(\)/g)].map((m) => m[1])).toEqual([
      'AddConv2D',
      'AddMaxPool2D',
      'AddResizeNearestNeighbor',
    ]);
  });

  it('tinypdm_config.h: arena = planner estimate + stated margin; constants match the run and the report', async () => {
    const cfg = await readFile(path.join(sketch, 'tinypdm_config.h'), 'utf8');
    const num = (name: string) => Number(new RegExp(`#define ${name} (-?[0-9.e-]+)u?f?\\n`).exec(cfg)?.[1]);
    const report = JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8'));
    expect(num('TP_ARENA_ESTIMATE_BYTES')).toBe(report.arena.totalBytes);
    expect(num('TP_TENSOR_ARENA_SIZE')).toBe(Math.ceil((report.arena.totalBytes + num('TP_ARENA_MARGIN_BYTES')) / 16) * 16);
    expect(num('TP_ARENA_MARGIN_BYTES')).toBe(4096);
    const run = JSON.parse(await readFile(path.join(EXAMPLE_RUN, 'tinypdm.json'), 'utf8'));
    expect(num('TP_N_MELS')).toBe(run.features.nMels);
    expect(num('TP_WINDOW_FRAMES')).toBe(run.features.windowFrames);
    expect(num('TP_PDM_RATE')).toBe(run.features.pdmRate);
    expect(Math.fround(num('TP_THRESHOLD'))).toBe(Math.fround(run.threshold.value));
    expect(Math.fround(num('TP_INPUT_SCALE'))).toBe(Math.fround(1 / 255));
    expect(num('TP_INPUT_ZERO_POINT')).toBe(-128);
  });

  it('report.md and report.json carry the RAM/flash budget; its arena row is the sketch arena', async () => {
    const report = JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8'));
    const md = await readFile(path.join(out, 'report.md'), 'utf8');
    expect(md).toContain('## Board budget (nano33ble)');
    expect(md).toMatch(/\| RAM \| tensor arena \| 47,984 \| estimate \|/);
    expect(report.budget.ram.limit).toBe(262_144);
    expect(report.budget.flash.limit).toBe(983_040);
    expect(report.budget.ram.fits && report.budget.flash.fits).toBe(true);
    expect(report.budget.ram.total).toBe(report.budget.ram.rows.reduce((s: number, r: { bytes: number }) => s + r.bytes, 0));
  });

  for (const api of ['new-api', 'old-api'] as const) {
    it(`the .ino passes g++ -fsyntax-only against ${api} stubs (API-shape check only)`, async () => {
      const r = await syntaxCheck(path.join(sketch, 'my_sketch.ino'), [sketch], api);
      expect(r.stderr).toBe('');
      expect(r.exitCode).toBe(0);
    });
  }

  it('the syntax check fails on a broken sketch (it is not vacuous)', async () => {
    const broken = path.join(sketch, 'broken.ino');
    await writeFile(broken, (await readFile(path.join(sketch, 'my_sketch.ino'), 'utf8')).replace('AllocateTensors()', 'AllocateTensor()'));
    const r = await syntaxCheck(broken, [sketch], 'new-api');
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toMatch(/AllocateTensor/);
  });

  it('a resolver for every IR op kind compiles: every kind maps to a real MicroMutableOpResolver method', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tp-ops-'));
    const plan = { ops: [...OP_KINDS] } as unknown as SketchPlan;
    await writeFile(path.join(dir, 'tinypdm_ops.h'), emitOpsHeader(plan, { version: '0', command: 'test' }));
    await writeFile(
      path.join(dir, 'use.cc'),
      '#include "tinypdm_ops.h"\nTfLiteStatus registerAll() { static TinypdmOpResolver r; return tinypdmRegisterOps(r); }\n',
    );
    const r = await syntaxCheck(path.join(dir, 'use.cc'), [dir], 'new-api');
    expect(r.stderr).toBe('');
    expect(await readFile(path.join(dir, 'tinypdm_ops.h'), 'utf8')).toContain(`kTinypdmOpCount = ${OP_KINDS.length};`);
  });

  it('static asserts stop a C build whose constants disagree (edited config header)', async () => {
    const edited = path.join(await mkdtemp(path.join(tmpdir(), 'tp-assert-')), 'sk');
    await cp(sketch, edited, { recursive: true });
    const cfgPath = path.join(edited, 'tinypdm_config.h');
    const cfg = await readFile(cfgPath, 'utf8');
    await writeFile(cfgPath, cfg.replace(/#define TP_RING_CAPACITY \d+u/, '#define TP_RING_CAPACITY 3000u'));
    const tu = path.join(edited, 'tu.c');
    await writeFile(tu, '#include "tinypdm_config.h"\nint main(void) { return 0; }\n');
    await expect(
      compileHost({ sources: [tu], includeDirs: [edited, path.join(edited, 'src/tinypdm')], output: path.join(edited, 'tu') }),
    ).rejects.toThrow(/ring_capacity_is_power_of_two/);
    await writeFile(cfgPath, cfg);
    await expect(
      compileHost({ sources: [tu], includeDirs: [edited, path.join(edited, 'src/tinypdm')], output: path.join(edited, 'tu') }),
    ).resolves.toBeTruthy();
  });
});
