import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { parse as parseYaml } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { cComment, cIdentifier, cStringLiteral, uniqueCIdentifiers, yamlString } from '../../src/util/sanitize.js';

/** Fragments that have broken code generators before: quotes, splices, comment ends, trigraphs, macros. */
const HOSTILE = [
  '"',
  "'",
  '\\',
  '\\\n',
  '*/',
  '/*',
  '//',
  '#include <stdio.h>',
  '#define x',
  '\n',
  '\r',
  '\r\n',
  '\0',
  '\t',
  '??/',
  '??=',
  '??(',
  '?',
  '??',
  'é',
  'ß',
  '😀',
  '\u2028',
  '\u202e',
  '\ufeff',
  '\ud800',
  '\udfff',
  'int',
  'NULL',
  'min',
  'g_model',
  '__',
  '_',
  '0',
  '9',
  ' ',
  '*',
  '/',
  '$',
  '@',
  '`',
  '%:',
  '<%',
  '}',
  ';',
  'main',
  'x'.repeat(80),
];

const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.array(fc.constantFrom(...HOSTILE), { maxLength: 8 }).map((parts) => parts.join('')),
  fc.string({ minLength: 60, maxLength: 200 }),
);

/** 10,000 hostile strings, reproducible from the seed. */
const CASES = fc.sample(hostileString, { numRuns: 10_000, seed: 20240611 });

const work = mkdtempSync(path.join(tmpdir(), 'tinypdm-sanitize-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { cwd: work, encoding: 'utf8', maxBuffer: 64 << 20 });
}

function definedSymbols(obj: string): string[] {
  return run('nm', ['-g', '--defined-only', obj])
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.trim().split(/\s+/)[2]!)
    .sort();
}

describe('cIdentifier', () => {
  it('maps known names as worked out by hand', () => {
    expect(cIdentifier('conv2d/Relu;1', 'x')).toBe('conv2d_Relu_1');
    expect(cIdentifier('int', 'x')).toBe('int_');
    expect(cIdentifier('NULL', 'x')).toBe('NULL_');
    expect(cIdentifier('3x3', 'layer')).toBe('layer_3x3');
    expect(cIdentifier('', 'g_model')).toBe('g_model');
    expect(cIdentifier('__init__', 'x')).toBe('init');
    expect(cIdentifier('a__b', 'x')).toBe('a_b');
    expect(cIdentifier('😀', '9')).toBe('id_9');
    const long = cIdentifier('a'.repeat(100), 'x');
    expect(long.length).toBe(63);
    expect(long).not.toBe(cIdentifier('a'.repeat(101), 'x'));
  });

  it('always gives a valid, unreserved, deterministic identifier (fast-check, 10,000 runs)', () => {
    fc.assert(
      fc.property(hostileString, hostileString, (name, fallback) => {
        const id = cIdentifier(name, fallback);
        expect(id).toMatch(/^[A-Za-z][A-Za-z0-9_]*$/);
        expect(id).not.toContain('__');
        expect(id.length).toBeLessThanOrEqual(63);
        expect(cIdentifier(name, fallback)).toBe(id);
      }),
      { numRuns: 10_000, seed: 7 },
    );
  });

  it('uniqueCIdentifiers is collision-free and keeps first claims (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(hostileString, fc.constantFrom('a', 'a_2', 'a 2', 'a.2', 'int')), { maxLength: 30 }), (names) => {
        const ids = uniqueCIdentifiers(names);
        expect(new Set(ids).size).toBe(ids.length);
        for (const id of ids) expect(id).toMatch(/^[A-Za-z][A-Za-z0-9_]{0,62}$/);
        // A name whose own identifier is free keeps it.
        const firstIndex = new Map<string, number>();
        names.forEach((n, i) => {
          const own = cIdentifier(n, 'id');
          if (!firstIndex.has(own)) firstIndex.set(own, i);
        });
        for (const [own, i] of firstIndex) expect(ids[i]).toBe(own);
      }),
      { numRuns: 2_000, seed: 11 },
    );
    expect(uniqueCIdentifiers(['a', 'a', 'a_2'])).toEqual(['a', 'a_3', 'a_2']);
  });
});

describe('generated C from 10,000 hostile strings, compiled by real gcc and g++', () => {
  const ids = uniqueCIdentifiers(CASES, 'sym');

  it.each([
    ['C', 'gcc', ['-std=c99', '-pedantic'], 'ids.c'],
    ['C++', 'g++', ['-std=c++11', '-pedantic'], 'ids.cc'],
  ])('identifiers become exactly the expected symbols (%s)', (_lang, cc, flags, file) => {
    const src = ids.map((id, i) => `int ${id} = ${i};\n`).join('');
    writeFileSync(path.join(work, file), src);
    run(cc, [...flags, '-Wall', '-Wextra', '-Werror', '-c', file, '-o', `${file}.o`]);
    expect(definedSymbols(`${file}.o`)).toEqual([...ids].sort());
  });

  it.each([
    ['C', 'gcc', ['-std=c99', '-pedantic'], 'strings.c'],
    ['C++', 'g++', ['-std=c++11', '-pedantic'], 'strings.cc'],
  ])('string literals hold the exact UTF-8 bytes and comments swallow nothing (%s)', (_lang, cc, flags, file) => {
    const lines: string[] = ['#include <stdio.h>'];
    CASES.forEach((s, i) => {
      // Each case sits between a block comment and a line comment made from the same text:
      // if either comment leaked or spliced a line, the definition after it would vanish or break.
      lines.push(`/* ${cComment(s)} */ static const char s${i}[] = ${cStringLiteral(s)}; // ${cComment(s)}`);
      lines.push(`static const unsigned n${i} = sizeof s${i} - 1; /*${cComment(s)}*/`);
    });
    lines.push(
      'static void hex(const char *p, unsigned n) { for (unsigned i = 0; i < n; i++) printf("%02x", (unsigned)(unsigned char)p[i]); printf("\\n"); }',
    );
    lines.push('int main(void) {');
    CASES.forEach((_s, i) => lines.push(`  hex(s${i}, n${i});`));
    lines.push('  return 0;', '}');
    writeFileSync(path.join(work, file), lines.join('\n') + '\n');
    run(cc, [...flags, '-Wall', '-Wextra', '-Werror', '-Wcomment', '-Wtrigraphs', file, '-o', `${file}.bin`]);
    const printed = run(path.join(work, `${file}.bin`), []).split('\n');
    const enc = new TextEncoder();
    CASES.forEach((s, i) => {
      expect(printed[i]).toBe(Buffer.from(enc.encode(s)).toString('hex'));
    });
  });
});

describe('cComment', () => {
  it('has no comment terminator, opener, line break, splice or trigraph (fast-check, 10,000 runs)', () => {
    fc.assert(
      fc.property(hostileString, (s) => {
        const c = cComment(s);
        expect(c).toMatch(/^[\x20-\x7e]*$/);
        expect(c).not.toContain('*/');
        expect(c).not.toContain('/*');
        expect(c).not.toContain('\\');
        expect(c).not.toContain('??');
        expect(c).not.toMatch(/^[*/]|[*/]$/);
      }),
      { numRuns: 10_000, seed: 3 },
    );
  });
});

describe('yamlString', () => {
  it('parses back to the same string with the yaml package (fast-check, 10,000 runs)', () => {
    fc.assert(
      fc.property(hostileString, (s) => {
        const doc = `key: ${yamlString(s)}\nnext: 1\n`;
        const wellFormed = Array.from(s, (ch) => (/^[\ud800-\udfff]$/.test(ch) ? '\ufffd' : ch)).join('');
        expect(parseYaml(doc)).toEqual({ key: wellFormed, next: 1 });
      }),
      { numRuns: 10_000, seed: 5 },
    );
  });
});
