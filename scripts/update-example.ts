/**
 * The committed Arduino example (issue 4 §7):
 *   arduino/example-run/   a small training run: model.json + shard, tinypdm.json, calib.npy
 *   arduino/<sketch>/      the sketch `tinypdm emit --board nano33ble` makes from it
 *
 *   npx tsx scripts/update-example.ts            re-emit the sketch from the committed run
 *   npm run demo && npx tsx scripts/update-example.ts --from demo-out/run
 *                                                  take the demo pipeline's run, then re-emit
 *
 * test/sketch/example.test.ts re-emits into a temp dir and fails on any diff.
 * The committed run is the one `npm run demo` trains: the paper's autoencoder
 * on 32 Mel bands × 32 frames of device features at 6000 Hz.
 */
import { copyFile, mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { emit } from '../src/index.js';
import { RUN_CONFIG_FILE } from '../src/data/run-config.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const EXAMPLE_RUN = path.join(ROOT, 'arduino/example-run');
export const EXAMPLE_SKETCH_NAME = 'tinypdm_example';
export const EXAMPLE_OUT = path.join(ROOT, 'arduino');
/** The emit command as stamped into the example's banners. */
export const EXAMPLE_COMMAND = `tinypdm emit model.json --board nano33ble --sketch-name ${EXAMPLE_SKETCH_NAME}`;

/** Emits the example sketch from `runDir` into `outDir/<sketch>/` (and nothing else there). */
export async function emitExampleSketch(runDir: string, outDir: string): Promise<string> {
  const work = await mkdtemp(path.join(tmpdir(), 'tinypdm-example-'));
  try {
    const r = await emit({
      model: path.join(runDir, 'model.json'),
      out: path.join(work, 'out'),
      io: 'int8',
      command: EXAMPLE_COMMAND,
      board: 'nano33ble',
      sketchName: EXAMPLE_SKETCH_NAME,
    });
    const sketchDir = path.join(outDir, EXAMPLE_SKETCH_NAME);
    await rm(sketchDir, { recursive: true, force: true });
    for (const file of r.files.filter((f) => f.startsWith(`${EXAMPLE_SKETCH_NAME}/`))) {
      const dest = path.join(outDir, file);
      await mkdir(path.dirname(dest), { recursive: true });
      const { readFile } = await import('node:fs/promises');
      await writeFile(dest, await readFile(path.join(work, 'out', file)));
    }
    return sketchDir;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** The files of a `tinypdm train` run that the sketch is emitted from. */
const RUN_FILES = ['model.json', 'group1-shard1of1.bin', RUN_CONFIG_FILE, 'calib.npy'];

/** Replaces the committed run with the one `npm run demo` trained (demo-out/run by default). */
async function copyRun(from: string, runDir: string): Promise<void> {
  await rm(runDir, { recursive: true, force: true });
  await mkdir(runDir, { recursive: true });
  for (const f of RUN_FILES) await copyFile(path.join(from, f), path.join(runDir, f));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const from = process.argv.indexOf('--from');
  if (from > 0) await copyRun(path.resolve(process.argv[from + 1] ?? 'demo-out/run'), EXAMPLE_RUN);
  const dir = await emitExampleSketch(EXAMPLE_RUN, EXAMPLE_OUT);
  process.stdout.write(`wrote ${path.relative(ROOT, dir)}\n`);
}
