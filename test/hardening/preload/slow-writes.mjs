// Test instrumentation, loaded with `node --import` into the real CLI (never
// into production code): every fs/promises writeFile prints
// "test: writing <path>" to stderr and waits before writing, so that a test
// can interrupt a command while a write into its temp output is in flight.
import fsp from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';

const delayMs = Number(process.env.TINYPDM_TEST_WRITE_DELAY_MS ?? 400);
const writeFile = fsp.writeFile;
fsp.writeFile = async (...args) => {
  if (typeof args[0] === 'string') process.stderr.write(`test: writing ${args[0]}\n`);
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  return writeFile(...args);
};
syncBuiltinESMExports();
