import { randomBytes } from 'node:crypto';
import { link, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fail } from '../errors.js';
import { isAlive } from '../atomic.js';

/**
 * One writer per destination: `.tmp-<name>.lock` beside it holds the writer's
 * pid and a random token. It is made complete under a private name and
 * hard-linked into place, which fails if the lock exists, so a reader never
 * sees a half-written lock. A lock whose pid is dead (a killed run) is stale:
 * it is renamed aside and, if it still holds what was judged stale, dropped.
 */
export async function acquireLock(real: string, given: string): Promise<() => Promise<void>> {
  const lock = path.join(path.dirname(real), `.tmp-${path.basename(real)}.lock`);
  const mine = `${process.pid} ${randomBytes(8).toString('hex')}\n`;
  const draft = `${lock}.${process.pid}.${randomBytes(6).toString('hex')}`;
  await writeFile(draft, mine, { flag: 'wx' });
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await link(draft, lock);
        return () => release(lock, mine);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const held = await readFile(lock, 'utf8').catch(() => undefined);
      if (held === undefined) continue; // released meanwhile
      const pid = Number(held.split(' ')[0]);
      if (isAlive(pid)) {
        fail(
          'OUTPUT_LOCKED',
          `--out ${given} is being written by another tinypdm (pid ${pid}); wait for it to finish or choose ` +
            `another --out (if no tinypdm runs, remove ${lock})`,
        );
      }
      await breakStale(lock, held);
    }
  } finally {
    await rm(draft, { force: true });
  }
  return fail('OUTPUT_LOCKED', `--out ${given}: could not take ${lock}, other processes keep taking it; try again`);
}

/** Moves the stale lock aside; if what moved is not the stale lock (another run took it meanwhile), puts it back. */
async function breakStale(lock: string, stale: string): Promise<void> {
  const aside = `${lock}.stale.${process.pid}.${randomBytes(6).toString('hex')}`;
  try {
    await rename(lock, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  if ((await readFile(aside, 'utf8')) !== stale) await link(aside, lock).catch(() => undefined);
  await rm(aside, { force: true });
}

async function release(lock: string, mine: string): Promise<void> {
  if ((await readFile(lock, 'utf8').catch(() => undefined)) === mine) await rm(lock, { force: true });
}
