/**
 * Compile and run C on the host (gcc) and on an emulated Cortex-M4 (arm-none-eabi-gcc +
 * qemu-system-arm mps2-an386). Reusable by any test; the second half builds the
 * front-end harness (firmware/harness) for a set of generated table headers.
 */
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { fail } from '../../src/util/errors.js';
import { renderFrontEndHeader } from '../../src/compiler/6-emit/frontend-header.js';
import type { FrontEndTables } from '../../src/audio/fixed/tables.js';

export const REPO_ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const HOST_CFLAGS = ['-std=c99', '-Wall', '-Wextra', '-Werror', '-O2'];
export const M4_CFLAGS = [
  '-mcpu=cortex-m4',
  '-mthumb',
  '-mfpu=fpv4-sp-d16',
  '-mfloat-abi=hard',
  '-std=c99',
  '-Wall',
  '-Wextra',
  '-Werror',
  '-O2',
];
export const QEMU_ARGS = ['-M', 'mps2-an386', '-nographic', '-semihosting-config', 'enable=on,target=native', '-icount', 'shift=0'];

export interface CompileJob {
  sources: string[];
  includeDirs: string[];
  output: string;
  defines?: string[];
  /** Extra compiler flags, after the defaults (a later -O wins). */
  cflags?: string[];
}

export async function runTool(tool: string, args: string[], cwd?: string, timeout = 120_000) {
  try {
    return await execa(tool, args, { timeout, reject: true, ...(cwd ? { cwd } : {}) });
  } catch (e) {
    const err = e as { code?: string; stderr?: string; stdout?: string; shortMessage?: string };
    if (err.code === 'ENOENT') fail('TOOL_MISSING', `${tool} is not installed; install it (scripts/test.sh lists the Debian packages)`, e);
    fail(
      'TOOL_FAILED',
      `${tool} failed: ${err.shortMessage ?? ''} ${(err.stderr ?? '').slice(0, 4000)} ${(err.stdout ?? '').slice(0, 2000)}`,
      e,
    );
  }
}

export async function compileHost(job: CompileJob): Promise<string> {
  await runTool('gcc', [
    ...HOST_CFLAGS,
    ...(job.cflags ?? []),
    ...job.includeDirs.map((d) => `-I${d}`),
    ...(job.defines ?? []).map((d) => `-D${d}`),
    ...job.sources,
    '-o',
    job.output,
  ]);
  return job.output;
}

/** A bare-metal ELF with our vector table, reset handler and linker script; stdio over semihosting (rdimon). */
export async function compileM4(job: CompileJob): Promise<string> {
  const harness = path.join(REPO_ROOT, 'firmware/harness');
  await runTool('arm-none-eabi-gcc', [
    ...M4_CFLAGS,
    ...(job.cflags ?? []),
    ...job.includeDirs.map((d) => `-I${d}`),
    ...(job.defines ?? []).map((d) => `-D${d}`),
    '--specs=rdimon.specs',
    '-nostartfiles',
    `-T${path.join(harness, 'mps2_an386.ld')}`,
    path.join(harness, 'startup_m4.c'),
    ...job.sources,
    '-o',
    job.output,
  ]);
  return job.output;
}

/** Runs an ELF under QEMU in `cwd` (semihosting file paths resolve there); returns its stdout. */
export async function runQemu(elf: string, cwd: string, timeout = 120_000): Promise<string> {
  const r = await runTool('qemu-system-arm', [...QEMU_ARGS, '-kernel', elf], cwd, timeout);
  return r.stdout;
}

// ---------------------------------------------------------------------------
// Front-end harness

export interface HarnessConfig {
  name: string;
  tables: FrontEndTables;
}

export interface HarnessResult {
  columns: Int16Array[];
  windows: Int8Array[];
  /** Columns and windows the C produced (also in bench mode, where the arrays stay empty). */
  columnsProduced: number;
  windowsProduced: number;
  stateBytes: number;
  configBytes: number;
  instructions: number;
}

export interface FrontEndHarness {
  /** Streams `samples` (PDM rate) through config `index`; flush ends the clip; bench skips outputs and times tp_fe_push. */
  run(index: number, samples: Int16Array, opts?: { flush?: boolean; bench?: boolean }): Promise<HarnessResult>;
}

function writeHarnessSources(dir: string, configs: HarnessConfig[]): void {
  const includes: string[] = [];
  const thunks: string[] = [];
  const entries: string[] = [];
  const members: string[] = [];
  for (const { name, tables } of configs) {
    writeFileSync(path.join(dir, `${name}_tables.h`), renderFrontEndHeader(tables, name));
    includes.push(`#include "${name}_tables.h"`);
    thunks.push(`static void ${name}_harness_init(void *p) { ${name}_init((${name}_state_t *)p); }`);
    entries.push(`  { &${name}_config, ${name}_harness_init, (uint32_t)sizeof(${name}_state_t) },`);
    members.push(`  ${name}_state_t ${name};`);
  }
  writeFileSync(
    path.join(dir, 'harness_configs.h'),
    [
      '#include "harness.h"',
      ...includes,
      ...thunks,
      `#define TP_HARNESS_CONFIG_COUNT ${configs.length}u`,
      'static const tp_harness_entry tp_harness_configs[] = {',
      ...entries,
      '};',
      'static union {',
      ...members,
      '} tp_harness_storage;',
      '',
    ].join('\n'),
  );
}

function frontEndSources(): string[] {
  const fe = path.join(REPO_ROOT, 'firmware/frontend');
  return ['tp_frontend.c', 'tp_resample.c', 'tp_spectrum.c', 'tp_mel_db.c', 'tp_window.c']
    .map((f) => path.join(fe, f))
    .concat(path.join(REPO_ROOT, 'firmware/harness/harness.c'));
}

function inputFile(index: number, flags: number, samples: Int16Array): Buffer {
  const b = Buffer.alloc(12 + 2 * samples.length);
  b.writeInt32LE(index, 0);
  b.writeInt32LE(flags, 4);
  b.writeInt32LE(samples.length, 8);
  for (let i = 0; i < samples.length; i++) b.writeInt16LE(samples[i]!, 12 + 2 * i);
  return b;
}

function parseOutputs(dir: string, summary: string, cfg: FrontEndTables, bench: boolean): HarnessResult {
  const m = /columns=(\d+) windows=(\d+) state_bytes=(\d+) config_bytes=(\d+) instructions=(\d+) failed=(\d+)/.exec(summary);
  if (!m) fail('RUN_MISMATCH', `front-end harness printed no summary: ${summary.slice(0, 500)}`);
  const [, nCols, nWins, stateBytes, configBytes, instructions, failed] = m.map<number>(Number);
  if (failed) fail('RUN_MISMATCH', 'front-end harness could not write its outputs');
  const nMels = cfg.spec.nMels;
  const winBytes = nMels * cfg.spec.windowFrames;
  const columns: Int16Array[] = [];
  const windows: Int8Array[] = [];
  if (!bench) {
    const cb = readFileSync(path.join(dir, 'fe_cols.bin'));
    const wb = readFileSync(path.join(dir, 'fe_wins.bin'));
    for (let c = 0; c < nCols!; c++) {
      const col = new Int16Array(nMels);
      for (let i = 0; i < nMels; i++) col[i] = cb.readInt16LE(2 * (c * nMels + i));
      columns.push(col);
    }
    for (let w = 0; w < nWins!; w++)
      windows.push(new Int8Array(wb.buffer.slice(wb.byteOffset + w * winBytes, wb.byteOffset + (w + 1) * winBytes)));
  }
  return {
    columns,
    windows,
    columnsProduced: nCols!,
    windowsProduced: nWins!,
    stateBytes: stateBytes!,
    configBytes: configBytes!,
    instructions: instructions!,
  };
}

/** Builds one binary holding every config (the tables of several configurations coexist). */
export async function buildFrontEndHarness(configs: HarnessConfig[], target: 'host' | 'm4'): Promise<FrontEndHarness> {
  const dir = mkdtempSync(path.join(tmpdir(), `tp-fe-${target}-`));
  writeHarnessSources(dir, configs);
  const includeDirs = [dir, path.join(REPO_ROOT, 'firmware/frontend'), path.join(REPO_ROOT, 'firmware/harness')];
  const main = path.join(REPO_ROOT, 'firmware/harness', target === 'host' ? 'host_main.c' : 'm4_main.c');
  const exe = path.join(dir, target === 'host' ? 'host_main' : 'app.elf');
  const job = { sources: [main, ...frontEndSources()], includeDirs, output: exe };
  if (target === 'host') await compileHost(job);
  else await compileM4(job);
  let runs = 0;
  return {
    async run(index, samples, opts = {}) {
      const runDir = mkdtempSync(path.join(dir, `run${runs++}-`));
      const flags = (opts.flush ? 1 : 0) | (opts.bench ? 2 : 0);
      writeFileSync(path.join(runDir, 'fe_in.bin'), inputFile(index, flags, samples));
      let stdout: string;
      if (target === 'host') {
        stdout = (await runTool(exe, ['fe_in.bin', 'fe_cols.bin', 'fe_wins.bin'], runDir)).stdout;
      } else {
        stdout = await runQemu(exe, runDir);
      }
      if (!opts.bench && !existsSync(path.join(runDir, 'fe_cols.bin')))
        fail('RUN_MISMATCH', `front-end harness wrote no outputs: ${stdout}`);
      return parseOutputs(runDir, stdout, configs[index]!.tables, !!opts.bench);
    },
  };
}
