import { fail } from '../../util/index.js';
import type { RunConfig, RunDataset, RunTestClip } from '../run-config.js';
import type { PlannedSplit } from './plan.js';
import { readDataset } from './read.js';
import { DOMAINS, compareNames, type DatasetClip, type DatasetDescription } from './types.js';

/**
 * The dataset half of tinypdm.json: what train read, so eval and emit re-read
 * the same folder the same way and score exactly the same test set.
 */
export function runDatasetOf(d: DatasetDescription, plan: PlannedSplit): RunDataset | undefined {
  if (d.layout === 'tinypdm') return undefined; // its runs stay as they always were
  return {
    layout: d.layout,
    ...(d.machine !== undefined ? { machine: d.machine } : {}),
    ...(d.channel !== undefined ? { channel: d.channel } : {}),
    ...(d.wavChannel !== undefined ? { wavChannel: d.wavChannel } : {}),
    split: plan.source,
    sections: sectionsOf(d.clips),
    domains: DOMAINS.filter((x) => d.clips.some((c) => c.domain === x)),
    test: plan.testClips.map(testClipOf),
  };
}

export function sectionsOf(clips: readonly DatasetClip[]): string[] {
  return [...new Set(clips.flatMap((c) => (c.section !== undefined ? [c.section] : [])))].sort(compareNames);
}

export function testClipOf(c: DatasetClip): RunTestClip {
  return {
    file: c.file,
    label: c.label,
    ...(c.type !== undefined ? { type: c.type } : {}),
    ...(c.section !== undefined ? { section: c.section } : {}),
    ...(c.domain !== undefined ? { domain: c.domain } : {}),
  };
}

/** Re-reads a run's dataset folder with the layout, machine and channel the run recorded (tinypdm's own layout when none). */
export function readRunDataset(dir: string, run: Pick<RunConfig, 'dataset'>, labels?: readonly string[]): DatasetDescription {
  const d = run.dataset;
  if (!d) return readDataset(dir, { layout: 'tinypdm' });
  return readDataset(dir, {
    layout: d.layout,
    ...(d.machine !== undefined ? { machine: d.machine } : {}),
    ...(d.channel !== undefined ? { channel: d.channel } : {}),
    ...(labels && labels.length > 0 ? { labels } : {}),
  });
}

/**
 * The run's recorded test set, checked against the folder: every clip must
 * still be there, and labels missing at training time (an evaluation set)
 * are taken from the folder's ground truth (`--labels`) now.
 */
export function runTestClips(run: RunDataset, d: DatasetDescription, dir: string): RunTestClip[] {
  const byFile = new Map(d.clips.map((c) => [c.file, c]));
  return run.test.map((t) => {
    const now =
      byFile.get(t.file) ??
      fail('RUN_MISMATCH', `${dir}: the run's test clip ${t.file} is not in this dataset; evaluate on the dataset the run was trained on`);
    if (t.label !== 'unknown') return t;
    return testClipOf({ ...now, ...(t.type !== undefined ? { type: t.type } : {}) });
  });
}

/** The clips `eval --test DIR` scores: the dataset's test split where it defines one, else every clip. */
export function testClipsOf(d: DatasetDescription): RunTestClip[] {
  return (d.definesSplit ? d.clips.filter((c) => c.split === 'test') : d.clips).map(testClipOf);
}

/** Refuses a test set with clips whose ground truth is unknown, naming one and the flag that supplies it. */
export function requireLabels(clips: readonly RunTestClip[], dir: string): void {
  const unknown = clips.filter((c) => c.label === 'unknown');
  if (unknown.length === 0) return;
  fail(
    'MISSING_LABELS',
    `${dir}: ${unknown.length} test clip(s) carry no label (e.g. ${unknown[0]!.file}): an evaluation set; pass --labels with its ground truth (nttcslab's dcase20XX_task2_evaluator ground_truth_data/ground_truth_<machine>_section_<NN>_test.csv, or the evaluator's folder) to eval, or to train so the run records it for emit --eval-data`,
  );
}
