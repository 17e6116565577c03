import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { encodeWav16 } from '../../src/audio/wav.js';
import { seededRandom } from '../fixtures/models.js';

/**
 * Generated datasets with the real layouts' folder and file names (DCASE
 * 2020 and 2023, MIMII, ToyADMOS), filled with tiny seeded WAVs: a hum whose
 * pitch depends on the clip's section and domain, plus noise, and for
 * anomalies a burst of high-frequency clicks, so a model can tell them apart.
 */
export const TINY = { rate: 8000, seconds: 1.5 };

export function tinyClip(seed: number, opts: { anomaly?: boolean; pitch?: number; channels?: number } = {}): Uint8Array {
  const n = Math.round(TINY.rate * TINY.seconds);
  const rand = seededRandom(seed);
  const channels = opts.channels ?? 1;
  const data = Array.from({ length: channels }, (_, ch) => {
    const x = new Float32Array(n);
    const f0 = (opts.pitch ?? 220) * (1 + 0.02 * rand()) * (1 + 0.5 * ch);
    for (let i = 0; i < n; i++) {
      x[i] = 0.2 * Math.sin((2 * Math.PI * f0 * i) / TINY.rate) + 0.05 * (rand() - 0.5);
      if (opts.anomaly && i % 400 < 12) x[i] = x[i]! + 0.4 * Math.sin((2 * Math.PI * 3100 * i) / TINY.rate);
    }
    return x;
  });
  return channels === 1 ? encodeWav16(data[0]!, TINY.rate) : encodeMultichannel(data, TINY.rate);
}

/** A canonical 16-bit PCM WAV with interleaved channels (MIMII's files have 8). */
export function encodeMultichannel(channels: Float32Array[], rate: number): Uint8Array {
  const c = channels.length;
  const n = channels[0]!.length;
  const out = new Uint8Array(44 + 2 * n * c);
  const v = new DataView(out.buffer);
  const ascii = (at: number, s: string) => [...s].forEach((ch, i) => (out[at + i] = ch.charCodeAt(0)));
  ascii(0, 'RIFF');
  v.setUint32(4, 36 + 2 * n * c, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true);
  v.setUint16(22, c, true);
  v.setUint32(24, rate, true);
  v.setUint32(28, rate * 2 * c, true);
  v.setUint16(32, 2 * c, true);
  v.setUint16(34, 16, true);
  ascii(36, 'data');
  v.setUint32(40, 2 * n * c, true);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < c; k++)
      v.setInt16(44 + 2 * (i * c + k), Math.max(-32768, Math.min(32767, Math.round(channels[k]![i]! * 32767))), true);
  }
  return out;
}

async function put(file: string, bytes: Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, bytes);
}

const pad = (i: number, w: number) => String(i).padStart(w, '0');

/**
 * DCASE 2023-style development set for one machine: sections × {source,
 * target}; train/ holds `trainPerDomain` normals per domain (DCASE has 990
 * source and 10 target), test/ `testPerDomain` normals and as many anomalies.
 */
export async function writeDcase2023(
  dir: string,
  opts: { machine?: string; sections?: string[]; trainPerDomain?: [number, number]; testPerDomain?: number } = {},
): Promise<string> {
  const machine = path.join(dir, opts.machine ?? 'ToyCar');
  const [nSource, nTarget] = opts.trainPerDomain ?? [8, 2];
  let seed = 1;
  for (const section of opts.sections ?? ['00']) {
    for (const [domain, n] of [
      ['source', nSource],
      ['target', nTarget],
    ] as const) {
      const pitch = (domain === 'source' ? 200 : 260) + 10 * Number(section);
      for (let i = 0; i < n; i++) {
        await put(
          path.join(machine, 'train', `section_${section}_${domain}_train_normal_${pad(i, 4)}_car_A${i % 2}_spd_28V.wav`),
          tinyClip(seed++, { pitch }),
        );
      }
      for (let i = 0; i < (opts.testPerDomain ?? 3); i++) {
        await put(
          path.join(machine, 'test', `section_${section}_${domain}_test_normal_${pad(i, 4)}_car_A1_spd_28V.wav`),
          tinyClip(seed++, { pitch }),
        );
        await put(
          path.join(machine, 'test', `section_${section}_${domain}_test_anomaly_${pad(i, 4)}_car_A1_spd_28V.wav`),
          tinyClip(seed++, { pitch, anomaly: true }),
        );
      }
    }
  }
  return machine;
}

/** DCASE 2020-style: `normal_id_XX_*.wav` in train/, normals and anomalies in test/, machine id = section. */
export async function writeDcase2020(dir: string, machineName = 'fan', ids = ['00', '02'], perId = 4): Promise<string> {
  const machine = path.join(dir, machineName);
  let seed = 100;
  for (const id of ids) {
    const pitch = 200 + 30 * Number(id);
    for (let i = 0; i < perId; i++) await put(path.join(machine, 'train', `normal_id_${id}_${pad(i, 8)}.wav`), tinyClip(seed++, { pitch }));
    for (let i = 0; i < 2; i++) {
      await put(path.join(machine, 'test', `normal_id_${id}_${pad(i, 8)}.wav`), tinyClip(seed++, { pitch }));
      await put(path.join(machine, 'test', `anomaly_id_${id}_${pad(i, 8)}.wav`), tinyClip(seed++, { pitch, anomaly: true }));
    }
  }
  return machine;
}

/**
 * A DCASE 2023-style evaluation set: train/ as the development set's, test/
 * holds `section_00_NNNN.wav` with no label or domain, and an evaluator
 * folder as nttcslab publishes it (ground_truth_data/, ground_truth_domain/,
 * ground_truth_attributes/). Returns the machine folder and the evaluator folder.
 */
export async function writeDcase2023Eval(
  dir: string,
  machineName = 'ToyDrone',
): Promise<{ machine: string; evaluator: string; truth: Array<{ name: string; anomaly: boolean; domain: 'source' | 'target' }> }> {
  const machine = path.join(dir, machineName);
  let seed = 500;
  for (const [domain, n] of [
    ['source', 8],
    ['target', 2],
  ] as const) {
    for (let i = 0; i < n; i++) {
      await put(
        path.join(machine, 'train', `section_00_${domain}_train_normal_${pad(i, 4)}_noAttribute.wav`),
        tinyClip(seed++, { pitch: domain === 'source' ? 200 : 260 }),
      );
    }
  }
  const truth: Array<{ name: string; anomaly: boolean; domain: 'source' | 'target'; orig: string }> = [];
  // A fixed shuffle of (domain, label), as the real evaluation sets hide them.
  const plan: Array<['source' | 'target', boolean]> = [
    ['target', true],
    ['source', false],
    ['source', true],
    ['target', false],
    ['source', false],
    ['target', true],
    ['source', true],
    ['target', false],
  ];
  for (const [i, [domain, anomaly]] of plan.entries()) {
    const name = `section_00_${pad(i, 4)}.wav`;
    await put(path.join(machine, 'test', name), tinyClip(seed++, { pitch: domain === 'source' ? 200 : 260, anomaly }));
    truth.push({ name, anomaly, domain, orig: `section_00_${domain}_test_${anomaly ? 'anomaly' : 'normal'}_${pad(i, 4)}_noAttribute` });
  }
  const evaluator = path.join(dir, 'dcase2023_task2_evaluator');
  const csv = `ground_truth_${machineName}_section_00_test.csv`;
  await put(
    path.join(evaluator, 'ground_truth_data', csv),
    new TextEncoder().encode(truth.map((t) => `${t.name},${t.anomaly ? 1 : 0}\n`).join('')),
  );
  await put(
    path.join(evaluator, 'ground_truth_domain', csv),
    new TextEncoder().encode(truth.map((t) => `${t.name},${t.domain === 'target' ? 1 : 0}\n`).join('')),
  );
  await put(
    path.join(evaluator, 'ground_truth_attributes', csv),
    new TextEncoder().encode(truth.map((t) => `${t.name},${t.orig}\n`).join('')),
  );
  // Another machine's file in the same folders must be left out.
  await put(
    path.join(evaluator, 'ground_truth_data', 'ground_truth_Other_section_00_test.csv'),
    new TextEncoder().encode('section_00_0000.wav,0\n'),
  );
  return { machine, evaluator, truth };
}

/** MIMII: `<machine>/id_XX/{normal,abnormal}/*.wav`, optionally multi-channel. */
export async function writeMimii(
  dir: string,
  opts: { machine?: string; ids?: string[]; normal?: number; abnormal?: number; channels?: number } = {},
): Promise<string> {
  const machine = path.join(dir, opts.machine ?? 'fan');
  let seed = 900;
  for (const id of opts.ids ?? ['id_00', 'id_02']) {
    for (let i = 0; i < (opts.normal ?? 5); i++)
      await put(path.join(machine, id, 'normal', `${pad(i, 8)}.wav`), tinyClip(seed++, { channels: opts.channels ?? 1 }));
    for (let i = 0; i < (opts.abnormal ?? 2); i++)
      await put(path.join(machine, id, 'abnormal', `${pad(i, 8)}.wav`), tinyClip(seed++, { anomaly: true, channels: opts.channels ?? 1 }));
  }
  return machine;
}

/** ToyADMOS: `<machine>/case<N>/{NormalSound_IND,AnomalousSound_IND,NormalSound_CNT}/`, one file per microphone. */
export async function writeToyadmos(dir: string, opts: { machine?: string; cases?: number[]; mics?: number } = {}): Promise<string> {
  const machine = path.join(dir, opts.machine ?? 'ToyCar');
  let seed = 1300;
  for (const c of opts.cases ?? [1]) {
    for (let mic = 1; mic <= (opts.mics ?? 2); mic++) {
      for (let i = 1; i <= 5; i++) {
        await put(
          path.join(machine, `case${c}`, 'NormalSound_IND', `11000${c}0${pad(i, 3)}_ToyCar_case${c}_normal_IND_ch${mic}_${pad(i, 4)}.wav`),
          tinyClip(seed++, { pitch: 200 + 40 * mic }),
        );
      }
      for (const [ab, n] of [
        ['ab01', 2],
        ['ab02', 1],
      ] as const) {
        for (let i = 1; i <= n; i++) {
          await put(
            path.join(
              machine,
              `case${c}`,
              'AnomalousSound_IND',
              `11010${c}0${pad(i, 3)}_ToyCar_case${c}_${ab}_IND_ch${mic}_${pad(i, 4)}.wav`,
            ),
            tinyClip(seed++, { pitch: 200 + 40 * mic, anomaly: true }),
          );
        }
      }
      await put(
        path.join(machine, `case${c}`, 'NormalSound_CNT', `1100${c}10001_ToyCar_case${c}_normal_CNT_ch${mic}_0001.wav`),
        tinyClip(seed++),
      );
    }
  }
  return machine;
}
