import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importViolation, unitOf } from '../scripts/architecture.mjs';

/**
 * The structure of src/, checked on every test run (the ESLint rule checks the
 * same while editing): every import goes down a floor and through the target
 * folder's index.ts, and the folder graph has no cycle.
 */
const SRC = path.resolve(import.meta.dirname, '../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'generated' ? [] : sourceFiles(full);
    return /\.(ts|mjs)$/.test(e.name) ? [full] : [];
  });
}

/** Every relative import of a file: static, re-exports and dynamic import() of a literal. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm)].map((m) => m[1]!);
  return specs.map((s) =>
    path
      .relative(SRC, path.resolve(path.dirname(file), s))
      .replace(/\.js$/, '.ts')
      .split(path.sep)
      .join('/'),
  );
}

const edges = sourceFiles(SRC).flatMap((file) => {
  const from = path.relative(SRC, file).split(path.sep).join('/');
  return importsOf(file)
    .filter((to) => !to.startsWith('..'))
    .map((to) => ({ from, to }));
});

describe('architecture', () => {
  it('reads the imports of the whole tree (a check of the check)', () => {
    expect(edges.length).toBeGreaterThan(300);
    expect(edges).toContainEqual({ from: 'cli/commands/emit.ts', to: 'index.ts' });
  });

  it('every import points down a floor, through the target folder’s index.ts', () => {
    const violations = edges.flatMap(({ from, to }) => {
      const why = importViolation(from, to);
      return why ? [`${from} → ${to}: ${why}`] : [];
    });
    expect(violations).toEqual([]);
  });

  it('the rule catches what it should', () => {
    expect(importViolation('compiler/1-load/load-any.ts', 'experiments/index.ts')).toMatch(/higher floor/);
    expect(importViolation('data/dataset.ts', 'device/index.ts')).toMatch(/same floor/);
    expect(importViolation('evaluate/evaluate.ts', 'compiler/3-quantize/calibrate.ts')).toMatch(/through src\/compiler\/index\.ts/);
    expect(importViolation('compiler/2-optimize/passes.ts', 'compiler/4-plan/index.ts')).toMatch(/later phase/);
    expect(importViolation('compiler/4-plan/fit.ts', 'compiler/1-load/index.ts')).toBeUndefined();
  });

  it('the folder graph has no cycle', () => {
    const graph = new Map<string, Set<string>>();
    for (const { from, to } of edges) {
      const a = unitOf(from);
      const b = unitOf(to);
      if (a !== b) graph.set(a, (graph.get(a) ?? new Set()).add(b));
    }
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (u: string, trail: string[]) => {
      if (state.get(u) === 'done') return;
      if (state.get(u) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(u)), u].join(' → '));
        return;
      }
      state.set(u, 'open');
      for (const v of graph.get(u) ?? []) visit(v, [...trail, u]);
      state.set(u, 'done');
    };
    for (const u of graph.keys()) visit(u, []);
    expect(cycles).toEqual([]);
  });
});
