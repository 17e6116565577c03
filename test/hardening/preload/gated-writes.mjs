// Test instrumentation, loaded with `node --import` into the real CLI (never
// into production code). Every fs/promises writeFile prints
// "test: writing <path>" to stderr; one whose path contains
// TINYPDM_TEST_WRITE_MATCH then waits until the file TINYPDM_TEST_WRITE_GATE
// exists. A test so holds a command with a write into its temp output in
// flight for as long as it needs (to interrupt it, or to start a second
// writer), with no guessed delay. Each SIGINT/SIGTERM is announced as
// "test: got <signal>" (this listener runs before the CLI's own, in the same
// tick), so a test knows when the CLI has seen one.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';

const gate = process.env.TINYPDM_TEST_WRITE_GATE;
const match = process.env.TINYPDM_TEST_WRITE_MATCH ?? '';
const writeFile = fsp.writeFile;
fsp.writeFile = async (...args) => {
  const file = typeof args[0] === 'string' ? args[0] : '';
  process.stderr.write(`test: writing ${file}\n`);
  while (gate && file.includes(match) && !fs.existsSync(gate)) await new Promise((resolve) => setTimeout(resolve, 20));
  return writeFile(...args);
};
syncBuiltinESMExports();
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.stderr.write(`test: got ${signal}\n`));
