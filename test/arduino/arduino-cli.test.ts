import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildSketch,
  compileArgs,
  execaRunner,
  parseCompileJson,
  parseLibList,
  sketchFqbn,
  uploadArgs,
  uploadSketch,
  type CommandRunner,
} from '../../src/arduino/index.js';
import { TinyPdmError } from '../../src/util/errors.js';

const recorded = (name: string) => readFileSync(path.join(import.meta.dirname, 'recorded', name), 'utf8');

/** Replays recorded arduino-cli output and records the command lines it was given. */
function replay(responses: Record<string, { exitCode: number; stdout: string; stderr?: string }>): CommandRunner & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    async run(_command, args) {
      calls.push(args);
      const r = responses[args[0]!];
      if (!r) throw new Error(`unexpected arduino-cli ${args.join(' ')}`);
      return { stderr: '', ...r };
    },
  };
}

const libList = JSON.stringify({ installed_libraries: [{ library: { name: 'Arduino_TensorFlowLite', version: '2.4.0-ALPHA' } }] });

/** A sketch emitted with --runtime tflm carries tinypdm_ops.h; that is what makes the build check for the library. */
async function tflmSketch(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sk-tflm-'));
  await writeFile(path.join(dir, 'tinypdm_ops.h'), '');
  return dir;
}

describe('arduino-cli wrapper', () => {
  it('builds the exact command lines', () => {
    expect(compileArgs('sk', 'arduino:mbed_nano:nano33ble', '/o')).toEqual([
      'compile', '--fqbn', 'arduino:mbed_nano:nano33ble', '--output-dir', '/o', '--format', 'json', 'sk',
    ]);
    expect(uploadArgs('sk', 'arduino:mbed_nano:nano33ble', '/dev/ttyACM0')).toEqual(['upload', '-p', '/dev/ttyACM0', '--fqbn', 'arduino:mbed_nano:nano33ble', 'sk']);
  });

  it('parses the current JSON shape (sizes under builder_result)', () => {
    expect(parseCompileJson(recorded('compile-v1.json'))).toEqual({ flash: { used: 312456, max: 983040 }, ram: { used: 141232, max: 262144 } });
  });

  it('parses the older JSON shape (sizes at top level, camelCase maxSize)', () => {
    expect(parseCompileJson(recorded('compile-v0.json'))).toEqual({ flash: { used: 298800, max: 983040 }, ram: { used: 120016, max: 262144 } });
  });

  it('rejects output without sizes and non-JSON output with TOOL_FAILED', () => {
    expect(() => parseCompileJson(recorded('compile-failed.json'))).toThrow(/TensorFlowLite\.h: No such file/);
    expect(() => parseCompileJson('Sketch uses 1 bytes')).toThrow(TinyPdmError);
  });

  it('parses both lib list shapes', () => {
    expect(parseLibList(libList)).toEqual(['Arduino_TensorFlowLite']);
    expect(parseLibList(JSON.stringify([{ library: { name: 'PDM' } }]))).toEqual(['PDM']);
    expect(parseLibList('not json')).toEqual([]);
  });

  it('runs compile and reports sizes (a TFLM sketch: the library is checked first)', async () => {
    const runner = replay({ lib: { exitCode: 0, stdout: libList }, compile: { exitCode: 0, stdout: recorded('compile-v1.json') } });
    const r = await buildSketch(await tflmSketch(), runner, 'arduino:mbed_nano:nano33ble');
    expect(r.flash.used).toBe(312456);
    expect(runner.calls[0]!).toEqual(['lib', 'list', '--format', 'json']);
    expect(runner.calls[1]!.slice(0, 3)).toEqual(['compile', '--fqbn', 'arduino:mbed_nano:nano33ble']);
  });

  it('a C-runtime sketch (no tinypdm_ops.h) compiles without asking for any library', async () => {
    const runner = replay({ compile: { exitCode: 0, stdout: recorded('compile-v1.json') } });
    const r = await buildSketch(await mkdtemp(path.join(tmpdir(), 'sk-c-')), runner, 'arduino:mbed_nano:nano33ble');
    expect(r.ram.used).toBe(141232);
    expect(runner.calls.map((c) => c[0])).toEqual(['compile']);
  });

  it('gives the lib install recipe when the TFLM library is missing', async () => {
    const runner = replay({ lib: { exitCode: 0, stdout: JSON.stringify({ installed_libraries: [] }) } });
    await expect(buildSketch(await tflmSketch(), runner, 'f')).rejects.toThrow(/lib install --git-url https:\/\/github.com\/tensorflow\/tflite-micro-arduino-examples.git/);
  });

  it('explains a compile that cannot find TensorFlowLite.h', async () => {
    const runner = replay({
      lib: { exitCode: 0, stdout: libList },
      compile: { exitCode: 1, stdout: recorded('compile-failed.json'), stderr: 'Error during build: exit status 1' },
    });
    await expect(buildSketch(await tflmSketch(), runner, 'f')).rejects.toThrow(/TFLM library .* not installed.*lib install --git-url/);
  });

  it('reports a failed upload in one line', async () => {
    const runner = replay({ upload: { exitCode: 1, stdout: '', stderr: 'No device found on /dev/ttyACM9\n' } });
    await expect(uploadSketch('sk', runner, 'f', '/dev/ttyACM9')).rejects.toThrow(/upload to \/dev\/ttyACM9 failed: No device found/);
  });

  it('says how to install arduino-cli when it is not on PATH', async () => {
    const err = await execaRunner.run('arduino-cli-definitely-not-installed', ['version']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TinyPdmError);
    expect((err as TinyPdmError).code).toBe('TOOL_MISSING');
    expect((err as Error).message).toMatch(/arduino-cli-definitely-not-installed was not found on PATH; install arduino-cli/);
  });

  it('reads the FQBN from sketch.yaml', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sk-'));
    await writeFile(path.join(dir, 'sketch.yaml'), 'default_fqbn: arduino:mbed:nano33ble\n');
    expect(await sketchFqbn(dir, 'x')).toBe('arduino:mbed:nano33ble');
    expect(await sketchFqbn(path.join(dir, 'missing'), 'fallback')).toBe('fallback');
  });
});
