import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_COMMAND, EXAMPLE_RUN, EXAMPLE_SKETCH_NAME, EXAMPLE_OUT } from '../../scripts/update-example.js';
import { writeKerasFixtures } from '../fixtures/keras/write.js';

/**
 * The npm package as a user gets it (issue 14): `npm pack`, install the tarball into an empty folder, then use
 * the installed CLI and library there, where only the tarball's files and the production dependencies exist.
 *
 * Offline by design: the consumer's lockfile is derived from ours (the production entries, plus the tarball), and
 * `npm ci --offline` installs it from the npm cache that `npm ci` of this repository filled. A plain
 * `npm install <tarball>` would have to fetch every dependency's registry metadata, which the cache does not hold.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const PKG = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  license: string;
  dependencies: Record<string, string>;
  bin: Record<string, string>;
  engines: Record<string, string>;
};

interface PackResult {
  filename: string;
  integrity: string;
  files: Array<{ path: string }>;
}

let work: string;
let consumer: string;
let packed: PackResult;

/** The lockfile of a project whose only dependency is the tarball: our production packages, placed as in our tree. */
async function consumerLockfile(tarballSpec: string, integrity: string): Promise<object> {
  const lock = JSON.parse(await readFile(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  const packages: Record<string, object> = {
    '': { name: 'consumer', dependencies: { [PKG.name]: tarballSpec } },
    [`node_modules/${PKG.name}`]: {
      version: PKG.version,
      resolved: tarballSpec,
      integrity,
      license: PKG.license,
      dependencies: PKG.dependencies,
      bin: PKG.bin,
      engines: PKG.engines,
    },
  };
  for (const [where, entry] of Object.entries(lock.packages)) if (where !== '' && !entry.dev) packages[where] = entry;
  return { name: 'consumer', lockfileVersion: 3, requires: true, packages };
}

/** Every file under `dir` as a relative path → bytes. */
async function tree(dir: string, prefix = ''): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) for (const [k, v] of await tree(p, `${prefix}${e.name}/`)) out.set(k, v);
    else out.set(`${prefix}${e.name}`, await readFile(p));
  }
  return out;
}

/** Relative paths of the files under `dir` (relative to ROOT). */
async function repoFiles(dir: string): Promise<string[]> {
  return [...(await tree(path.join(ROOT, dir))).keys()].map((f) => `${dir}/${f}`);
}

/** The installed CLI, run the way a user runs it in their project (`--no`: never download; `--`: the rest is tinypdm's). */
function npx(args: string[]) {
  return execa('npx', ['--no', '--', 'tinypdm', ...args], { cwd: consumer, reject: false, stdin: 'ignore' });
}

/** Runs an ES module in the consumer folder, where `import('tinypdm')` resolves to the installed package. */
async function runInConsumer(source: string): Promise<string> {
  const file = path.join(consumer, `script-${Math.random().toString(36).slice(2)}.mjs`);
  await writeFile(file, source);
  const r = await execa(process.execPath, [file], { cwd: consumer, reject: false });
  expect(r.stderr).toBe('');
  expect(r.exitCode).toBe(0);
  return String(r.stdout);
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'tinypdm-tarball-'));
  const t0 = performance.now();
  // npm pack runs the prepare script (the incremental build; a no-op after the test setup built dist/).
  const pack = await execa('npm', ['pack', '--json', '--pack-destination', work], { cwd: ROOT });
  const stdout = String(pack.stdout);
  packed = (JSON.parse(stdout.slice(stdout.indexOf('['))) as PackResult[])[0]!;
  const t1 = performance.now();

  consumer = path.join(work, 'consumer');
  await mkdir(consumer);
  const spec = `file:../${packed.filename}`;
  const manifest = { name: 'consumer', private: true, type: 'module', dependencies: { [PKG.name]: spec } };
  await writeFile(path.join(consumer, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await writeFile(path.join(consumer, 'package-lock.json'), `${JSON.stringify(await consumerLockfile(spec, packed.integrity), null, 2)}\n`);
  const install = await execa('npm', ['ci', '--offline', '--no-audit', '--no-fund'], { cwd: consumer, reject: false });
  if (install.exitCode !== 0) {
    const hint = 'run npm ci in the repository first to fill the npm cache';
    throw new Error(`npm ci --offline of the tarball failed (exit ${install.exitCode}); ${hint}:\n${install.stderr}`);
  }
  // Printed, not asserted: how long packaging takes is measured here, never a pass/fail condition.
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log(`tarball ${packed.filename}: npm pack ${seconds(t1 - t0)}, npm ci --offline ${seconds(performance.now() - t1)}`);
}, 600_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the npm package, installed from its tarball', () => {
  it('holds the compiled code, templates, portable C, README, LICENSE and CHANGELOG, and nothing of the repository', async () => {
    const files = packed.files.map((f) => f.path).sort();
    const needed = [
      'package.json',
      'README.md',
      'LICENSE',
      'CHANGELOG.md',
      'bin/tinypdm.js',
      'dist/cli/main.js',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/experiments/sweep/worker.js',
      'dist/compiler/1-load/loaders/hdf5-worker.mjs',
      ...(await repoFiles('templates')),
      ...(await repoFiles('firmware/core')),
      ...(await repoFiles('firmware/frontend')),
      // The C runtime's kernels: emit copies the ones a compiled model includes into the sketch.
      ...(await repoFiles('firmware/kernels')),
    ];
    expect(needed.filter((f) => !files.includes(f))).toEqual([]);
    const outside = files.filter((f) => !/^(dist|templates|firmware\/(core|frontend|kernels))\//.test(f) && !needed.includes(f));
    expect(outside).toEqual([]);
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(files).not.toContain('dist/.tsbuildinfo');
    // Every compiled module has its source: nothing stale from a moved or deleted file ships.
    const compiled = files.filter((f) => f.startsWith('dist/') && /\.(js|d\.ts)$/.test(f));
    const stale = compiled.filter((f) => !existsSync(path.join(ROOT, 'src', f.slice('dist/'.length).replace(/(\.d\.ts|\.js)$/, '.ts'))));
    expect(stale).toEqual([]);
  });

  it('installs without tsx or any other development dependency', () => {
    expect(existsSync(path.join(consumer, 'node_modules', PKG.name, 'dist', 'cli', 'main.js'))).toBe(true);
    for (const dev of ['tsx', 'typescript', 'vitest', 'fast-check']) {
      expect(existsSync(path.join(consumer, 'node_modules', dev)), dev).toBe(false);
    }
  });

  it('npx tinypdm --help and --version work', async () => {
    const help = await npx(['--help']);
    expect(help.stderr).toBe('');
    expect(help.exitCode).toBe(0);
    expect(String(help.stdout)).toMatch(/^tinypdm <command> \[options\]/);
    for (const command of ['synth', 'train', 'eval', 'sweep', 'emit', 'verify', 'build']) {
      expect(String(help.stdout)).toContain(`tinypdm ${command}`);
    }
    const version = await npx(['--version']);
    expect(String(version.stdout).trim()).toBe(PKG.version);
  });

  it('npx tinypdm emit --board nano33ble writes the committed example sketch (templates and firmware found in the package)', async () => {
    const out = path.join(consumer, 'build');
    const model = path.join(EXAMPLE_RUN, 'model.json');
    const r = await npx(['emit', model, '--board', 'nano33ble', '--sketch-name', EXAMPLE_SKETCH_NAME, '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const committed = await tree(path.join(EXAMPLE_OUT, EXAMPLE_SKETCH_NAME));
    const written = await tree(path.join(out, EXAMPLE_SKETCH_NAME));
    expect([...written.keys()].sort()).toEqual([...committed.keys()].sort());
    // The CLI stamps its own flags into the banners (`--io int8`); the committed example stamps EXAMPLE_COMMAND.
    const cliCommand = 'tinypdm emit model.json --io int8 --board nano33ble --sketch-name tinypdm_example';
    const asCommitted = (v: Buffer) => v.toString('latin1').replaceAll(cliCommand, EXAMPLE_COMMAND);
    const differing = [...written].filter(([k, v]) => asCommitted(v) !== committed.get(k)!.toString('latin1'));
    expect(differing.map(([k]) => k)).toEqual([]);
  });

  it("npx tinypdm emit reads a Keras .h5 (the HDF5 worker ships in dist/) into the committed example's compiled model", async () => {
    const keras = path.join(work, 'keras');
    await mkdir(keras);
    const { 'model.h5': h5 } = await writeKerasFixtures(EXAMPLE_RUN, keras, { 'model.h5': { format: 'h5' } });
    const out = path.join(consumer, 'build-h5');
    const runConfig = path.join(EXAMPLE_RUN, 'tinypdm.json');
    const r = await npx(['emit', h5!, '--board', 'nano33ble', '--run-config', runConfig, '--sketch-name', EXAMPLE_SKETCH_NAME, '-o', out]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(String(r.stdout)).toMatch(/^read keras-h5/);
    // The compiled model holds the weights as C arrays: the same weights give the same C from either format.
    const cliCommand = `tinypdm emit model.h5 --io int8 --board nano33ble --sketch-name ${EXAMPLE_SKETCH_NAME} --run-config tinypdm.json`;
    for (const file of ['src/tinypdm/tinypdm_model.c', 'src/tinypdm/tinypdm_model.h']) {
      const written = await readFile(path.join(out, EXAMPLE_SKETCH_NAME, file), 'latin1');
      const asCommitted = written.replaceAll(cliCommand, EXAMPLE_COMMAND);
      expect(asCommitted === (await readFile(path.join(EXAMPLE_OUT, EXAMPLE_SKETCH_NAME, file), 'latin1')), file).toBe(true);
    }
  });

  it("import('tinypdm') gives the library API; its emit writes the committed example byte for byte", async () => {
    const out = path.join(work, 'lib-out');
    const result = JSON.parse(
      await runInConsumer(`
        import * as tinypdm from 'tinypdm';
        const api = Object.keys(tinypdm).sort();
        const loaded = await tinypdm.loadAnyModel(${JSON.stringify(path.join(EXAMPLE_RUN, 'model.json'))});
        const missing = await tinypdm.loadAnyModel(${JSON.stringify(path.join(work, 'nope.json'))}).catch((e) => e);
        const emitted = await tinypdm.emit({ model: ${JSON.stringify(path.join(EXAMPLE_RUN, 'model.json'))},
          out: ${JSON.stringify(out)}, io: 'int8',
          command: ${JSON.stringify(EXAMPLE_COMMAND)}, board: 'nano33ble', sketchName: ${JSON.stringify(EXAMPLE_SKETCH_NAME)} });
        console.log(JSON.stringify({ api, version: tinypdm.VERSION, format: loaded.format, layers: loaded.layerCount,
          missing: { isTinyPdmError: missing instanceof tinypdm.TinyPdmError, code: missing.code }, files: emitted.files.length }));
      `),
    );
    for (const name of ['emit', 'train', 'evaluate', 'verifyModel', 'synthesizeDataset', 'loadAnyModel', 'TinyPdmError', 'isUserError']) {
      expect(result.api).toContain(name);
    }
    expect(result.version).toBe(PKG.version);
    expect(result).toMatchObject({ format: 'tfjs-layers', layers: 9, missing: { isTinyPdmError: true, code: 'FILE_NOT_FOUND' } });
    const committed = await tree(path.join(EXAMPLE_OUT, EXAMPLE_SKETCH_NAME));
    const written = await tree(path.join(out, EXAMPLE_SKETCH_NAME));
    expect([...written.keys()].sort()).toEqual([...committed.keys()].sort());
    expect([...written].filter(([k, v]) => !v.equals(committed.get(k)!)).map(([k]) => k)).toEqual([]);
  });

  it('the library API is typed: a consumer type-checks against the installed .d.ts files, and a wrong option is an error', async () => {
    await writeFile(
      path.join(consumer, 'check.ts'),
      [
        "import { emit, isUserError, type EmitOptions, type ErrorCode, type EmitResult } from 'tinypdm';",
        "const options: EmitOptions = { model: 'run/model.json', out: 'build', io: 'int8', command: 'tinypdm emit model.json' };",
        'export async function run(): Promise<ErrorCode | number> {',
        '  try {',
        '    const result: EmitResult = await emit(options);',
        '    return result.files.length;',
        '  } catch (e) {',
        '    if (isUserError(e)) return e.code;',
        '    throw e;',
        '  }',
        '}',
        "// @ts-expect-error io is 'int8' or 'float'",
        "export const wrong: EmitOptions = { ...options, io: 'int16' };",
        '',
      ].join('\n'),
    );
    // Without skipLibCheck, so our .d.ts files are checked too (a type from a dev dependency would fail here).
    // TF.js's own declarations do not pass a strict library check; their errors are not ours and are left out.
    const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const flags = ['--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext'];
    flags.push('--skipLibCheck', 'false');
    const types = ['--types', 'node', '--typeRoots', path.join(ROOT, 'node_modules', '@types')];
    const r = await execa(process.execPath, [tsc, ...flags, ...types, 'check.ts'], { cwd: consumer, reject: false });
    const errors = String(r.stdout)
      .split('\n')
      .filter((line) => /error TS\d+/.test(line));
    const ours = errors.filter((line) => !line.startsWith('node_modules/') || line.startsWith(`node_modules/${PKG.name}/`));
    expect(ours).toEqual([]);
    expect(String(r.stderr)).toBe('');
  });
});
