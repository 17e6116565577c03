import path from 'node:path';
import { fail } from '../../util/index.js';
import { DCASE_NAME_EXAMPLES, parseDcaseName } from './dcase-names.js';
import { applyGroundTruth, readGroundTruth } from './ground-truth.js';
import { selectMachine } from './machine.js';
import { checkDistinctFiles, listFolder, wavFiles } from '../../util/index.js';
import { compareNames, type DatasetClip, type DatasetDescription, type DatasetOptions, type Domain } from './types.js';

/**
 * DCASE 2020–2024 Task 2: `<machine>/train/*.wav` and `<machine>/test/*.wav`
 * (2021's development set: `source_test/` and `target_test/`). The folders
 * are the dataset's own split; names give label, section, domain and
 * attributes (see dcase-names.ts). Evaluation-set test clips carry no label:
 * their ground truth comes from `--labels` (ground-truth.ts). A name that is
 * not a DCASE name is refused, not skipped; other folders beside train/ and
 * test/ are left alone and said so.
 */
const SPLIT_FOLDERS: Record<string, { split: 'train' | 'test'; domain?: Domain }> = {
  source_test: { split: 'test', domain: 'source' },
  target_test: { split: 'test', domain: 'target' },
  test: { split: 'test' },
  train: { split: 'train' },
};

/** A machine folder: a train/ or test/ folder whose first WAV has a DCASE name. */
export function isDcaseMachine(dir: string): boolean {
  const entries = listFolder(dir);
  if (!entries) return false;
  return Object.keys(SPLIT_FOLDERS).some((d) => {
    if (!entries.dirs.includes(d)) return false;
    const first = wavFiles(path.join(dir, d))[0];
    return first !== undefined && parseDcaseName(first) !== undefined;
  });
}

export function readDcase(root: string, opts: DatasetOptions = {}): DatasetDescription {
  const m = selectMachine(root, isDcaseMachine, opts.machine, 'DCASE');
  const notes = [...m.notes];
  const entries = listFolder(m.dir)!;
  const clips: DatasetClip[] = [];
  for (const folder of entries.dirs) {
    const info = SPLIT_FOLDERS[folder];
    const wavs = wavFiles(path.join(m.dir, folder));
    if (!info) {
      if (wavs.length > 0) notes.push(`DCASE: ${folder}/ (${wavs.length} WAV files) is not a train/ or test/ folder; not used`);
      continue;
    }
    for (const name of wavs) {
      const file = `${folder}/${name}`;
      const p =
        parseDcaseName(name) ??
        fail(
          'BAD_DATASET',
          `${path.join(m.dir, folder, name)}: not a DCASE Task 2 file name (${DCASE_NAME_EXAMPLES}); rename it or move it out of ${folder}/`,
        );
      if (p.split && p.split !== info.split)
        fail('BAD_DATASET', `${path.join(m.dir, file)}: a ${p.split} clip by its name in the ${folder}/ folder; move it to ${p.split}/`);
      if (p.domain && info.domain && p.domain !== info.domain)
        fail('BAD_DATASET', `${path.join(m.dir, file)}: a ${p.domain}-domain clip in ${folder}/; move it`);
      const domain = p.domain ?? info.domain;
      clips.push({
        file,
        label: p.label,
        section: p.section,
        ...(domain ? { domain } : {}),
        split: info.split,
        ...(p.attributes ? { attributes: p.attributes } : {}),
      });
    }
  }
  if (entries.wavs.length > 0)
    notes.push(`DCASE: ${entries.wavs.length} WAV file(s) directly in ${m.dir} are in neither train/ nor test/; not used`);
  clips.length > 0 ||
    fail(
      'BAD_DATASET',
      `${m.dir}: no WAV clips in train/ or test/; pass a DCASE machine folder (<machine>/train/*.wav, <machine>/test/*.wav)`,
    );
  clips.sort((a, b) => compareNames(a.file, b.file));
  checkDistinctFiles(
    m.dir,
    clips.map((c) => c.file),
  );
  if (opts.labels && opts.labels.length > 0) {
    const { truth, files } = readGroundTruth(opts.labels, m.machine);
    const applied = applyGroundTruth(clips, truth);
    notes.push(`labels: ground truth for ${applied} clip(s) from ${files.length} CSV file(s)`);
  }
  return {
    root: m.dir,
    layout: 'dcase',
    machine: m.machine,
    definesSplit: true,
    clips,
    notes,
    ...(opts.channel !== undefined ? { channel: opts.channel, wavChannel: opts.channel } : {}),
  };
}
