// Test instrumentation, loaded with `node --import` into the real CLI: after
// each fs/promises readFile, prints "test: read <file name>" to stderr, so a
// test can tell which stage the process has reached without guessing a delay.
import fsp from 'node:fs/promises';
import path from 'node:path';
import { syncBuiltinESMExports } from 'node:module';

const readFile = fsp.readFile;
fsp.readFile = async (file, ...rest) => {
  const data = await readFile(file, ...rest);
  if (typeof file === 'string') process.stderr.write(`test: read ${path.basename(file)}\n`);
  return data;
};
syncBuiltinESMExports();
