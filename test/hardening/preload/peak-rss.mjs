// Test instrumentation, loaded with `node --import` into the real CLI: at exit,
// writes the process's peak resident set size (VmHWM from /proc/self/status,
// in kB) to the file named by TINYPDM_TEST_PEAK_RSS, so a test can bound the
// memory a hostile input made the CLI use. No file means the process died
// without running its exit handlers (e.g. V8 out of memory).
import { readFileSync, writeFileSync } from 'node:fs';

const target = process.env.TINYPDM_TEST_PEAK_RSS;
if (target) {
  process.on('exit', () => {
    const m = /VmHWM:\s*(\d+)\s*kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    writeFileSync(target, m ? m[1] : '');
  });
}
