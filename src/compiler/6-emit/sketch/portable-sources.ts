import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { bannerContext, renderTemplate, type BannerInfo } from '../render.js';
import { packagePath } from '../../../util/index.js';

/** Where the portable C lives in the sketch: arduino-cli compiles src/ recursively, and quoted includes resolve beside each file. */
export const PORTABLE_DIR = 'src/tinypdm';

/** The hand-written portable C99 copied into every sketch: the front-end and the core (ring, score, detector). */
const PORTABLE_FOLDERS = ['frontend', 'core'] as const;
const FIRMWARE_DIR = packagePath('firmware') + path.sep;

/** Core files only a run with `scoring` uses (scorer.c and what it calls); other sketches leave them out. */
const SCORING_SOURCES = new Set(['scorer.c', 'scorer.h', 'window_score.c', 'window_score.h', 'clip_score.c', 'clip_score.h']);

/** `src/tinypdm/<file>` → content, each behind a banner naming its origin. Sorted, so output order is stable. */
export function emitPortableSources(banner: BannerInfo, opts: { scoring?: boolean } = {}): Record<string, string> {
  const files: Record<string, string> = {};
  for (const folder of PORTABLE_FOLDERS) {
    const names = readdirSync(`${FIRMWARE_DIR}${folder}`)
      .filter((f) => /\.[ch]$/.test(f) && (opts.scoring || !SCORING_SOURCES.has(f)))
      .sort();
    for (const name of names) {
      const content = readFileSync(`${FIRMWARE_DIR}${folder}/${name}`, 'utf8');
      files[`${PORTABLE_DIR}/${name}`] = renderTemplate('sketch/portable_source', {
        ...bannerContext(banner),
        origin: `firmware/${folder}/${name}`,
        content,
      });
    }
  }
  return files;
}
