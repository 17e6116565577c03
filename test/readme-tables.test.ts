import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { README_TABLES, renderReadmeTables, replaceRegion, type BenchResults } from '../bench/readme-tables.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const results = JSON.parse(readFileSync(path.join(ROOT, 'bench/results.json'), 'utf8')) as BenchResults;

describe("the README's measured tables come from bench/results.json", () => {
  it('every table has its region in README.md and recorded results', () => {
    for (const [name, t] of Object.entries(README_TABLES)) {
      expect(readme, `README.md region ${name}`).toContain(`<!-- bench:${name} -->`);
      expect(results[t.section], `bench/results.json section ${t.section}`).toBeDefined();
    }
  });

  it('README.md equals its rendering from the recorded results (run `npm run readme` after `npm run bench -- --save`)', () => {
    expect(renderReadmeTables(readme, results)).toBe(readme);
  });

  it('a region is replaced whole, and a missing one is named', () => {
    const text = 'a\n<!-- bench:x -->\nold\nlines\n<!-- /bench:x -->\nb';
    expect(replaceRegion(text, 'x', 'new')).toBe('a\n<!-- bench:x -->\nnew\n<!-- /bench:x -->\nb');
    expect(() => replaceRegion(text, 'y', 'new')).toThrow(/<!-- bench:y -->/);
  });
});
