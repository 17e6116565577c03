import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { fail, readInputText, undefinedIfMissing } from '../util/index.js';
import { compileArgs, libListArgs, uploadArgs } from './commands.js';
import { diagnoseCompileFailure, parseCompileJson, type SectionUse } from './compile-output.js';
import { INSTALL_TFLM_LIBRARY, type CommandRunner } from './cli-runner.js';

const ARDUINO_CLI = process.env.ARDUINO_CLI ?? 'arduino-cli';
const TFLM_LIBRARY = 'Arduino_TensorFlowLite';

/** The sketch's FQBN from its sketch.yaml, so build and upload target what emit chose. */
export async function sketchFqbn(sketchDir: string, fallback: string): Promise<string> {
  const file = path.join(sketchDir, 'sketch.yaml');
  // No sketch.yaml: the fallback; one that cannot be read (a FIFO, a device) is an error naming it.
  const text = await readInputText(file, { what: 'the sketch.yaml', fix: 'pass a sketch folder written by tinypdm emit --board' })
    .catch(undefinedIfMissing);
  if (text === undefined) return fallback;
  try {
    const yaml = parseYaml(text) as { default_fqbn?: unknown };
    return typeof yaml?.default_fqbn === 'string' ? yaml.default_fqbn : fallback;
  } catch {
    return fallback;
  }
}

/** Names of installed libraries from `lib list --format json`, old (array) or new ({installed_libraries}) shape. */
export function parseLibList(text: string): string[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return [];
  }
  const entries = Array.isArray(json) ? json : ((json as { installed_libraries?: unknown[] })?.installed_libraries ?? []);
  return entries.map((e) => (e as { library?: { name?: string } })?.library?.name).filter((n): n is string => typeof n === 'string');
}

export async function checkTflmLibrary(runner: CommandRunner): Promise<void> {
  const r = await runner.run(ARDUINO_CLI, libListArgs());
  if (r.exitCode === 0 && !parseLibList(r.stdout).includes(TFLM_LIBRARY)) {
    fail('TOOL_MISSING', `arduino-cli has no ${TFLM_LIBRARY} library; ${INSTALL_TFLM_LIBRARY}`);
  }
}

/** A sketch emitted with --runtime tflm carries its op resolver header; a C-runtime sketch needs no library beyond the core. */
export async function sketchNeedsTflm(sketchDir: string): Promise<boolean> {
  return access(path.join(sketchDir, 'tinypdm_ops.h')).then(() => true, () => false);
}

export async function buildSketch(sketchDir: string, runner: CommandRunner, fqbn: string): Promise<SectionUse & { outputDir: string }> {
  if (await sketchNeedsTflm(sketchDir)) await checkTflmLibrary(runner);
  const outputDir = await mkdtemp(path.join(tmpdir(), 'tinypdm-build-'));
  const r = await runner.run(ARDUINO_CLI, compileArgs(sketchDir, fqbn, outputDir));
  if (r.exitCode !== 0) {
    await rm(outputDir, { recursive: true, force: true });
    let detail = diagnoseCompileFailure(`${r.stderr}\n${r.stdout}`);
    if (detail.includes('TFLM library')) detail += `; ${INSTALL_TFLM_LIBRARY}`;
    fail('TOOL_FAILED', `arduino-cli compile ${sketchDir} failed: ${detail}`);
  }
  return { ...parseCompileJson(r.stdout), outputDir };
}

export async function uploadSketch(sketchDir: string, runner: CommandRunner, fqbn: string, port: string): Promise<void> {
  const r = await runner.run(ARDUINO_CLI, uploadArgs(sketchDir, fqbn, port));
  if (r.exitCode !== 0) {
    const line = (r.stderr || r.stdout).split('\n').find((l) => l.trim()) ?? 'unknown error';
    fail('TOOL_FAILED', `arduino-cli upload to ${port} failed: ${line.trim()}; check the port with \`arduino-cli board list\` and double-tap reset to enter the bootloader`);
  }
}
