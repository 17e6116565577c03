import { existsSync } from 'node:fs';
import { fail } from '../../util/index.js';
import { checkInputFileSync } from '../../util/index.js';

/** DejaVuSans.ttf is 740 KB; a font file is never near this. */
const FONT_LIMIT = 64 * 1024 ** 2;

/**
 * The one font our plots use. resvg draws no text without a font file, and
 * system font discovery would make PNGs depend on the machine, so we name the
 * family in every spec and load exactly this file.
 */
export const PLOT_FONT_FAMILY = 'DejaVu Sans';

const CANDIDATES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', // Debian/Ubuntu fonts-dejavu-core
  '/usr/share/fonts/dejavu/DejaVuSans.ttf', // Fedora, Alpine
  '/usr/share/fonts/TTF/DejaVuSans.ttf', // Arch
  '/opt/homebrew/share/fonts/DejaVuSans.ttf',
  '/Library/Fonts/DejaVuSans.ttf',
];

export function plotFontFile(): string {
  const fromEnv = process.env.TINYPDM_PLOT_FONT;
  if (fromEnv) {
    // resvg reads it by its path: it must be a regular file of a font's size (not a FIFO or a device).
    const fix = 'set TINYPDM_PLOT_FONT to a DejaVuSans.ttf file';
    checkInputFileSync(fromEnv, { what: 'a font file', fix, limit: FONT_LIMIT, label: `TINYPDM_PLOT_FONT ${fromEnv}` });
    return fromEnv;
  }
  return (
    CANDIDATES.find((f) => existsSync(f)) ??
    fail(
      'TOOL_MISSING',
      `no DejaVu Sans font for plot PNGs (looked in ${CANDIDATES.join(', ')}); install it (Debian: apt-get install fonts-dejavu-core) or set TINYPDM_PLOT_FONT to a .ttf file`,
    )
  );
}
