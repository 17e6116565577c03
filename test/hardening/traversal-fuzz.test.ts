import { cp, mkdir, mkdtemp, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTfjsFiles, readTfjsFiles } from '../../src/compiler/1-load/loaders/index.js';
import { parseRunConfig } from '../../src/data/run-config.js';
import { FUZZ_RUNS, FUZZ_SEED, outcome, outcomeAsync } from './fuzz-helpers.js';
import { writeTinyModel } from './tiny-model.js';

/**
 * Paths inside files (issue 13, part 3) on generated hostile paths: TF.js
 * weightsManifest paths (in memory, then on a real folder full of symlinks
 * that lead in, out, to /dev/zero, in loops) and tinypdm.json's calibration
 * and split entries. Each case is checked against an oracle written here
 * from the rule, not from the code: a path is accepted only when it is a
 * non-empty relative string without NUL that resolves (lexically, and through
 * symlinks where there are files) strictly inside the file's folder; and no
 * case ever reads, or returns, the bytes of a file outside it.
 */
let work: string;
let modelDir: string;
let baseJson: { weightsManifest: { paths: string[] }[] } & Record<string, unknown>;
let shard: Uint8Array;
let secret: Uint8Array;
const EXAMPLE_RUN = path.resolve(import.meta.dirname, '../../arduino/example-run');

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'tinypdm-traversal-'));
  const tiny = await writeTinyModel(path.join(work, 'tiny'), { seed: 2, samples: 2 });
  baseJson = JSON.parse(await readFile(tiny.model, 'utf8'));
  shard = new Uint8Array(await readFile(path.join(work, 'tiny', baseJson.weightsManifest[0]!.paths[0]!)));
  // Files outside the model folder that a hostile manifest would like to read: as large as the shard, so only the path rule stops them.
  secret = shard.map((b) => b ^ 0xa5);
  await writeFile(path.join(work, 'secret.bin'), secret);
  await mkdir(path.join(work, 'model-evil'));
  await writeFile(path.join(work, 'model-evil', 'w.bin'), secret);
  modelDir = path.join(work, 'model');
  await mkdir(path.join(modelDir, 'sub'), { recursive: true });
  await writeFile(path.join(modelDir, 'w.bin'), shard);
  await writeFile(path.join(modelDir, 'sub', 'w.bin'), shard);
  const links: Record<string, string> = {
    'in-link': 'w.bin',
    'in-dir': 'sub',
    'out-link': '../secret.bin',
    'out-abs': path.join(work, 'secret.bin'),
    'out-dir': '..',
    'evil-dir': '../model-evil',
    'dev-link': '/dev/zero',
    chain: 'in-link',
    'chain-out': 'out-link',
    loop: 'loop',
    'sub/up': '..',
    'sub/out': '../../secret.bin',
  };
  for (const [name, target] of Object.entries(links)) await symlink(target, path.join(modelDir, name));
  await cp(path.join(work, 'tiny', 'model.json'), path.join(modelDir, 'model.json'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const SEGMENTS = [
  'w.bin',
  'sub',
  'in-link',
  'in-dir',
  'out-link',
  'out-abs',
  'out-dir',
  'evil-dir',
  'dev-link',
  'chain',
  'chain-out',
  'loop',
  'up',
  'out',
  '..',
  '.',
  '',
  'model',
  'model-evil',
  'secret.bin',
  'nope',
  '...',
  '%2e%2e',
  '..\\..',
  'w.bin\0',
  '\0',
  '~',
  'C:',
  'ü',
  'a'.repeat(300),
];

/** A path as a hostile manifest writes it: 1-5 segments, sometimes absolute, sometimes not a string at all. */
const hostilePath: fc.Arbitrary<unknown> = fc.oneof(
  // Near misses from a small alphabet: these land on the real shard, beside it, or just outside.
  {
    weight: 8,
    arbitrary: fc
      .array(fc.constantFrom('w.bin', 'sub', 'in-dir', 'in-link', '.', '..', 'model', 'up'), { minLength: 1, maxLength: 4 })
      .map((segs) => segs.join('/')),
  },
  {
    weight: 12,
    arbitrary: fc
      .tuple(
        fc.constantFrom('', '', '', '/', '//', './', `${'../'.repeat(8)}`),
        fc.array(fc.constantFrom(...SEGMENTS), { minLength: 1, maxLength: 5 }),
      )
      .map(([lead, segs]) => lead + segs.join('/')),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('/dev/zero', '/etc/passwd', '/proc/self/environ', '\\\\server\\share\\w.bin', 'file:///etc/passwd'),
  },
  { weight: 1, arbitrary: fc.oneof(fc.constant(null), fc.integer(), fc.constant([]), fc.constant({}), fc.constant(true)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);

/** The rule, lexically: a non-empty relative string without NUL resolving strictly inside `dir`. */
function lexicallyInside(dir: string, rel: unknown): boolean {
  if (typeof rel !== 'string' || rel === '' || rel.includes('\0') || rel.startsWith('/')) return false;
  const full = path.resolve(dir, rel);
  return full.startsWith(dir + '/');
}

describe('weightsManifest paths (in memory): outside paths are never read', () => {
  it(`${FUZZ_RUNS} generated manifests: PATH_OUTSIDE exactly when a path leaves the folder; reads stay inside`, async () => {
    const JSON_PATH = '/models/fuzz/model.json';
    const dir = path.dirname(JSON_PATH);
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof({ weight: 4, arbitrary: fc.tuple(hostilePath) }, { weight: 1, arbitrary: fc.tuple(hostilePath, hostilePath) }),
        async (paths) => {
          const json = structuredClone(baseJson);
          json.weightsManifest[0]!.paths = paths as string[];
          const reads: string[] = [];
          const readShard = async (p: string) => {
            reads.push(p);
            if (p === path.join(dir, 'w.bin') || p === path.join(dir, 'sub', 'w.bin')) return shard;
            throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
          };
          const r = await outcomeAsync(() => parseTfjsFiles(JSON_PATH, JSON.stringify(json), readShard), dir);
          for (const p of reads) expect(p.startsWith(dir + '/'), `read ${p}`).toBe(true);
          const inside = paths.every((p) => lexicallyInside(dir, p));
          const key = r.ok ? 'ok' : r.error.code;
          seen.set(key, (seen.get(key) ?? 0) + 1);
          if (!inside) {
            expect(r.ok ? 'ok' : r.error.code, JSON.stringify(paths)).toBe('PATH_OUTSIDE');
            expect(reads).toEqual([]);
          } else {
            expect(key).not.toBe('PATH_OUTSIDE');
            expect(['ok', 'MISSING_WEIGHTS', 'CORRUPT_FILE']).toContain(key);
          }
        },
      ),
      { numRuns: FUZZ_RUNS, seed: FUZZ_SEED },
    );
    console.log('manifest path fuzz (in memory) outcomes', Object.fromEntries([...seen].sort()));
    expect(seen.get('ok') ?? 0).toBeGreaterThan(FUZZ_RUNS / 100);
    expect(seen.get('PATH_OUTSIDE') ?? 0).toBeGreaterThan(FUZZ_RUNS / 10);
  });
});

describe('weightsManifest paths on disk, through symlinks', () => {
  it(`${FUZZ_RUNS} generated manifests in a folder of symlinks leading in, out, to /dev/zero and in loops: the secret is never loaded`, async () => {
    const jsonPath = path.join(modelDir, 'model.json');
    const realDir = await realpath(modelDir);
    const realShards = new Set([await realpath(path.join(modelDir, 'w.bin')), await realpath(path.join(modelDir, 'sub', 'w.bin'))]);
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(hostilePath, async (p) => {
        const json = structuredClone(baseJson);
        json.weightsManifest[0]!.paths = [p as string];
        await writeFile(jsonPath, JSON.stringify(json));
        const r = await outcomeAsync(() => readTfjsFiles(jsonPath), modelDir);
        // The oracle: lexically inside, then (when it exists) its real path inside the folder's.
        let expected: 'outside' | 'shard' | 'other';
        if (!lexicallyInside(modelDir, p)) expected = 'outside';
        else {
          const real = await realpath(path.resolve(modelDir, p as string)).catch(() => undefined);
          expected = real === undefined ? 'other' : !real.startsWith(realDir + '/') ? 'outside' : realShards.has(real) ? 'shard' : 'other';
        }
        const key = `${expected} ${r.ok ? 'ok' : r.error.code}`;
        seen.set(key, (seen.get(key) ?? 0) + 1);
        if (r.ok) {
          expect(expected, JSON.stringify(p)).toBe('shard');
          expect(new Uint8Array(r.value.weightData)).toEqual(shard);
        } else if (expected === 'outside') {
          expect(r.error.code, `${JSON.stringify(p)}: ${r.error.message}`).toBe('PATH_OUTSIDE');
        } else {
          expect(['MISSING_WEIGHTS', 'FILE_NOT_FOUND', 'CORRUPT_FILE'], `${JSON.stringify(p)}: ${r.error.message}`).toContain(r.error.code);
        }
        if (expected === 'shard') expect(r.ok, JSON.stringify(p)).toBe(true);
      }),
      { numRuns: FUZZ_RUNS, seed: FUZZ_SEED },
    );
    console.log('manifest path fuzz (on disk, symlinks) outcomes', Object.fromEntries([...seen].sort()));
    for (const k of ['shard ok', 'outside PATH_OUTSIDE']) expect(seen.get(k) ?? 0, k).toBeGreaterThan(FUZZ_RUNS / 100);
  }, 600_000);
});

describe("tinypdm.json's calibration and split entries", () => {
  it(`${FUZZ_RUNS} generated run configs: PATH_OUTSIDE exactly when the rule says so`, async () => {
    const text = await readFile(path.join(EXAMPLE_RUN, 'tinypdm.json'), 'utf8');
    const base = JSON.parse(text);
    const FILE = '/runs/r1/tinypdm.json';
    /** Split entries: clips relative to a dataset folder not known here, so no segment may be empty, '.' or '..'. */
    const plainRelative = (e: unknown) =>
      typeof e === 'string' &&
      e !== '' &&
      !e.includes('\0') &&
      !e.includes('\\') &&
      !e.startsWith('/') &&
      e.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
    const seen = new Map<string, number>();
    fc.assert(
      fc.property(
        fc.oneof(fc.constant(undefined), hostilePath),
        fc.option(fc.tuple(fc.constantFrom('train', 'val', 'test'), fc.nat(20), hostilePath), { nil: undefined }),
        (calibration, split) => {
          const c = structuredClone(base);
          if (calibration !== undefined) c.calibration = calibration;
          if (split) c.split[split[0]][split[1] % c.split[split[0]].length] = split[2];
          const r = outcome(() => parseRunConfig(JSON.stringify(c), FILE), FILE);
          const calibOk = calibration === undefined || lexicallyInside(path.dirname(FILE), calibration);
          const splitOk = !split || plainRelative(split[2]);
          const key = r.ok ? 'ok' : r.error.code;
          seen.set(key, (seen.get(key) ?? 0) + 1);
          expect(key, JSON.stringify({ calibration, split })).toBe(calibOk && splitOk ? 'ok' : 'PATH_OUTSIDE');
        },
      ),
      { numRuns: FUZZ_RUNS, seed: FUZZ_SEED },
    );
    console.log('run config path fuzz outcomes', Object.fromEntries([...seen].sort()));
    expect(seen.get('ok') ?? 0).toBeGreaterThan(FUZZ_RUNS / 100);
  });
});
