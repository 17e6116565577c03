/**
 * Everything tinypdm writes for a user goes through here. Folders: checked
 * before any work, one writer at a time, built in a temp folder and swapped in,
 * replacing only an empty folder or the same command's unchanged output (its
 * `.tinypdm-output.json` marker). Files: renamed into place, never over an
 * input or a file of another kind. Inputs and the current folder are never
 * destinations. Cancellation through an AbortSignal; no signal handlers here.
 */
export { writeOutputFolder, type OutputFolderOptions } from './folder.js';
export { checkOutputFile, writeOutputFile, type OutputFileOptions } from './file.js';
export type { OutputInput } from './destination.js';
export { OUTPUT_MARKER, type OutputMarker } from './marker.js';
