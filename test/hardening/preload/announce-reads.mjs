// Test instrumentation, loaded with `node --import` into the real CLI: after
// each input file is read (tinypdm's bounded reader opens it with
// fs/promises open() and closes it when done; fs/promises readFile too),
// prints "test: read <file name>" to stderr, so a test can tell which stage
// the process has reached without guessing a delay.
import fsp from 'node:fs/promises';
import path from 'node:path';
import { syncBuiltinESMExports } from 'node:module';

const announce = (file) => {
  if (typeof file === 'string') process.stderr.write(`test: read ${path.basename(file)}\n`);
};

const readFile = fsp.readFile;
fsp.readFile = async (file, ...rest) => {
  const data = await readFile(file, ...rest);
  announce(file);
  return data;
};

const open = fsp.open;
fsp.open = async (file, flags, ...rest) => {
  const fh = await open(file, flags, ...rest);
  const writing = typeof flags === 'string' ? /[wa+]/.test(flags) : typeof flags === 'number' && (flags & 3) !== 0;
  if (!writing) {
    const close = fh.close.bind(fh);
    fh.close = async () => {
      await close();
      announce(file);
    };
  }
  return fh;
};
syncBuiltinESMExports();
