import { fail } from '../../util/index.js';

/**
 * The one check of a sketch name, shared by `emit --board` (the sketch folder
 * and its .ino) and `ci` (the workflow that runs emit and compiles that
 * folder), so a name one accepts the other never refuses. The Arduino IDE and
 * arduino-cli want a letter first, then letters, digits and '_' (at most 63),
 * and the name becomes a folder, a file and a C identifier.
 */
const SKETCH_NAME = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;

export function checkSketchName(name: string): string {
  if (!SKETCH_NAME.test(name)) {
    fail(
      'BAD_ARGUMENT',
      `--sketch-name ${JSON.stringify(name)} is not a valid sketch name; ` +
        "use a letter followed by letters, digits or '_' (at most 63), e.g. tinypdm_detector",
    );
  }
  return name;
}
