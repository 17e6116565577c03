// Test instrumentation, loaded with `node --import` into the real CLI: when
// the process exits, prints "test: peak-rss <kB>" to stderr, the kernel's
// high-water mark of its resident memory (VmHWM in /proc/self/status, all
// threads, the HDF5 worker's included), so a test can bound what a hostile
// input made the process hold without an external tool.
import { readFileSync } from 'node:fs';

process.on('exit', () => {
  const kb = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  process.stderr.write(`test: peak-rss ${kb ?? 'unknown'}\n`);
});
