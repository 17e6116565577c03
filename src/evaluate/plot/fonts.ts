import { existsSync } from 'node:fs';
import { fail } from '../../util/index.js';

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
    return existsSync(fromEnv) ? fromEnv : fail('FILE_NOT_FOUND', `TINYPDM_PLOT_FONT points to ${fromEnv}, which does not exist; set it to a DejaVuSans.ttf file`);
  }
  return (
    CANDIDATES.find((f) => existsSync(f)) ??
    fail('TOOL_MISSING', `no DejaVu Sans font for plot PNGs (looked in ${CANDIDATES.join(', ')}); install it (Debian: apt-get install fonts-dejavu-core) or set TINYPDM_PLOT_FONT to a .ttf file`)
  );
}
