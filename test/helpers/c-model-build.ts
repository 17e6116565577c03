/**
 * Builds generated models (src/codegen/c-model) into one harness binary
 * (firmware/harness/model_harness.c), on the host (gcc) or the emulated
 * Cortex-M4 (arm-none-eabi-gcc + QEMU), and runs them on given inputs. Many
 * models share one compile: each is a translation unit that renames
 * tinypdm_model_invoke.
 */
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateCModel, type CModel, type KernelTarget } from '../../src/compiler/6-emit/c-model/index.js';
import type { Graph, TensorData } from '../../src/ir/graph.js';
import { compileHost, compileM4, REPO_ROOT, runQemu, runTool } from './firmware-build.js';

/** What the C must compile under on both compilers, beyond the harness defaults. */
export const STRICT_CFLAGS = ['-std=c99', '-Wall', '-Wextra', '-Wconversion', '-Wpedantic', '-Werror'];

export interface CModelCase {
  graph: Graph;
  target: KernelTarget;
  /** Inputs to run, each a typed array of the model input's dtype. */
  inputs: TensorData[];
}

export interface CModelRun {
  model: CModel;
  /** Raw output bytes per input. */
  outputs: Uint8Array[];
  /** Instructions over all runs (M4 only; 0 on the host). */
  instructions: number;
  /** Instructions of each step in the last run (M4 with profile only). */
  stepInstructions: number[];
}

export interface BuildOptions {
  where: 'host' | 'm4';
  /** Extra flags, e.g. ['-Os']. */
  cflags?: string[];
  /** Define the per-step hook (costs a call per step). */
  profile?: boolean;
}

const TYPES = { int8: 'int8_t', float32: 'float' } as const;

function bytesOf(t: TensorData): Uint8Array {
  return new Uint8Array(t.buffer, t.byteOffset, t.byteLength);
}

/** Models per translation unit: one TU per core keeps both busy without paying gcc's start-up per model. */
const CHUNKS = 2;

/**
 * Writes every model (named m<i>, so their symbols differ) and the entry
 * table; models are grouped into a few translation units that include their
 * sources. Returns those units.
 */
function writeSources(dir: string, cases: CModelCase[]): { sources: string[]; models: CModel[] } {
  const models: CModel[] = [];
  const entries: string[] = [];
  const decls: string[] = [];
  const units: string[][] = Array.from({ length: Math.min(CHUNKS, cases.length) }, () => ['#include "model_harness.h"']);
  cases.forEach((c, i) => {
    const name = `m${i}`;
    const model = generateCModel(c.graph, { target: c.target, name, banner: { version: 'test', command: `test model ${i}` } });
    models.push(model);
    for (const [file, text] of Object.entries(model.files)) writeFileSync(path.join(dir, file), text);
    const inT = c.graph.tensors[c.graph.inputs[0]!]!;
    const outT = c.graph.tensors[c.graph.outputs[0]!]!;
    const inType = TYPES[inT.dtype as 'int8' | 'float32'];
    const outType = TYPES[outT.dtype as 'int8' | 'float32'];
    units[i % units.length]!.push(
      `#include "${name}.c"`,
      `void tpm_${i}_run(const void *in, void *out);`,
      `void tpm_${i}_run(const void *in, void *out) { ${name}_invoke((const ${inType} *)in, (${outType} *)out); }`,
    );
    const size = (t: typeof inT) => t.shape.reduce((a, b) => a * b, 1) * (t.dtype === 'float32' ? 4 : 1);
    decls.push(`void tpm_${i}_run(const void *in, void *out);`);
    entries.push(`  {tpm_${i}_run, ${size(inT)}u, ${size(outT)}u, ${model.steps.length}u},`);
  });
  // No models: the harness alone (a placeholder entry, as C has no empty arrays), for size comparisons.
  if (entries.length === 0) entries.push('  {0, 0u, 0u, 0u},');
  writeFileSync(
    path.join(dir, 'model_entries.h'),
    [
      '#include "model_harness.h"',
      ...decls,
      `#define TP_MODEL_ENTRY_COUNT ${cases.length}u`,
      'static const tp_model_entry tp_model_entries[] = {',
      ...entries,
      '};',
      '',
    ].join('\n'),
  );
  const sources = units.map((lines, k) => {
    const file = path.join(dir, `unit_${k}.c`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    return file;
  });
  return { sources, models };
}

const M4_TARGET = ['-mcpu=cortex-m4', '-mthumb', '-mfpu=fpv4-sp-d16', '-mfloat-abi=hard'];

/** One compiler process per unit, in parallel. */
async function compileObjects(
  sources: string[],
  includeDirs: string[],
  flags: string[],
  where: 'host' | 'm4',
  dir: string,
): Promise<string[]> {
  const tool = where === 'host' ? 'gcc' : 'arm-none-eabi-gcc';
  const base = where === 'host' ? ['-O2'] : [...M4_TARGET, '-O2'];
  const objects = sources.map((s) => s.replace(/\.c$/, '.o'));
  await Promise.all(
    sources.map((s, i) =>
      runTool(tool, [...base, ...flags, ...includeDirs.map((d) => `-I${d}`), '-c', s, '-o', objects[i]!], dir, 900_000),
    ),
  );
  return objects;
}

export interface BuiltModels {
  dir: string;
  exe: string;
  models: CModel[];
  run(cases: CModelCase[]): Promise<CModelRun[]>;
}

/** Compiles every case's model into one binary. */
export async function buildCModels(cases: CModelCase[], opts: BuildOptions): Promise<BuiltModels> {
  const dir = mkdtempSync(path.join(tmpdir(), `tp-cmodel-${opts.where}-`));
  const { sources, models } = writeSources(dir, cases);
  const harness = path.join(REPO_ROOT, 'firmware/harness');
  const exe = path.join(dir, opts.where === 'host' ? 'models' : 'models.elf');
  const includeDirs = [dir, path.join(REPO_ROOT, 'firmware'), harness];
  const flags = [
    ...STRICT_CFLAGS,
    ...(opts.cflags ?? []),
    ...(opts.profile ? ['-DTINYPDM_MODEL_STEP_DONE(step)=tp_model_step_done(step)'] : []),
  ];
  // The generated models under the strict flags, to objects; then linked with the harness (built with the defaults).
  const objects = await compileObjects(sources, includeDirs, flags, opts.where, dir);
  const job = {
    sources: [
      ...objects,
      path.join(harness, 'model_harness.c'),
      path.join(harness, opts.where === 'host' ? 'model_host_main.c' : 'model_m4_main.c'),
    ],
    includeDirs,
    output: exe,
    cflags: opts.cflags ?? [],
  };
  if (opts.where === 'host') await compileHost(job);
  else await compileM4(job);
  let runs = 0;
  return {
    dir,
    exe,
    models,
    async run(runCases) {
      const runDir = mkdtempSync(path.join(dir, `run${runs++}-`));
      runCases.forEach((c, i) => {
        const parts = c.inputs.map(bytesOf);
        const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
        let at = 0;
        for (const p of parts) {
          all.set(p, at);
          at += p.length;
        }
        writeFileSync(path.join(runDir, `model_in_${i}.bin`), all);
      });
      const stdout = opts.where === 'host' ? (await runTool(exe, [], runDir, 300_000)).stdout : await runQemu(exe, runDir, 600_000);
      const lines = new Map(
        [...stdout.matchAll(/^model=(\d+) runs=(\d+) instructions=(\d+) steps=(\d+) step_instructions=([\d,]*)$/gm)].map((m) => [
          Number(m[1]),
          m,
        ]),
      );
      const result = runCases.map((c, i) => {
        const m = lines.get(i);
        if (!m) throw new Error(`model ${i} printed no result: ${stdout.slice(0, 2000)}`);
        const out = readFileSync(path.join(runDir, `model_out_${i}.bin`));
        const per = out.length / Math.max(1, c.inputs.length);
        return {
          model: models[i]!,
          outputs: c.inputs.map((_, k) => new Uint8Array(out.subarray(k * per, (k + 1) * per))),
          instructions: Number(m[3]),
          stepInstructions: m[5] ? m[5].split(',').filter(Boolean).map(Number) : [],
        };
      });
      rmSync(runDir, { recursive: true, force: true });
      return result;
    },
  };
}
