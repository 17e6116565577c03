import type { ClipLabel, Domain } from './types.js';

/**
 * DCASE Task 2 file names, 2020–2024 (the task pages' dataset sections;
 * nttcslab's / y-kawagu's dcase20XX_task2_evaluator ground-truth files):
 *  - 2021–2024: `section_00_source_train_normal_0000_<attrs>.wav`,
 *    `section_00_target_test_anomaly_0012_<attrs>.wav` (2021 has no or
 *    fewer attributes);
 *  - 2021 evaluation set: `section_03_source_test_0000.wav` (domain, no label);
 *  - 2022–2024 evaluation set: `section_00_0000.wav` (no domain, no label);
 *  - 2020: `normal_id_00_00000000.wav`, `anomaly_id_00_00000000.wav`, and the
 *    evaluation set's `id_01_00000000.wav` (the machine id is the section).
 */
export interface DcaseName {
  label: ClipLabel;
  section: string;
  domain?: Domain;
  split?: 'train' | 'test';
  attributes?: Record<string, string>;
}

const MODERN = /^section_(\d+)_(source|target)_(train|test)_(normal|anomaly)_(\d+)(?:_(.+))?\.wav$/i;
const MODERN_UNLABELLED = /^section_(\d+)_(source|target)_(train|test)_(\d+)\.wav$/i;
const EVALUATION = /^section_(\d+)_(\d+)\.wav$/i;
const Y2020 = /^(normal|anomaly)_id_(\d+)_(\d+)\.wav$/i;
const Y2020_EVALUATION = /^id_(\d+)_(\d+)\.wav$/i;

/** The patterns, for messages. */
export const DCASE_NAME_EXAMPLES = 'section_00_source_train_normal_0000_<attrs>.wav, section_00_0000.wav, normal_id_00_00000000.wav';

export function parseDcaseName(name: string): DcaseName | undefined {
  let m = MODERN.exec(name);
  if (m) {
    return {
      label: m[4]!.toLowerCase() as ClipLabel,
      section: m[1]!,
      domain: m[2]!.toLowerCase() as Domain,
      split: m[3]!.toLowerCase() as 'train' | 'test',
      ...(m[6] ? { attributes: parseAttributes(m[6]) } : {}),
    };
  }
  m = MODERN_UNLABELLED.exec(name);
  if (m) return { label: 'unknown', section: m[1]!, domain: m[2]!.toLowerCase() as Domain, split: m[3]!.toLowerCase() as 'train' | 'test' };
  m = EVALUATION.exec(name);
  if (m) return { label: 'unknown', section: m[1]!, split: 'test' };
  m = Y2020.exec(name);
  if (m) return { label: m[1]!.toLowerCase() as ClipLabel, section: m[2]! };
  m = Y2020_EVALUATION.exec(name);
  if (m) return { label: 'unknown', section: m[1]! };
  return undefined;
}

/**
 * `car_A1_spd_28V_mic_1` → { car: 'A1', spd: '28V', mic: '1' }. Names whose
 * tokens do not pair up (2021's `strength_1_ambient`, 2024's `noAttribute`)
 * keep the whole string under `attrs`.
 */
export function parseAttributes(text: string): Record<string, string> {
  const tokens = text.split('_');
  if (tokens.length % 2 !== 0 || tokens.some((t) => t === '')) return { attrs: text };
  const out: Record<string, string> = Object.create(null) as Record<string, string>; // keys come from file names
  for (let i = 0; i < tokens.length; i += 2) {
    if (Object.hasOwn(out, tokens[i]!)) return { attrs: text };
    out[tokens[i]!] = tokens[i + 1]!;
  }
  return out;
}
