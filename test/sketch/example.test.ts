import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { emitExampleSketch, EXAMPLE_OUT, EXAMPLE_RUN, EXAMPLE_SKETCH_NAME } from '../../scripts/update-example.js';

/**
 * Issue 4 §7: the committed example sketch (arduino/tinypdm_example) is
 * exactly what emit makes from the committed example run today. On a diff,
 * run `npx tsx scripts/update-example.ts` and commit the result.
 */
async function tree(dir: string, prefix = ''): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) for (const [k, v] of await tree(p, `${prefix}${e.name}/`)) out.set(k, v);
    else out.set(`${prefix}${e.name}`, await readFile(p));
  }
  return out;
}

describe('committed Arduino example', () => {
  it('regenerates byte for byte from arduino/example-run', async () => {
    const fresh = await emitExampleSketch(EXAMPLE_RUN, await mkdtemp(path.join(tmpdir(), 'tp-example-')));
    const committed = await tree(path.join(EXAMPLE_OUT, EXAMPLE_SKETCH_NAME));
    const regenerated = await tree(fresh);
    expect([...regenerated.keys()].sort()).toEqual([...committed.keys()].sort());
    const differing = [...regenerated].filter(([k, v]) => !v.equals(committed.get(k)!)).map(([k]) => k);
    expect(differing, 'run npx tsx scripts/update-example.ts').toEqual([]);
  }, 120_000);
});
