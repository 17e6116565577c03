import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { runCli } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/firmware-build.js';
import { readTflite } from '../../src/compiler/index.js';

/**
 * Hostile names through the whole pipeline (emit --board → sketch), then the
 * generated C compiled and RUN: the names reach the C only where the
 * sanitiser put them (comments) and inside the model bytes, so
 *  - every generated C/C++ file, comments removed by the real preprocessor,
 *    is token for token the file a clean run of the same model generates
 *    (an escaped newline or `*\/` would have left code behind: an #include,
 *    a #define), and
 *  - a host program built from the generated sources prints the model bytes
 *    and the sketch constants: the bytes are the emitted flatbuffer, holding
 *    the hostile layer name exactly as given, and the constants equal the
 *    clean run's.
 */
const HOSTILE = 'x"q*/\n#include <evil.h>\n\\ ??/ é💥 \r\0 $(id) `id` %s';
/** Keras joins layer and weight names with '/', so the layer name swaps it for '|'. */
const HOSTILE_LAYER = HOSTILE.replace(/\//g, '|').replace(/\0/g, '');
const EXAMPLE_RUN = path.join(REPO_ROOT, 'arduino/example-run');
const SKETCH = 'tinypdm_detector';

let work: string;
let clean: string;
let hostile: string;

/** The example run with encoder_conv1 renamed and the threshold method set, emitted from a hostile file name. */
async function emitRun(name: string, layer: string | undefined, method: string | undefined, modelName: string): Promise<string> {
  const dir = path.join(work, name);
  await cp(EXAMPLE_RUN, dir, { recursive: true });
  let model = await readFile(path.join(dir, 'model.json'), 'utf8');
  if (layer !== undefined) {
    const parsed = JSON.parse(model);
    const rename = (v: unknown): unknown =>
      typeof v === 'string'
        ? v.startsWith('encoder_conv1')
          ? v.replace('encoder_conv1', layer)
          : v
        : Array.isArray(v)
          ? v.map(rename)
          : v && typeof v === 'object'
            ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, rename(x)]))
            : v;
    model = JSON.stringify(rename(parsed));
  }
  await writeFile(path.join(dir, modelName), model);
  if (method !== undefined) {
    const run = JSON.parse(await readFile(path.join(dir, 'tinypdm.json'), 'utf8'));
    run.threshold.method = method;
    await writeFile(path.join(dir, 'tinypdm.json'), JSON.stringify(run, null, 2));
  }
  const out = path.join(work, `${name}-out`);
  const r = await runCli(['emit', modelName, '--board', 'nano33ble', '--out', out], { cwd: dir });
  expect(r.stderr).toBe('');
  expect(r.exitCode).toBe(0);
  return out;
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'tinypdm-hostile-'));
  clean = await emitRun('clean', undefined, undefined, 'model.json');
  // File names cannot hold '/' or NUL; everything else of HOSTILE goes into the name.
  hostile = await emitRun('hostile', HOSTILE_LAYER, HOSTILE, `${HOSTILE.replace(/[/\0]/g, '_')}.json`);
}, 300_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function sourcesIn(dir: string, prefix = ''): Promise<string[]> {
  const found: string[] = [];
  for (const e of await readdir(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = path.join(prefix, e.name);
    if (e.isDirectory()) found.push(...(await sourcesIn(dir, rel)));
    else if (/\.(c|cc|h|ino)$/.test(e.name)) found.push(rel);
  }
  return found.sort();
}

/** The file as the compiler sees it with comments removed, directives kept and nothing expanded. */
async function tokens(file: string): Promise<string> {
  const lang = /\.(cc|ino)$/.test(file) ? 'c++' : 'c';
  const r = await execa('gcc', ['-x', lang, '-fpreprocessed', '-dD', '-E', '-P', '-w', file]);
  // The model bytes differ (the flatbuffer holds the layer names); everything around them must not.
  return r.stdout.replace(/(0x[0-9a-f]{2},\s*)+/g, '<bytes>').replace(/g_model_len = \d+u?/, 'g_model_len = <n>');
}

describe('hostile names: emit --board, then the generated C compiled and run', () => {
  it('the hostile text reached the generated files (in comments), so the test exercises the sanitiser', async () => {
    const config = await readFile(path.join(hostile, SKETCH, 'tinypdm_config.h'), 'utf8');
    expect(config).toContain('x"q* /_#include <evil.h>_/ ? ?/ ');
    expect(config).toContain('$(id) `id` %s');
  });

  it('every generated C/C++ file is, outside comments, token for token what the clean run generates: nothing injected', async () => {
    const files = await sourcesIn(path.join(hostile, SKETCH));
    expect(files).toEqual(await sourcesIn(path.join(clean, SKETCH)));
    expect(files).toEqual(
      expect.arrayContaining([
        'tinypdm_detector.ino',
        'tinypdm_config.h',
        'src/tinypdm/tinypdm_model.c',
        'src/tinypdm/tinypdm_model.h',
        'src/tinypdm/detector.c',
      ]),
    );
    // The compiled model names its steps after the layers: the hostile name is there, in a comment only.
    expect(await readFile(path.join(hostile, SKETCH, 'src/tinypdm/tinypdm_model.c'), 'utf8')).toContain('x"q*|_#include <evil.h>_');
    for (const f of files) {
      const [h, c] = await Promise.all([tokens(path.join(hostile, SKETCH, f)), tokens(path.join(clean, SKETCH, f))]);
      expect(h, f).toBe(c);
    }
    // The YAML too: only its comment line carries the command.
    const yaml = async (dir: string) => parseYaml(await readFile(path.join(dir, SKETCH, 'sketch.yaml'), 'utf8'));
    expect(await yaml(hostile)).toEqual(await yaml(clean));
  });

  it("a host program built from the generated sources prints the model bytes (the flatbuffer, with the hostile name intact) and the clean run's constants", async () => {
    const main = path.join(work, 'print_model.cc');
    await writeFile(
      main,
      `#include <cstdio>
#include "tinypdm_config.h"
#include "model_data.h"
int main(int argc, char **argv) {
  if (argc != 2) return 2;
  FILE *f = std::fopen(argv[1], "wb");
  if (!f || std::fwrite(g_model, 1, g_model_len, f) != g_model_len || std::fclose(f) != 0) return 3;
  std::printf("TP_PDM_RATE %u\\nTP_TARGET_RATE %u\\nTP_N_MELS %u\\nTP_WINDOW_FRAMES %u\\nTP_INPUT_COUNT %u\\n", TP_PDM_RATE, TP_TARGET_RATE, TP_N_MELS, TP_WINDOW_FRAMES, TP_INPUT_COUNT);
  std::printf("TP_INPUT_SCALE %.9g\\nTP_INPUT_ZERO_POINT %d\\nTP_THRESHOLD %.9g\\nTP_MODEL_ARENA_BYTES %u\\n", (double)TP_INPUT_SCALE, TP_INPUT_ZERO_POINT, (double)TP_THRESHOLD, TP_MODEL_ARENA_BYTES);
  return 0;
}
`,
    );
    const build = async (out: string) => {
      const sketch = path.join(out, SKETCH);
      const exe = path.join(out, 'print_model');
      // The flatbuffer is emit's model_data.cpp beside the sketch (the C-runtime sketch itself does not carry it).
      await execa('g++', [
        '-std=c++14',
        '-Wall',
        '-Wextra',
        '-Werror',
        `-I${sketch}`,
        `-I${out}`,
        main,
        path.join(out, 'model_data.cpp'),
        '-o',
        exe,
      ]);
      const dump = path.join(out, 'g_model.bin');
      const r = await execa(exe, [dump]);
      return { printed: r.stdout, bytes: new Uint8Array(await readFile(dump)) };
    };
    const [h, c] = await Promise.all([build(hostile), build(clean)]);
    expect(h.printed).toBe(c.printed);
    expect(h.printed).toContain('TP_INPUT_COUNT 1024');

    // The bytes the C program holds are the flatbuffer emit wrote, byte for byte.
    expect(Buffer.from(h.bytes).equals(await readFile(path.join(hostile, 'model.tflite')))).toBe(true);
    const names = readTflite(h.bytes, 'g_model').tensors.map((t) => t.name);
    const cleanNames = readTflite(c.bytes, 'g_model').tensors.map((t) => t.name);
    // The only difference: encoder_conv1 is now exactly the hostile name (quotes, newlines, backslash, ??/, Unicode).
    expect(names).toEqual(cleanNames.map((n) => n.replace('encoder_conv1', HOSTILE_LAYER)));
    expect(names.some((n) => n.includes(HOSTILE_LAYER))).toBe(true);
  }, 120_000);
});
