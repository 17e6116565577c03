#!/usr/bin/env node
// Runs the compiled CLI in dist/. `npm run build` writes it; `npm ci` and `npm pack` build it through the
// prepare script, so an installed package always has it.
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('tinypdm: error: the compiled CLI (dist/cli/main.js) is missing; run `npm run build` in the tinypdm folder\n');
  process.exit(1);
}
await import(main.href);
