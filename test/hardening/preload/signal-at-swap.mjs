// Test instrumentation, loaded with `node --import` into the real CLI: right
// after writeAtomically moves the previous output aside (the first of its two
// renames), the process sends itself TINYPDM_TEST_SWAP_SIGNAL: SIGINT to show
// no handler runs between the renames, SIGKILL to stand for a power loss.
// Both rename APIs are covered, so a swap done with awaits in between (where a
// handler could run) is caught too: the async one also waits after the signal,
// as a slow disk would.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';

const signal = process.env.TINYPDM_TEST_SWAP_SIGNAL ?? 'SIGINT';
const movedAside = (_to) => {
  process.stderr.write(`test: moved aside, sending ${signal}\n`);
  process.kill(process.pid, signal);
};

const renameSync = fs.renameSync;
fs.renameSync = (from, to) => {
  renameSync(from, to);
  if (String(to).endsWith('.old')) movedAside(to);
};
const rename = fsp.rename;
fsp.rename = async (from, to) => {
  await rename(from, to);
  if (String(to).endsWith('.old')) {
    movedAside(to);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};
syncBuiltinESMExports();
