import {
  createWindower,
  defaultCacheDir,
  extractClips,
  readRunDataset,
  stackWindows,
  type ClipDb,
  type RunConfig,
  type StackedWindows,
} from '../data/index.js';

/**
 * Model windows of some of a run's own clips (e.g. its training or validation
 * normals), read from the run's dataset exactly as train read it: the layout's
 * root and microphone channel, the run's features and normalisation.
 */
export async function runWindows(
  config: RunConfig,
  data: string,
  files: readonly string[],
  cacheDir?: string,
): Promise<{ db: ClipDb[]; w: StackedWindows }> {
  const d = readRunDataset(data, config);
  const db = await extractClips(d.root, files, config.features, {
    cacheDir: cacheDir ?? defaultCacheDir(data),
    ...(d.wavChannel !== undefined ? { channel: d.wavChannel } : {}),
  });
  const windower = createWindower(config.features, config.normalization);
  return { db, w: stackWindows(db.map((c, i) => windower(c, files[i]!))) };
}
