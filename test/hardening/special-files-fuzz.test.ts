import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sketchFqbn } from '../../src/arduino/index.js';
import { readWav } from '../../src/audio/wav.js';
import type { ErrorCode } from '../../src/util/errors.js';
import { loadAnyModel } from '../../src/compiler/1-load/load-any.js';
import { emit } from '../../src/compiler/compile.js';
import { calibrationPathOf, findRunConfig } from '../../src/data/run-config.js';
import { extractClips, listDataset } from '../../src/data/dataset.js';
import { clipDb, resolveFeatureConfig } from '../../src/data/features/index.js';
import { computeFeatures } from '../../src/data/index.js';
import { plotFontFile } from '../../src/evaluate/plot/fonts.js';
import { train } from '../../src/learn/train.js';
import { formatBytes, MAX_BYTES_ENV } from '../../src/util/limits.js';
import { verifyModel } from '../../src/verify/verify.js';
import { readNpy } from '../../src/util/npy.js';
import { FUZZ_RUNS, FUZZ_SEED, outcomeAsync } from './fuzz-helpers.js';
import { runCli } from '../helpers/cli.js';
import { writeTinyModel } from './tiny-model.js';

/**
 * Devices, FIFOs, sockets and symlinks as every kind of input tinypdm reads
 * (issue 13, part 2): a model file of each format, a model.json in a folder,
 * a weights shard, a WAV (alone, in a dataset, through the feature cache and
 * `features`), a .npy, tinypdm.json and its calibration, --arch, --run-config,
 * sketch.yaml and the plot font. Each case puts one hostile thing at the
 * input's path (directly, or behind 1-3 symlinks, absolute or relative, or
 * through a symlinked folder) and runs the same entry point the CLI uses.
 * Outcome: one clean user error naming the input, never a read of the device,
 * never a hang on the FIFO (a case that blocked would never return and the
 * test would time out), never anything but exit-1 errors. A missing optional
 * input (tinypdm.json, sketch.yaml) may be "absent", which is success.
 */
let work: string;
let targets: Record<Target, string>;
let socketServer: Server;
let tinyModelJson: Record<string, unknown>;
const EXAMPLE_RUN = path.resolve(import.meta.dirname, '../../arduino/example-run');
const FEATURES = resolveFeatureConfig(3000, { nMels: 8, frames: 8, nFft: 256, hop: 64 }).features;

type Target = 'zero' | 'urandom' | 'null' | 'fifo' | 'socket' | 'dir' | 'dangling' | 'loop';
interface Spec {
  target: Target;
  /** Symlinks between the input's path and the target (0: the target itself at the path, where it can be made there). */
  hops: number;
  relative: boolean;
  /** Reach the target through a symlink to its folder (e.g. `devdir/zero` with devdir → /dev). */
  viaDirLink: boolean;
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'tinypdm-special-'));
  const t = path.join(work, 'targets');
  await mkdir(t);
  await execa('mkfifo', [path.join(t, 'fifo')]);
  socketServer = createServer();
  await new Promise<void>((resolve) => socketServer.listen(path.join(t, 'socket'), resolve));
  await mkdir(path.join(t, 'dir'));
  await symlink(path.join(t, 'loop'), path.join(t, 'loop'));
  await symlink(path.join(t, 'missing'), path.join(t, 'dangling'));
  targets = {
    zero: '/dev/zero',
    urandom: '/dev/urandom',
    null: '/dev/null',
    fifo: path.join(t, 'fifo'),
    socket: path.join(t, 'socket'),
    dir: path.join(t, 'dir'),
    dangling: path.join(t, 'dangling'),
    loop: path.join(t, 'loop'),
  };
  const tiny = await writeTinyModel(path.join(work, 'tiny'), { seed: 1, samples: 2 });
  tinyModelJson = JSON.parse(await readFile(tiny.model, 'utf8'));
}, 120_000);

afterAll(async () => {
  await new Promise((resolve) => socketServer.close(resolve));
  await rm(work, { recursive: true, force: true });
});

let folders = 0;
const made = new Map<string, { at: string; folder: string }>();

/**
 * Puts `spec` at `<folder>/<name>`, in a folder of its own (one per kind and
 * spec, reused by later cases with the same ones), after `prepare` has filled
 * the folder. Devices cannot be made at a path, so with 0 hops the input is
 * the device's own path where the input can be any path, and 1 hop otherwise.
 */
async function place(
  kind: string,
  name: string,
  spec: Spec,
  prepare: (folder: string) => Promise<void>,
  anyPath: boolean,
): Promise<{ at: string; folder: string }> {
  const key = `${kind}/${name}/${JSON.stringify(spec)}`;
  const hit = made.get(key);
  if (hit) return hit;
  const folder = path.join(work, `f${folders++}`);
  await mkdir(folder, { recursive: true });
  await prepare(folder);
  let target = targets[spec.target];
  if (spec.viaDirLink) {
    const dirLink = path.join(folder, 'via-dir');
    await symlink(path.dirname(target), dirLink);
    target = path.join(dirLink, path.basename(target));
  }
  const makeable = spec.target === 'fifo' || spec.target === 'dir';
  let hops = spec.hops;
  if (hops === 0 && !makeable && !(anyPath && !spec.viaDirLink)) hops = 1;
  let at: string;
  if (hops === 0 && anyPath && !makeable) at = target;
  else {
    at = path.join(folder, name);
    await mkdir(path.dirname(at), { recursive: true });
    if (hops === 0 && spec.target === 'fifo') await execa('mkfifo', [at]);
    else if (hops === 0) await mkdir(at);
    else {
      // at → link1 → ... → target
      let next = target;
      for (let h = hops - 1; h >= 1; h--) {
        const link = path.join(folder, `hop${h}`);
        await symlink(spec.relative ? path.relative(folder, next) : next, link);
        next = link;
      }
      await symlink(spec.relative ? path.relative(path.dirname(at), next) : next, at);
    }
  }
  const placed = { at, folder };
  made.set(key, placed);
  return placed;
}

interface Kind {
  /** The input's file name inside its folder (its extension matters for some). */
  name: string;
  /** The input may be any path (a flag's value), not only a name inside a folder. */
  anyPath?: boolean;
  prepare?: (folder: string) => Promise<void>;
  run: (at: string, folder: string) => Promise<unknown>;
  /** What the error must name. */
  names: (at: string, folder: string) => string;
  codes: ErrorCode[];
  /** An absent input is fine (the command goes on without it). */
  optional?: boolean;
}

const RUN_CONFIG_PREP = (calibration: string) => async (folder: string) => {
  const c = JSON.parse(await readFile(path.join(EXAMPLE_RUN, 'tinypdm.json'), 'utf8'));
  c.calibration = calibration;
  await writeFile(path.join(folder, 'tinypdm.json'), JSON.stringify(c));
};

const KINDS: Record<string, Kind> = {
  'model .json': {
    name: 'model.json',
    anyPath: true,
    run: (at) => loadAnyModel(at),
    names: (at) => at,
    codes: ['FILE_NOT_FOUND', 'NOT_A_MODEL'],
  },
  'model .tflite': {
    name: 'model.tflite',
    anyPath: true,
    run: (at) => loadAnyModel(at),
    names: (at) => at,
    codes: ['FILE_NOT_FOUND', 'NOT_A_MODEL'],
  },
  'model .h5': {
    name: 'model.h5',
    anyPath: true,
    run: (at) => loadAnyModel(at),
    names: (at) => at,
    codes: ['FILE_NOT_FOUND', 'NOT_A_MODEL'],
  },
  'model .keras': {
    name: 'model.keras',
    anyPath: true,
    run: (at) => loadAnyModel(at),
    names: (at) => at,
    codes: ['FILE_NOT_FOUND', 'NOT_A_MODEL'],
  },
  'model.json in a model folder': {
    name: 'model.json',
    run: (_, folder) => loadAnyModel(folder),
    names: (_, folder) => folder,
    codes: ['FILE_NOT_FOUND', 'NOT_A_MODEL'],
  },
  'weights shard': {
    name: 'w.bin',
    prepare: async (folder) => {
      const json = structuredClone(tinyModelJson) as { weightsManifest: { paths: string[] }[] };
      json.weightsManifest[0]!.paths = ['w.bin'];
      await writeFile(path.join(folder, 'model.json'), JSON.stringify(json));
    },
    run: (_, folder) => loadAnyModel(path.join(folder, 'model.json')),
    names: (_, folder) => folder,
    codes: ['FILE_NOT_FOUND', 'PATH_OUTSIDE', 'MISSING_WEIGHTS'],
  },
  'WAV (readWav)': { name: 'clip.wav', anyPath: true, run: async (at) => readWav(at), names: (at) => at, codes: ['FILE_NOT_FOUND'] },
  'WAV (feature cache)': {
    name: 'clip.wav',
    anyPath: true,
    run: (at, folder) => clipDb(at, FEATURES, { cacheDir: path.join(folder, 'cache') }),
    names: (at) => at,
    codes: ['FILE_NOT_FOUND'],
  },
  'WAV (features)': {
    name: 'clip.wav',
    anyPath: true,
    run: (at, folder) => computeFeatures([at], { out: path.join(folder, 'out.npy'), spec: FEATURES, scope: 'windows' }),
    names: (at) => at,
    // A folder is walked for WAVs: an empty one is "no .wav files in" it.
    codes: ['FILE_NOT_FOUND', 'BAD_DATASET'],
  },
  'WAV in a dataset': {
    name: 'normal/clip.wav',
    run: async (_, folder) => {
      const d = listDataset(folder);
      return extractClips(folder, d.normal, FEATURES);
    },
    // A folder named clip.wav is not listed: then the dataset has no clips, which names the dataset.
    names: (_, folder) => folder,
    codes: ['FILE_NOT_FOUND', 'BAD_DATASET'],
  },
  '.npy': { name: 'calib.npy', anyPath: true, run: (at) => readNpy(at), names: (at) => at, codes: ['FILE_NOT_FOUND'] },
  "tinypdm.json's calibration": {
    name: 'c.npy',
    prepare: RUN_CONFIG_PREP('c.npy'),
    run: async (_, folder) => readNpy(await calibrationPathOf((await findRunConfig(path.join(folder, 'model.json')))!)),
    names: (_, folder) => folder,
    codes: ['FILE_NOT_FOUND', 'PATH_OUTSIDE'],
  },
  'tinypdm.json beside the model': {
    name: 'tinypdm.json',
    run: (_, folder) => findRunConfig(path.join(folder, 'model.json')),
    names: (at) => at,
    codes: ['FILE_NOT_FOUND'],
    optional: true,
  },
  '--run-config': {
    name: 'run.json',
    anyPath: true,
    run: (at, folder) =>
      emit({ model: path.join(folder, 'none.json'), runConfig: at, out: path.join(folder, 'out'), io: 'int8', command: 'emit' }),
    names: (at) => `--run-config ${at}`,
    codes: ['FILE_NOT_FOUND'],
  },
  '--arch': {
    name: 'layers.json',
    anyPath: true,
    run: (at, folder) => train({ arch: at, data: path.join(folder, 'no-data'), rate: 3000, out: path.join(folder, 'out') }),
    names: (at) => `--arch ${at}`,
    codes: ['FILE_NOT_FOUND'],
  },
  'sketch.yaml': {
    name: 'sketch.yaml',
    run: (_, folder) => sketchFqbn(folder, 'fallback'),
    names: (at) => at,
    codes: ['FILE_NOT_FOUND'],
    optional: true,
  },
  TINYPDM_PLOT_FONT: {
    name: 'font.ttf',
    anyPath: true,
    run: async (at) => {
      process.env['TINYPDM_PLOT_FONT'] = at;
      try {
        return plotFontFile();
      } finally {
        delete process.env['TINYPDM_PLOT_FONT'];
      }
    },
    names: (at) => at,
    codes: ['FILE_NOT_FOUND'],
  },
};
const KIND_NAMES = Object.keys(KINDS);

/** Runs one case; returns 'ok' (only for an absent optional input) or the error code. */
async function runCase(kindName: string, spec: Spec, cap: string | undefined): Promise<string> {
  const kind = KINDS[kindName]!;
  const { at, folder } = await place(kindName, kind.name, spec, kind.prepare ?? (async () => undefined), kind.anyPath ?? false);
  const old = process.env[MAX_BYTES_ENV];
  if (cap === undefined) delete process.env[MAX_BYTES_ENV];
  else process.env[MAX_BYTES_ENV] = cap;
  try {
    const r = await outcomeAsync(() => kind.run(at, folder), kind.names(at, folder));
    if (r.ok) {
      // Only an absent optional input may pass: the reader never hands back bytes of a device, a FIFO or a folder.
      expect(kind.optional && spec.target === 'dangling', `${kindName} read ${at} (${JSON.stringify(spec)})`).toBe(true);
      return 'absent';
    }
    expect(kind.codes, `${kindName} ${JSON.stringify(spec)}: ${r.error.message}`).toContain(r.error.code);
    return r.error.code;
  } finally {
    if (old === undefined) delete process.env[MAX_BYTES_ENV];
    else process.env[MAX_BYTES_ENV] = old;
  }
}

const spec = (targets: Target[]): fc.Arbitrary<Spec> =>
  fc.record({
    target: fc.constantFrom(...targets),
    hops: fc.integer({ min: 0, max: 3 }),
    relative: fc.boolean(),
    viaDirLink: fc.boolean(),
  });

const CLASSES: Array<[string, Target[]]> = [
  ['devices (/dev/zero, /dev/urandom, /dev/null)', ['zero', 'urandom', 'null']],
  ['FIFOs and sockets', ['fifo', 'socket']],
  ['symlinks that dangle, loop, or name a folder', ['dangling', 'loop', 'dir']],
];

describe('special files as every kind of input', () => {
  it('the targets are what they claim', () => {
    expect(existsSync(targets.fifo)).toBe(true);
    expect(KIND_NAMES.length).toBe(17);
  });

  for (const [label, kinds] of CLASSES) {
    it(`${label} (${FUZZ_RUNS} cases over ${KIND_NAMES.length} kinds of input): one clean user error naming the input`, async () => {
      const seen = new Map<string, number>();
      const byKind = new Map<string, Set<string>>();
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...KIND_NAMES), spec(kinds), fc.constantFrom(undefined, '64K', '64M'), async (kind, s, cap) => {
          const code = await runCase(kind, s, cap);
          seen.set(code, (seen.get(code) ?? 0) + 1);
          byKind.set(kind, (byKind.get(kind) ?? new Set()).add(code));
        }),
        { numRuns: FUZZ_RUNS, seed: FUZZ_SEED },
      );
      console.log(
        `special files, ${label}: outcomes`,
        Object.fromEntries([...seen].sort()),
        `over ${made.size} distinct placements so far`,
      );
      // Every kind of input was reached (at the suite's case count), each with a user error (or, for an optional one, absent).
      if (FUZZ_RUNS >= 1000) expect([...byKind.keys()].sort()).toEqual([...KIND_NAMES].sort());
    }, 900_000);
  }
});

describe('optional inputs read late', () => {
  it('verify: a model_float.tflite beside the model that is a FIFO or a symlink to /dev/zero is refused naming it, not read and not ignored', async () => {
    const tiny = path.join(work, 'tiny');
    const out = path.join(work, 'verify-out');
    await emit({ model: path.join(tiny, 'model.json'), calib: path.join(tiny, 'calib.npy'), out, io: 'int8', command: 'emit' });
    const floatModel = path.join(out, 'model_float.tflite');
    for (const make of [() => execa('mkfifo', [floatModel]), () => symlink('/dev/zero', floatModel)]) {
      await rm(floatModel, { force: true });
      await make();
      const r = await outcomeAsync(
        () => verifyModel({ modelPath: path.join(out, 'model.tflite'), randomInputs: 2, seed: 1, maxLsb: 1, minIdenticalShare: 0.99 }),
        floatModel,
      );
      expect(r.ok).toBe(false);
      if (!r.ok)
        expect(r.error.message).toMatch(
          new RegExp(
            `^${floatModel.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cannot read it, (a named pipe \\(FIFO\\)|a character device \\(the path resolves to /dev/zero\\)), not a regular file`,
          ),
        );
    }
  }, 300_000);
});

/**
 * A sample of the hostile cases through the real CLI in a child process,
 * under a 64 MiB cap: each exits 1 with one line, and the process's peak
 * resident memory (VmHWM, reported at exit by a preload) stays under the cap
 * plus a stated overhead: what Node, V8 and the command's modules (TF.js, the
 * TFLite and HDF5 wasm runtimes) hold before reading any input. Before the
 * bounded reader, a shard or model.json that is /dev/zero grew without bound
 * (7 GB in 40 s) and a FIFO hung.
 */
const PEAK_RSS = path.resolve(import.meta.dirname, 'preload/report-peak-rss.mjs');
const CAP = '64M';
const CAP_BYTES = 64 * 1024 ** 2;
/** Measured here: 100-230 MiB for the commands below on a missing file (Node 20, TF.js, wasm runtimes); stated with room. */
const OVERHEAD = 448 * 1024 ** 2;

async function cliPeak(args: string[]): Promise<{ exitCode: number; lines: string[]; peak: number }> {
  const r = await runCli(args, { env: { [MAX_BYTES_ENV]: CAP, NODE_OPTIONS: `--import ${PEAK_RSS}` } });
  const all = r.stderr.trim().split('\n');
  const kb = Number(/^test: peak-rss (\d+)$/.exec(all.find((l) => l.startsWith('test: peak-rss')) ?? '')?.[1]);
  return { exitCode: r.exitCode, lines: all.filter((l) => !l.startsWith('test: ')), peak: kb * 1024 };
}

describe('through the real CLI under TINYPDM_MAX_BYTES', () => {
  it('hostile inputs: exit 1, one line naming the input, peak RSS under the cap plus the overhead', async () => {
    const d = path.join(work, 'cli');
    await mkdir(d);
    const tiny = path.join(work, 'tiny');
    const link = async (name: string, target: string) => {
      const p = path.join(d, name);
      await mkdir(path.dirname(p), { recursive: true });
      await symlink(target, p);
      return p;
    };
    const fifo = async (name: string) => {
      const p = path.join(d, name);
      await mkdir(path.dirname(p), { recursive: true });
      await execa('mkfifo', [p]);
      return p;
    };
    const modelWithShard = async (name: string, shard: (folder: string) => Promise<unknown>) => {
      const folder = path.join(d, name);
      await cp(tiny, folder, { recursive: true });
      const json = structuredClone(tinyModelJson) as { weightsManifest: { paths: string[] }[] };
      json.weightsManifest[0]!.paths = ['w.bin'];
      await writeFile(path.join(folder, 'model.json'), JSON.stringify(json));
      await shard(folder);
      return path.join(folder, 'model.json');
    };
    const runWithCalib = async (name: string, calib: (folder: string) => Promise<unknown>) => {
      const folder = path.join(d, name);
      await cp(EXAMPLE_RUN, folder, { recursive: true });
      await rm(path.join(folder, 'calib.npy'));
      await calib(path.join(folder, 'calib.npy'));
      return path.join(folder, 'model.json');
    };
    const data = path.join(d, 'data');
    await mkdir(path.join(data, 'normal'), { recursive: true });
    await execa('mkfifo', [path.join(data, 'normal', 'pipe.wav')]);
    const out = path.join(d, 'out');
    const FEAT = ['--rate', '3000', '--n-fft', '256', '--hop', '64', '--n-mels', '8', '--out', path.join(d, 'f.npy')];

    const zeroTflite = await link('zero.tflite', '/dev/zero');
    const zeroJsonDir = path.join(d, 'zero-json');
    await link('zero-json/model.json', '/dev/zero');
    const shardZero = await modelWithShard('shard-zero', (f) => symlink('/dev/zero', path.join(f, 'w.bin')));
    const shardFifo = await modelWithShard('shard-fifo', (f) => execa('mkfifo', [path.join(f, 'w.bin')]));
    const calibUrandom = await runWithCalib('run-urandom', (c) => symlink('/dev/urandom', c));
    const h5 = await link('model.h5', '/dev/urandom');
    const keras = await fifo('model.keras');
    const wavZero = await link('clip.wav', '/dev/zero');
    const arch = await fifo('layers.json');
    const runConfig = await link('run.json', '/dev/zero');
    const evalRun = path.join(d, 'eval-run');
    await cp(EXAMPLE_RUN, evalRun, { recursive: true });
    await rm(path.join(evalRun, 'tinypdm.json'));
    await symlink('/dev/zero', path.join(evalRun, 'tinypdm.json'));

    const cases: Array<{ args: string[]; names: string; code: string }> = [
      { args: ['emit', zeroTflite, '--out', out], names: zeroTflite, code: 'FILE_NOT_FOUND' },
      { args: ['emit', zeroJsonDir, '--out', out], names: path.join(zeroJsonDir, 'model.json'), code: 'FILE_NOT_FOUND' },
      { args: ['emit', shardZero, '--calib', path.join(tiny, 'calib.npy'), '--out', out], names: shardZero, code: 'PATH_OUTSIDE' },
      {
        args: ['emit', shardFifo, '--calib', path.join(tiny, 'calib.npy'), '--out', out],
        names: path.join(path.dirname(shardFifo), 'w.bin'),
        code: 'FILE_NOT_FOUND',
      },
      { args: ['emit', path.join(tiny, 'model.json'), '--calib', '/dev/zero', '--out', out], names: '/dev/zero', code: 'FILE_NOT_FOUND' },
      { args: ['emit', calibUrandom, '--out', out], names: path.dirname(calibUrandom), code: 'PATH_OUTSIDE' },
      { args: ['emit', h5, '--out', out], names: h5, code: 'FILE_NOT_FOUND' },
      { args: ['emit', keras, '--out', out], names: keras, code: 'FILE_NOT_FOUND' },
      {
        args: ['emit', path.join(tiny, 'model.json'), '--run-config', runConfig, '--out', out],
        names: `--run-config ${runConfig}`,
        code: 'FILE_NOT_FOUND',
      },
      { args: ['features', wavZero, ...FEAT], names: wavZero, code: 'FILE_NOT_FOUND' },
      { args: ['features', data, ...FEAT], names: path.join(data, 'normal', 'pipe.wav'), code: 'FILE_NOT_FOUND' },
      { args: ['train', '--data', data, '--rate', '3000', '--arch', arch, '--out', out], names: `--arch ${arch}`, code: 'FILE_NOT_FOUND' },
      { args: ['verify', '/dev/zero'], names: '/dev/zero', code: 'FILE_NOT_FOUND' },
      { args: ['eval', '--run', evalRun, '--data', data], names: path.join(evalRun, 'tinypdm.json'), code: 'FILE_NOT_FOUND' },
    ];
    // The same commands on a missing input: what each holds before reading anything.
    const baselines: string[][] = [
      ['emit', path.join(d, 'missing.tflite'), '--out', out],
      ['features', path.join(d, 'missing.wav'), ...FEAT],
      ['train', '--data', data, '--rate', '3000', '--arch', path.join(d, 'missing.json'), '--out', out],
      ['verify', path.join(d, 'missing.tflite')],
    ];
    const seen = new Map<string, number>();
    let largest = { peak: 0, args: [] as string[] };
    for (const c of cases) {
      const r = await cliPeak(c.args);
      expect(r.exitCode, c.args.join(' ')).toBe(1);
      expect(r.lines, c.args.join(' ')).toHaveLength(1);
      expect(r.lines[0]).toContain(`tinypdm: error [${c.code}]: `);
      expect(r.lines[0]).toContain(c.names);
      expect(r.peak, c.args.join(' ')).toBeGreaterThan(0);
      expect(r.peak, `${c.args.join(' ')}: peak RSS ${formatBytes(r.peak)}`).toBeLessThan(CAP_BYTES + OVERHEAD);
      seen.set(c.code, (seen.get(c.code) ?? 0) + 1);
      if (r.peak > largest.peak) largest = { peak: r.peak, args: c.args };
    }
    const base: number[] = [];
    for (const args of baselines) base.push((await cliPeak(args)).peak);
    console.log(
      `special files through the CLI (${cases.length} cases, ${MAX_BYTES_ENV}=${CAP}): outcomes`,
      Object.fromEntries([...seen].sort()),
      `largest peak RSS ${formatBytes(largest.peak)} (${largest.args.slice(0, 2).join(' ')}); same commands on a missing file: ${base.map((b) => formatBytes(b)).join(', ')}; bound ${formatBytes(CAP_BYTES + OVERHEAD)}`,
    );
  }, 1_800_000);
});
