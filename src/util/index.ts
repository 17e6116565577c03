/** Utilities below every stage: errors, resource limits, atomic outputs, .npy, the seeded RNG, C/YAML sanitising, the package version. */
export { TinyPdmError, InternalError, fail, isUserError, assertInternal, type ErrorCode } from './errors.js';
export { TOOL, VERSION } from './version.js';
export {
  writeOutputFolder,
  checkOutputFile,
  writeOutputFile,
  OUTPUT_MARKER,
  type OutputInput,
  type OutputFolderOptions,
  type OutputFileOptions,
} from './output/index.js';
export { readNpy } from './npy.js';
export { writeFileAtomic } from './atomic.js';
export { checkMemory } from './limits.js';
export { createRng } from './random.js';
export { writeNpy, NPY_FILE } from './npy.js';
export type { Rng } from './random.js';
export { encodeNpy } from './npy.js';
export { cComment } from './sanitize.js';
export { cIdentifier } from './sanitize.js';
export { yamlString } from './sanitize.js';
export { cStringLiteral } from './sanitize.js';
export {
  readInput,
  readInputSync,
  readInputText,
  readInputUpTo,
  checkInputFileSync,
  isMissingInput,
  undefinedIfMissing,
  failRead,
  TEXT_LIMIT,
  type ReadInputOptions,
} from './read-input.js';
export { confinedPath, confinedRealPath, plainRelativePath } from './confine.js';
export { aboutFile } from './about-file.js';
export { maxBytes, formatBytes } from './limits.js';
export { packagePath } from './package-root.js';
export { checkDistinctFiles, subfolders, wavFiles } from './list-folder.js';
export { listFolder } from './list-folder.js';
