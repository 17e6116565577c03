import { chmod, cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeNpy } from '../../src/util/npy.js';
import { compileHost, REPO_ROOT } from '../helpers/firmware-build.js';
import { runCli } from '../helpers/cli.js';
import { EXAMPLE_RUN } from './helpers.js';
import { execa } from 'execa';

/** The board commands through the real CLI: emit --board, build, upload, ci; and hostile names end to end. */
let work: string;

/** A copy of the example run with model.json rewritten by `edit` (the JSON object) and tinypdm.json by `editRun`. */
async function runCopy(name: string, edit: (model: any) => void, editRun: (run: any) => void = () => {}): Promise<string> {
  const dir = path.join(work, name);
  await cp(EXAMPLE_RUN, dir, { recursive: true });
  const model = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8'));
  edit(model);
  await writeFile(path.join(dir, 'model.json'), JSON.stringify(model));
  const run = JSON.parse(await readFile(path.join(dir, 'tinypdm.json'), 'utf8'));
  editRun(run);
  await writeFile(path.join(dir, 'tinypdm.json'), JSON.stringify(run, null, 2));
  return dir;
}

/** Every value under `o` for which `f` returns a replacement is replaced (deep). */
function mapDeep(o: any, f: (key: string, v: any) => any): void {
  for (const [k, v] of Object.entries(o)) {
    const r = f(k, v);
    if (r !== undefined) o[k] = r;
    else if (v && typeof v === 'object') mapDeep(v, f);
  }
}

/** A fake arduino-cli that answers `lib list` and `compile` from the recorded JSON and logs its arguments. */
async function fakeArduinoCli(): Promise<{ bin: string; log: string }> {
  const dir = await mkdtemp(path.join(work, 'fake-cli-'));
  const log = path.join(dir, 'calls.log');
  const recorded = path.join(REPO_ROOT, 'test/arduino/recorded/compile-v1.json');
  const bin = path.join(dir, 'arduino-cli');
  await writeFile(
    bin,
    `#!/bin/sh\necho "$@" >> '${log}'\ncase "$1" in\n  lib) echo '{"installed_libraries":[{"library":{"name":"Arduino_TensorFlowLite"}}]}' ;;\n  compile) cat '${recorded}' ;;\n  upload) echo 'uploaded' ;;\nesac\n`,
  );
  await chmod(bin, 0o755);
  return { bin, log };
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'tp-sketch-cli-'));
});

describe('tinypdm emit --board', () => {
  it('without tinypdm.json beside the model: one line saying to train or pass --run-config', async () => {
    const dir = path.join(work, 'no-run');
    await cp(EXAMPLE_RUN, dir, { recursive: true });
    await rm(path.join(dir, 'tinypdm.json'));
    const r = await runCli(['emit', path.join(dir, 'model.json'), '--board', 'nano33ble', '--out', path.join(work, 'no-run-out')]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/RUN_MISMATCH.*no tinypdm\.json beside the model.*tinypdm train.*--run-config FILE/);
    // --run-config points at it explicitly; the run's calib.npy (beside it) is used.
    const ok = await runCli([
      'emit',
      path.join(dir, 'model.json'),
      '--board',
      'nano33ble',
      '--run-config',
      path.join(EXAMPLE_RUN, 'tinypdm.json'),
      '--out',
      path.join(work, 'rc-out'),
    ]);
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toMatch(/nano33ble: RAM [\d,]+ \/ 262,144 B, flash [\d,]+ \/ 983,040 B/);
    expect(await readdir(path.join(work, 'rc-out', 'tinypdm_detector'))).toContain('tinypdm_detector.ino');
  });

  it('--runtime without --board is a one-line error (it chooses how the sketch runs the model)', async () => {
    const r = await runCli(['emit', path.join(EXAMPLE_RUN, 'model.json'), '--runtime', 'c', '--out', path.join(work, 'runtime-no-board')]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/BAD_ARGUMENT.*--runtime c chooses how the board sketch runs the model; pass --board nano33ble with it/);
  });

  it('refuses a 128 × 128 window (arena ~655 KB) with numbers and suggestions; --force writes it', async () => {
    const dir = await runCopy(
      'big',
      (m) => mapDeep(m, (k, v) => (k === 'batch_input_shape' ? [v[0], v[1] * 4, v[2] * 4, v[3]] : undefined)),
      (run) => {
        run.features.nMels = 128;
        run.features.windowFrames = 128;
        run.features.windowHop = 64;
        run.inputShape = [128, 128, 1];
      },
    );
    const calib = new Float32Array(2 * 128 * 128).map((_, i) => ((i * 7919) % 256) / 255);
    await writeFile(path.join(dir, 'calib.npy'), encodeNpy([2, 128, 128, 1], calib));
    const out = path.join(work, 'big-out');
    const r = await runCli(['emit', path.join(dir, 'model.json'), '--board', 'nano33ble', '--out', out]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(
      /DOES_NOT_FIT.*RAM [\d,]+ B of 262,144 B \(model activations 1\d\d KB\).*n_mels 128 × 128 frames needs 1\d\d KB of activations; at \d+ × \d+ it needs \d+ KB.*--force/,
    );
    // The TFLM runtime's arena is larger, and its message names it.
    const tflm = await runCli(['emit', path.join(dir, 'model.json'), '--board', 'nano33ble', '--runtime', 'tflm', '--out', out]);
    expect(tflm.exitCode).toBe(1);
    expect(tflm.stderr).toMatch(
      /DOES_NOT_FIT.*RAM [\d,]+ B of 262,144 B \(tensor arena 6\d\d KB\).*n_mels 128 × 128 frames needs 6\d\d KB of arena; at \d+ × \d+ it needs \d+ KB.*--force/,
    );
    await expect(readdir(out)).rejects.toThrow(); // nothing written
    const forced = await runCli(['emit', path.join(dir, 'model.json'), '--board', 'nano33ble', '--out', out, '--force']);
    expect(forced.exitCode).toBe(0);
    expect(forced.stdout).toContain('DOES NOT FIT, forced');
    expect(await readFile(path.join(out, 'report.md'), 'utf8')).toMatch(
      /\| RAM \| \*\*total\*\* \| \*\*[\d,]+\*\* \| limit 262,144, \*\*[\d,]+ over\*\* \|/,
    );
  }, 180_000);
});

describe('hostile names through emit → sketch', () => {
  const HOSTILE = 'x"q*/\n#include <evil.h>\n\\ ??/ é💥';

  it('layer names, threshold method and the model file name cannot break or inject into the generated C', async () => {
    const dir = await runCopy(
      'hostile',
      (m) =>
        mapDeep(m, (_k, v) =>
          typeof v === 'string' && v.startsWith('encoder_conv1') ? v.replace('encoder_conv1', HOSTILE.replace(/\//g, '|')) : undefined,
        ),
      (run) => {
        run.threshold.method = HOSTILE;
      },
    );
    const modelFile = path.join(dir, `${HOSTILE.replace(/\//g, '_')}.json`);
    await cp(path.join(dir, 'model.json'), modelFile);
    const out = path.join(work, 'hostile-out');
    const r = await runCli(['emit', modelFile, '--board', 'nano33ble', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const sketch = path.join(out, 'tinypdm_detector');
    const generated = [
      'tinypdm_detector.ino',
      'tinypdm_config.h',
      'src/tinypdm/tinypdm_model.c',
      'src/tinypdm/tinypdm_model.h',
      'sketch.yaml',
    ];
    for (const f of generated) {
      const text = await readFile(path.join(sketch, f), 'utf8');
      expect(text, f).not.toMatch(/^\s*#include <evil\.h>/m);
      expect(text, f).not.toContain('*/');
      expect(text, f).not.toContain('??/');
    }
    expect(await readFile(path.join(sketch, 'tinypdm_config.h'), 'utf8')).toContain('x"q* /_#include <evil.h>_/ ? ?/ __');
    // The layer name reaches the compiled model's step comments, sanitised.
    expect(await readFile(path.join(sketch, 'src/tinypdm/tinypdm_model.c'), 'utf8')).toContain('x"q*|_#include <evil.h>_');
    // It still compiles: the portable core as C with the generated headers, the .ino as C++ against the stubs.
    const tu = path.join(sketch, 'tu.c');
    await writeFile(tu, '#include "tinypdm_config.h"\n#include "detector.h"\nint main(void) { return (int)TP_INPUT_COUNT - 1024; }\n');
    const core = (await readdir(path.join(sketch, 'src/tinypdm')))
      .filter((f) => f.endsWith('.c'))
      .map((f) => path.join(sketch, 'src/tinypdm', f));
    await compileHost({ sources: [tu, ...core], includeDirs: [sketch, path.join(sketch, 'src/tinypdm')], output: path.join(sketch, 'tu') });
    const stubs = path.join(REPO_ROOT, 'test/sketch/stubs');
    const gxx = await execa(
      'g++',
      [
        '-std=gnu++14',
        '-fsyntax-only',
        '-Wall',
        '-Wextra',
        '-Werror',
        '-x',
        'c++',
        `-I${stubs}/common`,
        `-I${stubs}/new-api`,
        `-I${sketch}`,
        path.join(sketch, 'tinypdm_detector.ino'),
      ],
      { reject: false },
    );
    expect(gxx.stderr).toBe('');
    expect(parseYaml(await readFile(path.join(sketch, 'sketch.yaml'), 'utf8'))).toMatchObject({
      default_fqbn: 'arduino:mbed_nano:nano33ble',
    });
  }, 120_000);

  it('a hostile --sketch-name is refused before anything is written', async () => {
    const r = await runCli([
      'emit',
      path.join(EXAMPLE_RUN, 'model.json'),
      '--board',
      'nano33ble',
      '--sketch-name',
      '../evil"',
      '--out',
      path.join(work, 'bad-name'),
    ]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/BAD_ARGUMENT.*--sketch-name "\.\.\/evil\\"" is not a valid sketch name/);
  });
});

describe('tinypdm build / upload / ci', () => {
  it('build runs arduino-cli compile with the sketch.yaml FQBN and prints flash and RAM against the limits', async () => {
    const { bin, log } = await fakeArduinoCli();
    const r = await runCli(['build', path.join(REPO_ROOT, 'arduino/tinypdm_example')], { env: { ARDUINO_CLI: bin } });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/flash 312,456 \/ 983,040 B \(31\.8%\)/);
    expect(r.stdout).toMatch(/static RAM 141,232 \/ 262,144 B \(53\.9%\)/);
    const calls = (await readFile(log, 'utf8')).trim().split('\n');
    // The example runs the C runtime: no library to check, straight to compile.
    expect(calls[0]).toMatch(/^compile --fqbn arduino:mbed_nano:nano33ble --output-dir \S+ --format json \S+arduino\/tinypdm_example$/);
    const json = await runCli(['build', path.join(REPO_ROOT, 'arduino/tinypdm_example'), '--json'], { env: { ARDUINO_CLI: bin } });
    expect(JSON.parse(json.stdout)).toMatchObject({
      fqbn: 'arduino:mbed_nano:nano33ble',
      flash: { used: 312456, max: 983040 },
      ram: { used: 141232, max: 262144 },
    });
  });

  it('a TFLM sketch (it has tinypdm_ops.h) is checked for Arduino_TensorFlowLite before compiling', async () => {
    const { bin, log } = await fakeArduinoCli();
    const sketch = path.join(work, 'tflm_sketch');
    await cp(path.join(REPO_ROOT, 'arduino/tinypdm_example'), sketch, { recursive: true });
    await writeFile(path.join(sketch, 'tinypdm_ops.h'), '');
    const r = await runCli(['build', sketch], { env: { ARDUINO_CLI: bin } });
    expect(r.stderr).toBe('');
    const calls = (await readFile(log, 'utf8')).trim().split('\n');
    expect(calls[0]).toBe('lib list --format json');
    expect(calls[1]).toMatch(/^compile --fqbn arduino:mbed_nano:nano33ble /);
  });

  it('without arduino-cli: one line with the install instructions', async () => {
    const r = await runCli(['build', path.join(REPO_ROOT, 'arduino/tinypdm_example')], {
      env: { ARDUINO_CLI: path.join(work, 'no-such-arduino-cli') },
    });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/TOOL_MISSING.*not found on PATH; install arduino-cli \(https:\/\/arduino\.github\.io/);
  });

  it('upload passes the port and FQBN', async () => {
    const { bin, log } = await fakeArduinoCli();
    const r = await runCli(['upload', path.join(REPO_ROOT, 'arduino/tinypdm_example'), '--port', '/dev/ttyACM7'], {
      env: { ARDUINO_CLI: bin },
    });
    expect(r.stderr).toBe('');
    expect((await readFile(log, 'utf8')).trim()).toMatch(
      /^upload -p \/dev\/ttyACM7 --fqbn arduino:mbed_nano:nano33ble \S+tinypdm_example$/,
    );
  });

  it('ci writes a workflow that parses as YAML: a matrix over the rates, emit --board then arduino-cli compile', async () => {
    const out = path.join(work, 'repo/.github/workflows/firmware.yml');
    const r = await runCli(['ci', '--rates', '6000,3000,6000', '--runs', 'runs', '--out', out]);
    expect(r.stderr).toBe('');
    const wf = parseYaml(await readFile(out, 'utf8'));
    const job = wf.jobs.firmware;
    expect(job.strategy.matrix.rate).toEqual([6000, 3000]);
    const runs = job.steps.map((s: any) => s.run ?? '').join('\n');
    expect(runs).toContain('arduino-cli core install arduino:mbed_nano');
    // The default C runtime needs no library; --runtime tflm installs Arduino_TensorFlowLite.
    expect(runs).not.toContain('lib install');
    expect(runs).toContain(
      'npx tinypdm emit runs/${{ matrix.rate }}/model.json --board nano33ble --sketch-name tinypdm_detector --out build/${{ matrix.rate }}',
    );
    const tflmOut = path.join(work, 'repo/.github/workflows/firmware-tflm.yml');
    expect((await runCli(['ci', '--rates', '6000', '--runtime', 'tflm', '--out', tflmOut])).exitCode).toBe(0);
    const tflmRuns = parseYaml(await readFile(tflmOut, 'utf8'))
      .jobs.firmware.steps.map((s: any) => s.run ?? '')
      .join('\n');
    expect(tflmRuns).toContain('arduino-cli lib install --git-url https://github.com/tensorflow/tflite-micro-arduino-examples.git');
    expect(tflmRuns).toContain('--board nano33ble --runtime tflm --sketch-name tinypdm_detector');
    expect(runs).toContain('npx tinypdm build build/${{ matrix.rate }}/tinypdm_detector --json');
    const bad = await runCli(['ci', '--rates', '6000,abc', '--out', out]);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toMatch(/--rates .*"abc" is not a whole number/);
  });
});
