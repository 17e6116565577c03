// Test instrumentation, loaded with `node --import` into the real CLI (never
// into production code): every fs/promises writeFile waits first, so that a
// test can interrupt `emit` while its temp directory exists.
import fsp from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';

const delayMs = Number(process.env.TINYPDM_TEST_WRITE_DELAY_MS ?? 400);
const writeFile = fsp.writeFile;
fsp.writeFile = async (...args) => {
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  return writeFile(...args);
};
syncBuiltinESMExports();
