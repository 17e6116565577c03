import { mkdir, mkdtemp, rename, rm, writeFile, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Atomic outputs: everything is written into a temp directory beside the
 * destination and renamed into place at the end, so an error or an interrupt
 * never leaves a half-written output, and a previous output stays intact until
 * the new one is complete.
 */
export async function writeAtomically<T>(destDir: string, produce: (tmpDir: string) => Promise<T>): Promise<T> {
  const dest = path.resolve(destDir);
  const parent = path.dirname(dest);
  await mkdir(parent, { recursive: true });
  const tmp = await mkdtemp(path.join(parent, `.tmp-${path.basename(dest)}-`));
  const cleanup = () => rm(tmp, { recursive: true, force: true });
  const onSignal = () => {
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const result = await produce(tmp);
    const old = (await exists(dest)) ? `${tmp}.old` : undefined;
    if (old) await rename(dest, old);
    await rename(tmp, dest);
    if (old) await rm(old, { recursive: true, force: true });
    return result;
  } catch (e) {
    await cleanup();
    throw e;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

/** One file, written to a temp name in the same directory and renamed. */
export async function writeFileAtomic(file: string, data: Uint8Array | string): Promise<void> {
  const dest = path.resolve(file);
  const tmp = path.join(path.dirname(dest), `.tmp-${path.basename(dest)}-${process.pid}`);
  try {
    await writeFile(tmp, data);
    await rename(tmp, dest);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}
