import { createHash } from 'node:crypto';
import { chmod, cp, lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ciCommand } from '../../src/cli/commands/ci.js';
import { stampedCommand } from '../../src/cli/commands/emit.js';
import { DEFAULT_SKETCH_NAME } from '../../src/defaults.js';
import { isUserError, type ErrorCode } from '../../src/util/errors.js';
import { emit } from '../../src/compiler/index.js';
import { computeFeatures, synthesizeDataset } from '../../src/data/index.js';
import { SYNTH_DEMO_DEFAULTS } from '../../src/defaults.js';
import { evaluate } from '../../src/evaluate/index.js';
import { sweep } from '../../src/experiments/index.js';
import { train } from '../../src/learn/index.js';
import { encodeNpy } from '../../src/util/npy.js';
import { OUTPUT_MARKER, type OutputMarker } from '../../src/util/output/index.js';
import { runCli } from '../helpers/cli.js';

/**
 * The destination matrix of issue 13: every command that writes × every kind of
 * destination. Each case has its own folder ("box"); it snapshots the box and
 * the shared inputs (paths, SHA-256 of contents, modes, link targets) before
 * and after, and checks the outcome. Written: exit 0, nothing outside the
 * destination changed, the marker lists exactly the files there, the mode is
 * the umask's for a new folder and the old one's for a replaced one, and the
 * files are those of the command's reference output. Refused: exit 1 with the
 * expected code in one line naming --out, and nothing changed at all.
 *
 * A missing destination (whose output is the command's reference) and ""
 * run through the real CLI; the other cases call the library in-process.
 */
const UMASK = process.umask();
const SMALL_TRAIN = [
  '--rate',
  '3000',
  '--n-mels',
  '8',
  '--frames',
  '8',
  '--window-hop',
  '4',
  '--n-fft',
  '256',
  '--hop',
  '64',
  '--epochs',
  '1',
  '--batch-size',
  '16',
];
const FEATURES = ['--rate', '3000', '--n-fft', '256', '--hop', '64', '--n-mels', '8'];

let work: string;
let inputs: string;
let data: string;
let runDir: string;
let cache: string;

interface Command {
  name: string;
  kind: 'folder' | 'file';
  /** The destination's base name. */
  out: string;
  cli: (out: string) => string[];
  lib: (out: string) => Promise<unknown>;
  /** One input file, the folder holding it, and a folder above that (undefined: the command reads nothing). */
  input?: () => { file: string; folder: string; ancestor: string };
  /**
   * The input file is one the command names itself (refused as an input), not a clip inside its --data folder
   * (refused as a file where the output folder belongs).
   */
  namesFile?: boolean;
  /** The in-process call writes the same bytes as the CLI (false where a float backend or timings enter). */
  sameBytes: boolean;
  /** Another command whose output this one must not replace. */
  other: string;
}

const commands: Command[] = [
  {
    name: 'synth',
    kind: 'folder',
    out: 'out',
    sameBytes: true,
    other: 'emit',
    cli: (out) => ['synth', '--out', out, '--normal', '4', '--anomalies-per-type', '1', '--duration', '1'],
    lib: (out) =>
      synthesizeDataset({
        outDir: out,
        seed: SYNTH_DEMO_DEFAULTS.seed,
        normal: 4,
        anomaliesPerType: 1,
        durationSec: 1,
        difficulty: SYNTH_DEMO_DEFAULTS.difficulty,
      }),
  },
  {
    name: 'train',
    kind: 'folder',
    out: 'out',
    sameBytes: false,
    other: 'synth',
    cli: (out) => ['train', '--data', data, '--out', out, '--cache', cache, ...SMALL_TRAIN],
    lib: (out) =>
      train({ data, out, cacheDir: cache, rate: 3000, nMels: 8, frames: 8, windowHop: 4, nFft: 256, hop: 64, epochs: 1, batchSize: 16 }),
    input: () => ({ file: path.join(data, 'normal', 'normal_0000.wav'), folder: data, ancestor: inputs }),
  },
  {
    name: 'eval',
    kind: 'folder',
    out: 'out',
    sameBytes: false,
    other: 'emit',
    namesFile: true,
    cli: (out) => ['eval', '--run', runDir, '--data', data, '--out', out, '--cache', cache],
    lib: (out) => evaluate({ run: runDir, data, out, cacheDir: cache }),
    input: () => ({ file: path.join(runDir, 'model.json'), folder: runDir, ancestor: inputs }),
  },
  {
    name: 'emit',
    kind: 'folder',
    out: 'out',
    sameBytes: true,
    other: 'synth',
    namesFile: true,
    cli: (out) => ['emit', path.join(runDir, 'model.json'), '--out', out],
    lib: (out) =>
      emit({
        model: path.join(runDir, 'model.json'),
        out,
        io: 'int8',
        force: false,
        command: stampedCommand('emit', [path.join(runDir, 'model.json')], { io: 'int8' }),
      }),
    input: () => ({ file: path.join(runDir, 'calib.npy'), folder: runDir, ancestor: inputs }),
  },
  {
    name: 'sweep',
    kind: 'folder',
    out: 'out',
    sameBytes: false,
    other: 'emit',
    cli: (out) => [
      'sweep',
      '--data',
      data,
      '--rates',
      '375',
      '--rounds',
      '1',
      '--epochs',
      '1',
      '--jobs',
      '1',
      '--cache',
      cache,
      '--out',
      out,
    ],
    lib: (out) => sweep({ data, rates: [375], rounds: 1, epochs: 1, jobs: 1, cacheDir: cache, out }),
    input: () => ({ file: path.join(data, 'anomaly', 'belt-slip', 'belt-slip_0000.wav'), folder: data, ancestor: inputs }),
  },
  {
    name: 'features',
    kind: 'file',
    out: 'out.npy',
    sameBytes: true,
    other: 'ci',
    namesFile: true,
    cli: (out) => ['features', path.join(data, 'normal'), '--out', out, ...FEATURES],
    lib: (out) =>
      computeFeatures([path.join(data, 'normal')], {
        out,
        spec: {
          mode: 'float',
          sampleRate: 3000,
          pdmRate: 16000,
          nFft: 256,
          hop: 64,
          nMels: 8,
          fmin: 0,
          fmax: 1500,
          topDb: 80,
          windowFrames: 1,
          windowHop: 1,
        },
        scope: 'clip',
      }),
    input: () => ({ file: path.join(data, 'normal', 'normal_0001.wav'), folder: path.join(data, 'normal'), ancestor: inputs }),
  },
  {
    name: 'ci',
    kind: 'file',
    out: 'firmware.yml',
    sameBytes: true,
    other: 'features',
    cli: (out) => ['ci', '--out', out],
    lib: (out) =>
      ciCommand.handler({
        rates: '6000,3000',
        runs: 'runs',
        out,
        board: 'nano33ble',
        sketchName: DEFAULT_SKETCH_NAME,
      } as never) as Promise<void>,
  },
];

/** The reference output of each command: what the CLI wrote into a missing destination. */
const refs = new Map<string, string>();

type Expect = 'written' | ErrorCode;
interface Prepared {
  /** --out as passed (relative to the box for the CLI). */
  out: string;
  /** Where the output goes when written (a symlink's target). */
  target?: string;
  /** The mode the written output must have. */
  mode?: number;
  /** Run in this working folder (for "."). */
  cwd?: string;
}
interface Kind {
  name: string;
  via: 'cli' | 'lib';
  expect: (c: Command) => Expect | undefined;
  prepare: (c: Command, box: string) => Promise<Prepared>;
}

const forKind = (folder: Expect, file: Expect | undefined) => (c: Command) => (c.kind === 'folder' ? folder : file);
const NEW_FOLDER = 0o777 & ~UMASK;
const NEW_FILE = 0o666 & ~UMASK;
const withInputs = (e: Expect) => (c: Command) => (c.input ? e : undefined);

async function userFiles(dir: string): Promise<void> {
  await mkdir(path.join(dir, 'sub'), { recursive: true });
  await writeFile(path.join(dir, 'notes.txt'), 'my notes\n');
  await writeFile(path.join(dir, 'sub', 'data.csv'), 'a,b\n1,2\n');
}

/** An output of the command's kind that differs from its reference (so a replacement shows). */
async function ownOutput(c: Command, dest: string, mode: number): Promise<void> {
  const ref = refs.get(c.name)!;
  if (c.kind === 'folder') {
    await cp(ref, dest, { recursive: true });
    const marker = JSON.parse(await readFile(path.join(dest, OUTPUT_MARKER), 'utf8')) as OutputMarker;
    await rm(path.join(dest, marker.files[0]!.path)); // a file the user deleted: still tinypdm's folder
  } else if (c.name === 'features') await writeFile(dest, encodeNpy([2], Float32Array.from([1, 2])));
  else await writeFile(dest, (await readFile(ref, 'utf8')).replace('\nname: firmware\n', '\nname: older firmware\n'));
  await chmod(dest, mode);
}

const kinds: Kind[] = [
  {
    name: 'missing (parent missing too)',
    via: 'cli',
    expect: () => 'written',
    prepare: async (c, box) => ({
      out: path.join('new', c.out),
      target: path.join(box, 'new', c.out),
      mode: c.kind === 'folder' ? NEW_FOLDER : NEW_FILE,
    }),
  },
  {
    name: 'empty folder',
    via: 'lib',
    expect: forKind('written', 'OUTPUT_PATH'),
    prepare: async (c, box) => {
      await mkdir(path.join(box, c.out), { mode: 0o705 });
      await chmod(path.join(box, c.out), 0o705);
      return { out: path.join(box, c.out), target: path.join(box, c.out), mode: 0o705 };
    },
  },
  {
    name: "the command's own earlier output",
    via: 'lib',
    expect: () => 'written',
    prepare: async (c, box) => {
      await ownOutput(c, path.join(box, c.out), c.kind === 'folder' ? 0o750 : 0o640);
      return { out: path.join(box, c.out), target: path.join(box, c.out), mode: c.kind === 'folder' ? 0o750 : 0o640 };
    },
  },
  {
    name: 'its own output with a note the user added',
    via: 'lib',
    expect: forKind('OUTPUT_NOT_OURS', undefined),
    prepare: async (c, box) => {
      await cp(refs.get(c.name)!, path.join(box, c.out), { recursive: true });
      await writeFile(path.join(box, c.out, 'my-notes.md'), 'measured on the bench\n');
      return { out: path.join(box, c.out) };
    },
  },
  {
    name: 'its own output with a file the user edited',
    via: 'lib',
    expect: forKind('OUTPUT_NOT_OURS', undefined),
    prepare: async (c, box) => {
      const dest = path.join(box, c.out);
      await cp(refs.get(c.name)!, dest, { recursive: true });
      const marker = JSON.parse(await readFile(path.join(dest, OUTPUT_MARKER), 'utf8')) as OutputMarker;
      const edited = marker.files.at(-1)!.path;
      await writeFile(path.join(dest, edited), Buffer.concat([await readFile(path.join(dest, edited)), Buffer.from('\n')]));
      return { out: dest };
    },
  },
  {
    name: "another command's output",
    via: 'lib',
    expect: () => 'OUTPUT_NOT_OURS',
    prepare: async (c, box) => {
      await cp(refs.get(c.other)!, path.join(box, c.out), { recursive: true });
      return { out: path.join(box, c.out) };
    },
  },
  {
    name: 'a folder of user files',
    via: 'lib',
    expect: forKind('OUTPUT_NOT_OURS', 'OUTPUT_PATH'),
    prepare: async (c, box) => {
      await userFiles(path.join(box, c.out));
      return { out: path.join(box, c.out) };
    },
  },
  {
    name: '"." (a folder of user files)',
    via: 'lib',
    expect: () => 'OUTPUT_PATH',
    prepare: async (_c, box) => {
      await userFiles(box);
      return { out: '.', cwd: box };
    },
  },
  {
    name: '"" (in a folder of user files)',
    via: 'cli',
    expect: () => 'OUTPUT_PATH',
    prepare: async (_c, box) => {
      await userFiles(box);
      return { out: '' };
    },
  },
  {
    name: 'an input file',
    via: 'lib',
    expect: (c) => (c.input ? (c.namesFile ? 'OUTPUT_IS_INPUT' : 'OUTPUT_PATH') : undefined),
    prepare: async (c) => ({ out: c.input!().file }),
  },
  { name: "an input's folder", via: 'lib', expect: withInputs('OUTPUT_IS_INPUT'), prepare: async (c) => ({ out: c.input!().folder }) },
  {
    name: 'an ancestor of the inputs',
    via: 'lib',
    expect: withInputs('OUTPUT_IS_INPUT'),
    prepare: async (c) => ({ out: c.input!().ancestor }),
  },
  {
    name: 'a symlink (to an empty folder, or to its own output file): written through',
    via: 'lib',
    expect: () => 'written',
    prepare: async (c, box) => {
      const target = path.join(box, `target-${c.out}`);
      if (c.kind === 'folder') {
        await mkdir(target);
        await chmod(target, 0o711);
      } else await ownOutput(c, target, 0o604);
      await symlink(path.basename(target), path.join(box, c.out));
      return { out: path.join(box, c.out), target, mode: c.kind === 'folder' ? 0o711 : 0o604 };
    },
  },
  {
    name: 'a symlink to user files',
    via: 'lib',
    expect: () => 'OUTPUT_NOT_OURS',
    prepare: async (c, box) => {
      const target = path.join(box, 'mine');
      if (c.kind === 'folder') await userFiles(target);
      else await writeFile(target, 'my notes\n');
      await symlink('mine', path.join(box, c.out));
      return { out: path.join(box, c.out) };
    },
  },
  {
    name: 'a dangling symlink',
    via: 'lib',
    expect: () => 'OUTPUT_PATH',
    prepare: async (c, box) => {
      await symlink('nowhere', path.join(box, c.out));
      return { out: path.join(box, c.out) };
    },
  },
  {
    name: 'a file of the user',
    via: 'lib',
    expect: forKind('OUTPUT_PATH', 'OUTPUT_NOT_OURS'),
    prepare: async (c, box) => {
      await writeFile(path.join(box, c.out), 'my notes\n');
      return { out: path.join(box, c.out) };
    },
  },
  {
    name: 'a FIFO',
    via: 'lib',
    expect: () => 'OUTPUT_PATH',
    prepare: async (c, box) => {
      await execa('mkfifo', [path.join(box, c.out)]);
      return { out: path.join(box, c.out) };
    },
  },
  {
    name: 'a path under a file of the user',
    via: 'lib',
    expect: () => 'OUTPUT_PATH',
    prepare: async (c, box) => {
      await writeFile(path.join(box, 'notes.txt'), 'my notes\n');
      return { out: path.join(box, 'notes.txt', c.out) };
    },
  },
];

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'tinypdm-matrix-'));
  inputs = path.join(work, 'inputs');
  data = path.join(inputs, 'data');
  runDir = path.join(inputs, 'run');
  cache = path.join(work, 'cache');
  await synthesizeDataset({ outDir: data, seed: 7, normal: 5, anomaliesPerType: 1, durationSec: 2, difficulty: 0.3 });
  await train({
    data,
    out: runDir,
    cacheDir: cache,
    rate: 3000,
    nMels: 8,
    frames: 8,
    windowHop: 4,
    nFft: 256,
    hop: 64,
    epochs: 1,
    batchSize: 16,
  });
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Every entry under `root`: type, mode, content hash or link target. Keys are '/'-separated relative paths. */
async function snapshot(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (rel: string): Promise<void> => {
    const full = path.join(root, rel);
    const s = await lstat(full);
    const mode = (s.mode & 0o7777).toString(8);
    if (s.isSymbolicLink()) out.set(rel, `link -> ${await readlink(full)}`);
    else if (s.isFile())
      out.set(
        rel,
        `file ${mode} ${createHash('sha256')
          .update(await readFile(full))
          .digest('hex')}`,
      );
    else if (s.isDirectory()) {
      out.set(rel, `dir ${mode}`);
      for (const name of (await readdir(full)).sort()) await walk(rel ? `${rel}/${name}` : name);
    } else out.set(rel, 'other');
  };
  await walk('');
  return out;
}

interface Outcome {
  exit: number;
  code?: string;
  message: string;
}

/** The library call, with the CLI's exit codes. In-process cases run one at a time, so changing the working folder is safe. */
async function inProcess(call: () => Promise<unknown>, cwd?: string): Promise<Outcome> {
  const home = process.cwd();
  try {
    if (cwd) process.chdir(cwd);
    await call();
    return { exit: 0, message: '' };
  } catch (e) {
    return isUserError(e) ? { exit: 1, code: e.code, message: e.message } : { exit: 2, message: String((e as Error)?.stack ?? e) };
  } finally {
    process.chdir(home);
  }
}

async function viaCli(c: Command, out: string, cwd: string): Promise<Outcome> {
  const r = await runCli(c.cli(out), { cwd });
  const line = r.stderr.trim();
  return { exit: r.exitCode, message: line, ...(/\[([A-Z_]+)\]/.exec(line) ? { code: /\[([A-Z_]+)\]/.exec(line)![1]! } : {}) };
}

/** Files of an output (a folder's, relative; a file's own), with their hashes. */
async function filesOf(target: string): Promise<Map<string, string>> {
  const snap = await snapshot(target);
  return new Map([...snap].filter(([, v]) => v.startsWith('file')).map(([k, v]) => [k, v.split(' ')[2]!]));
}

async function runCase(c: Command, k: Kind, expected: Expect): Promise<void> {
  const box = path.join(work, 'cases', c.name, k.name.replace(/[^a-z0-9]+/gi, '-'));
  await mkdir(box, { recursive: true });
  const p = await k.prepare(c, box);
  const [boxBefore, inputsBefore] = [await snapshot(box), await snapshot(inputs)];
  const got = k.via === 'cli' ? await viaCli(c, p.out, box) : await inProcess(() => c.lib(p.out), p.cwd);
  const [boxAfter, inputsAfter] = [await snapshot(box), await snapshot(inputs)];
  const what = `${c.name} --out ${JSON.stringify(p.out)} (${k.name}): ${got.message}`;

  expect(inputsAfter, what).toEqual(inputsBefore);
  expect(
    [...boxAfter.keys()].filter((f) => path.basename(f).startsWith('.tmp-')),
    what,
  ).toEqual([]);
  if (expected !== 'written') {
    expect({ exit: got.exit, code: got.code }, what).toEqual({ exit: 1, code: expected });
    expect(got.message.split('\n'), what).toHaveLength(1);
    expect(got.message, what).toContain('--out');
    expect(boxAfter, what).toEqual(boxBefore);
    return;
  }
  expect(got.exit, what).toBe(0);
  const target = path.relative(box, p.target!).split(path.sep).join('/');
  const inside = (f: string) => f === target || f.startsWith(`${target}/`);
  // Nothing outside the destination changed; only the folders made for a missing parent are new.
  const created = [...boxAfter.keys()].filter((f) => !boxBefore.has(f) && !inside(f));
  expect(
    created.every((f) => target.startsWith(`${f}/`)),
    what,
  ).toBe(true);
  for (const [f, v] of boxBefore) if (!inside(f)) expect(boxAfter.get(f), `${what}: ${f}`).toBe(v);
  expect(((await stat(p.target!)).mode & 0o7777).toString(8), what).toBe(p.mode!.toString(8));
  const written = await filesOf(p.target!);
  if (k.via === 'cli') refs.set(c.name, p.target!);
  const ref = await filesOf(refs.get(c.name)!);
  if (c.sameBytes) expect(written, what).toEqual(ref);
  else expect([...written.keys()], what).toEqual([...ref.keys()]);
  if (c.kind === 'folder') {
    // The marker lists exactly the files there, with their hashes.
    const marker = JSON.parse(await readFile(path.join(p.target!, OUTPUT_MARKER), 'utf8')) as OutputMarker;
    expect(marker.command, what).toBe(c.name);
    written.delete(OUTPUT_MARKER);
    expect(new Map(marker.files.map((f) => [f.path, f.sha256])), what).toEqual(written);
  }
}

/** At most `n` at once: the CLI cases are processes, two cores are enough for them. */
function limit(n: number): <T>(f: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async (f) => {
    while (running >= n) await new Promise<void>((r) => waiting.push(r));
    running++;
    try {
      return await f();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}
const cliSlot = limit(2);

const cases = commands.flatMap((c) => kinds.map((k) => ({ c, k, expected: k.expect(c) })));
const applicable = cases.filter((x) => x.expected !== undefined);

describe(`destination matrix: ${commands.length} commands × ${kinds.length} kinds (${applicable.length} cases, ${cases.length - applicable.length} not applicable)`, () => {
  // The missing destinations first: their outputs are the references the other cases compare with and copy.
  describe.concurrent('through the CLI', () => {
    for (const { c, k, expected } of applicable.filter((x) => x.k.via === 'cli')) {
      it(`${c.name} × ${k.name} → ${expected}`, () => cliSlot(() => runCase(c, k, expected!)), 600_000);
    }
  });
  describe('in-process', () => {
    for (const { c, k, expected } of applicable.filter((x) => x.k.via === 'lib')) {
      it(`${c.name} × ${k.name} → ${expected}`, () => runCase(c, k, expected!), 300_000);
    }
  });
  it('lists what is not applicable: commands that read nothing have no input to protect; a file has no notes added', () => {
    expect(cases.filter((x) => x.expected === undefined).map((x) => `${x.c.name} × ${x.k.name}`)).toEqual([
      'synth × an input file',
      "synth × an input's folder",
      'synth × an ancestor of the inputs',
      'features × its own output with a note the user added',
      'features × its own output with a file the user edited',
      'ci × its own output with a note the user added',
      'ci × its own output with a file the user edited',
      'ci × an input file',
      "ci × an input's folder",
      'ci × an ancestor of the inputs',
    ]);
  });
});
