// Test instrumentation, loaded with `node --import` into the real CLI: makes
// fs/promises.open throw a plain TypeError, as a bug in our own code would,
// so the CLI's internal-error path (exit 2) can be exercised end to end
// without a test-only hook in production code.
import fsp from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';

fsp.open = async () => {
  throw new TypeError('simulated bug: cannot read properties of undefined');
};
syncBuiltinESMExports();
