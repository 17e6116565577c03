import path from 'node:path';
import { fail } from '../../util/index.js';
import { selectMachine } from './machine.js';
import { checkDistinctFiles, subfolders, wavFiles } from '../../util/index.js';
import { compareNames, type DatasetClip, type DatasetDescription, type DatasetOptions } from './types.js';

/**
 * ToyADMOS (Koizumi et al., WASPAA 2019; YumaKoizumi/ToyADMOS-dataset):
 * `<machine>/case<N>/NormalSound_IND/*.wav` and `AnomalousSound_IND/*.wav`,
 * 48 kHz, one file per microphone: `..._case1_normal_IND_ch1_0001.wav`,
 * `..._case1_ab01_IND_ch1_0001.wav` (ab01 = the anomaly condition, used as
 * the anomaly type). `NormalSound_CNT` holds long continuous recordings, not
 * clips, and is not used. `--channel N` takes the `_ch{N+1}_` files (default
 * 0 = ch1, the seed paper's choice); the other microphones' files are not
 * inputs. The case is the section. No split is defined: train makes its
 * seeded split of the normals, every anomalous clip is a test clip. DIR may
 * also be one case's folder.
 */
export const TOYADMOS_DEFAULT_CHANNEL = 0;
const CLIP_FOLDERS: Record<string, 'normal' | 'anomaly'> = { NormalSound_IND: 'normal', AnomalousSound_IND: 'anomaly' };

function isCaseFolder(dir: string): boolean {
  return subfolders(dir).some((d) => /^(NormalSound|AnomalousSound)_/.test(d));
}

function isMachine(dir: string): boolean {
  return isCaseFolder(dir) || subfolders(dir).some((d) => /^case\d+$/i.test(d) && isCaseFolder(path.join(dir, d)));
}

export function readToyadmos(root: string, opts: DatasetOptions = {}): DatasetDescription {
  const channel = opts.channel ?? TOYADMOS_DEFAULT_CHANNEL;
  (Number.isInteger(channel) && channel >= 0) ||
    fail('BAD_ARGUMENT', `--channel ${channel}: expected a microphone index 0, 1, 2, ... (0 = the _ch1_ files)`);
  const tag = `_ch${channel + 1}_`;
  const single = isCaseFolder(root);
  const m = single ? { dir: root, machine: opts.machine, notes: [] as string[] } : selectMachine(root, isMachine, opts.machine, 'ToyADMOS');
  const notes = [...m.notes];
  const cases = single ? [''] : subfolders(m.dir).filter((d) => /^case\d+$/i.test(d) && isCaseFolder(path.join(m.dir, d)));
  const clips: DatasetClip[] = [];
  let otherChannels = 0;
  for (const c of cases) {
    const base = c === '' ? m.dir : path.join(m.dir, c);
    const section = c !== '' ? c : /^case\d+$/i.test(path.basename(path.resolve(root))) ? path.basename(path.resolve(root)) : undefined;
    for (const folder of subfolders(base)) {
      const label = CLIP_FOLDERS[folder];
      const wavs = wavFiles(path.join(base, folder));
      if (!label) {
        if (wavs.length > 0)
          notes.push(
            `ToyADMOS: ${c ? `${c}/` : ''}${folder}/ (${wavs.length} WAV files) is not a clip folder (NormalSound_IND, AnomalousSound_IND); not used`,
          );
        continue;
      }
      for (const name of wavs) {
        /_ch\d+_/i.test(name) ||
          fail(
            'BAD_DATASET',
            `${path.join(base, folder, name)}: no _chN_ microphone tag in the name (ToyADMOS names: ..._case1_normal_IND_ch1_0001.wav); rename it`,
          );
        if (!name.toLowerCase().includes(tag)) {
          otherChannels++;
          continue;
        }
        const type = label === 'anomaly' ? /_(ab\d+)_/i.exec(name)?.[1]?.toLowerCase() : undefined;
        const rel = c === '' ? `${folder}/${name}` : `${c}/${folder}/${name}`;
        clips.push({ file: rel, label, ...(type ? { type } : {}), ...(section ? { section } : {}) });
      }
    }
  }
  clips.some((c) => c.label === 'normal') ||
    fail(
      'BAD_DATASET',
      `${m.dir}: no ToyADMOS normal clips with ${tag} in their name (case*/NormalSound_IND/*${tag}*.wav); check --channel`,
    );
  clips.sort((a, b) => compareNames(a.file, b.file));
  checkDistinctFiles(
    m.dir,
    clips.map((x) => x.file),
  );
  notes.push(
    `ToyADMOS: the ${tag.slice(1, -1)} microphone's files (--channel ${channel})${otherChannels ? `; ${otherChannels} files of other microphones not used` : ''}; no split defined: the normals get tinypdm's seeded split, every anomalous clip is a test clip`,
  );
  return {
    root: m.dir,
    layout: 'toyadmos',
    ...(m.machine !== undefined ? { machine: m.machine } : {}),
    channel,
    definesSplit: false,
    clips,
    notes,
  };
}
