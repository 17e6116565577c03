/**
 * `npm run readme`: rewrites README.md's measured tables from bench/results.json
 * (recorded by `npm run bench -- --save`). test/readme-tables.test.ts checks
 * that the committed README matches.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderReadmeTables, type BenchResults } from '../bench/readme-tables.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const readme = path.join(ROOT, 'README.md');
const results = JSON.parse(await readFile(path.join(ROOT, 'bench/results.json'), 'utf8')) as BenchResults;
await writeFile(readme, renderReadmeTables(await readFile(readme, 'utf8'), results));
process.stdout.write('README.md: measured tables rewritten from bench/results.json\n');
