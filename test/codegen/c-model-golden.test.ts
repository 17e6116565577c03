import { readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateCModel, KERNEL_TARGETS } from '../../src/compiler/6-emit/c-model/index.js';
import { REPO_ROOT } from '../helpers/firmware-build.js';
import { oneOpModels } from './c-model-models.js';

/**
 * Golden files for every C-runtime emitter: the generated C of one one-op
 * model per op kind (the interpreter's first case of that kind), on both
 * kernel sets, in test/codegen/golden/c-model/. A change to an emitter, a
 * template or the planner shows up here as a diff to review. Refresh with
 *   UPDATE_GOLDEN=1 npx vitest run test/codegen/c-model-golden.test.ts
 * (the files' behaviour, not their text, is what c-model.test.ts checks).
 */
const DIR = path.join(REPO_ROOT, 'test/codegen/golden/c-model');
const update = process.env.UPDATE_GOLDEN === '1';

const models = (() => {
  const seen = new Set<string>();
  return oneOpModels().filter((m) => {
    const kind = m.graph.ops[0]!.kind;
    if (m.graph.ops.length !== 1 || seen.has(kind)) return false;
    seen.add(kind);
    return true;
  });
})();

describe('C runtime golden files', () => {
  const expected = new Set<string>();
  for (const m of models) {
    for (const target of KERNEL_TARGETS) {
      const file = `${m.graph.ops[0]!.kind.toLowerCase()}.${target}.c`;
      expected.add(file);
      it(`${file} (${m.name})`, () => {
        const c = generateCModel(m.graph, { target, banner: { version: 'golden', command: 'golden' } });
        const text = `${c.files['tinypdm_model.h']}\n${c.files['tinypdm_model.c']}`;
        const golden = path.join(DIR, file);
        if (update) writeFileSync(golden, text);
        expect(existsSync(golden), `${file} is missing: run with UPDATE_GOLDEN=1`).toBe(true);
        expect(text).toBe(readFileSync(golden, 'utf8'));
      });
    }
  }

  it('has no stale golden files', () => {
    expect(readdirSync(DIR).filter((f) => !expected.has(f))).toEqual([]);
  });
});
