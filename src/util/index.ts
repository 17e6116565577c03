/** Utilities below every stage: errors, resource limits, atomic outputs, .npy, the seeded RNG, C/YAML sanitising, the package version. */
export { TinyPdmError, InternalError, fail, isUserError, assertInternal, type ErrorCode } from './errors.js';
export { TOOL, VERSION } from './version.js';
export { writeAtomically } from './atomic.js';
export { readNpy } from './npy.js';
export { writeFileAtomic } from './atomic.js';
export { checkMemory } from './limits.js';
export { createRng } from './random.js';
export { writeNpy } from './npy.js';
export type { Rng } from './random.js';
export { encodeNpy } from './npy.js';
export { cComment } from './sanitize.js';
export { cIdentifier } from './sanitize.js';
export { yamlString } from './sanitize.js';
export { cStringLiteral } from './sanitize.js';
export { failUnreadable } from './limits.js';
export { readFileWithinCap } from './limits.js';
export { maxBytes } from './limits.js';
export { packagePath } from './package-root.js';
