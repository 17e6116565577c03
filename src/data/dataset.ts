import path from 'node:path';
import type { FeatureSpec } from './run-config.js';
import { clipDb, type ClipDb, type ModelWindows } from './features/index.js';

/**
 * Dataset features for train and eval: each clip's dB columns (cached per
 * file content and feature config) and the stacked model windows.
 */
export { listDataset, type DatasetFiles } from './features/index.js';

/** The default feature cache: `.cache/tinypdm/` inside the dataset folder. */
export function defaultCacheDir(dataDir: string): string {
  return path.join(dataDir, '.cache', 'tinypdm');
}

export interface ExtractOptions {
  cacheDir?: string;
  /** The channel read from multi-channel WAVs (a run's `dataset.wavChannel`); undefined = the mix. */
  channel?: number;
  onProgress?: (done: number, total: number, file: string) => void;
}

/** dB columns of clips given relative to `root`, in the order given. */
export async function extractClips(root: string, files: readonly string[], f: FeatureSpec, opts: ExtractOptions = {}): Promise<ClipDb[]> {
  const out: ClipDb[] = [];
  const clipOpts = {
    ...(opts.cacheDir ? { cacheDir: opts.cacheDir } : {}),
    ...(opts.channel !== undefined ? { channel: opts.channel } : {}),
  };
  for (const [i, rel] of files.entries()) {
    out.push(await clipDb(path.join(root, ...rel.split('/')), f, clipOpts));
    opts.onProgress?.(i + 1, files.length, rel);
  }
  return out;
}

export interface StackedWindows {
  count: number;
  x: Float32Array;
  q: Int8Array;
  /** Index of the clip each window came from. */
  clipOf: Int32Array;
}

/** Concatenates per-clip windows into one [N, n_mels, W] batch. */
export function stackWindows(perClip: readonly ModelWindows[]): StackedWindows {
  const count = perClip.reduce((s, w) => s + w.count, 0);
  const size = perClip.find((w) => w.count > 0)?.x.length ?? 0;
  const each = size / Math.max(1, perClip.find((w) => w.count > 0)?.count ?? 1);
  const x = new Float32Array(count * each);
  const q = new Int8Array(count * each);
  const clipOf = new Int32Array(count);
  let at = 0;
  perClip.forEach((w, c) => {
    x.set(w.x, at * each);
    q.set(w.q, at * each);
    clipOf.fill(c, at, at + w.count);
    at += w.count;
  });
  return { count, x, q, clipOf };
}
