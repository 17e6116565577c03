import path from 'node:path';
import { fail } from '../../util/index.js';
import { selectMachine } from './machine.js';
import { checkDistinctFiles, listFolder, subfolders, wavFiles } from '../../util/index.js';
import { compareNames, type DatasetClip, type DatasetDescription, type DatasetOptions } from './types.js';

/**
 * MIMII (Purohit et al., DCASE 2019 workshop): `<machine>/id_XX/normal/*.wav`
 * and `<machine>/id_XX/abnormal/*.wav`, 16 kHz, recorded with an 8-microphone
 * array (8-channel files; copies reduced to one channel are mono). The
 * machine id is the section. MIMII defines no train/test split, so train
 * makes its own seeded split of the normals and every abnormal clip is a test
 * clip. `--channel N` picks the array's channel N (default 0); a mono file is
 * read as it is. DIR may also be one id's folder (normal/ + abnormal/).
 */
export const MIMII_DEFAULT_CHANNEL = 0;

function isIdFolder(dir: string): boolean {
  const dirs = subfolders(dir);
  return dirs.includes('normal') && dirs.includes('abnormal');
}

function isMachine(dir: string): boolean {
  return isIdFolder(dir) || subfolders(dir).some((d) => /^id_\d+$/.test(d) && isIdFolder(path.join(dir, d)));
}

export function readMimii(root: string, opts: DatasetOptions = {}): DatasetDescription {
  const channel = opts.channel ?? MIMII_DEFAULT_CHANNEL;
  const single = isIdFolder(root);
  const m = single ? { dir: root, machine: opts.machine, notes: [] as string[] } : selectMachine(root, isMachine, opts.machine, 'MIMII');
  const notes = [...m.notes];
  const ids = single ? [''] : subfolders(m.dir).filter((d) => /^id_\d+$/.test(d) && isIdFolder(path.join(m.dir, d)));
  const clips: DatasetClip[] = [];
  for (const id of ids) {
    const base = id === '' ? m.dir : path.join(m.dir, id);
    const section = id !== '' ? id : /^id_\d+$/.test(path.basename(path.resolve(root))) ? path.basename(path.resolve(root)) : undefined;
    for (const [folder, label] of [
      ['normal', 'normal'],
      ['abnormal', 'anomaly'],
    ] as const) {
      for (const name of wavFiles(path.join(base, folder))) {
        clips.push({ file: id === '' ? `${folder}/${name}` : `${id}/${folder}/${name}`, label, ...(section ? { section } : {}) });
      }
    }
    const stray = listFolder(base)!.wavs.length;
    if (stray > 0) notes.push(`MIMII: ${stray} WAV file(s) directly in ${base} are in neither normal/ nor abnormal/; not used`);
  }
  clips.some((c) => c.label === 'normal') ||
    fail('BAD_DATASET', `${m.dir}: no MIMII normal clips (id_XX/normal/*.wav); pass a MIMII machine folder`);
  clips.sort((a, b) => compareNames(a.file, b.file));
  checkDistinctFiles(
    m.dir,
    clips.map((c) => c.file),
  );
  notes.push(
    `MIMII: channel ${channel} of each file (--channel), ${ids.length} machine id(s); no split defined: the normals get tinypdm's seeded split, every abnormal clip is a test clip`,
  );
  return {
    root: m.dir,
    layout: 'mimii',
    ...(m.machine !== undefined ? { machine: m.machine } : {}),
    channel,
    wavChannel: channel,
    definesSplit: false,
    clips,
    notes,
  };
}
