import type { ClipDb } from '../../data/index.js';
import type { Rng } from '../../util/index.js';

/**
 * Synthetic anomalies for ranking configurations when the user has no
 * anomalous recordings: each validation normal clip's dB columns (the
 * front-end's output before windowing, so every feature config sees the same
 * perturbation in its own bands) get one departure from normal, in the kinds
 * machine faults produce:
 *  - tone: a narrow band (1/32 of the Mel bands) louder by 12 dB, for the
 *    whole clip (a whine, a resonance, a bearing's squeal);
 *  - tilt: the spectrum tilted by ±8 dB from the lowest to the highest band
 *    (a change of load, speed or damping);
 *  - knocks: every band 15 dB louder in short bursts (one frame every ~20)
 *    (a loose part, a damaged tooth);
 *  - noise: a sixth of the bands 8 dB louder over half the clip (friction,
 *    a leak).
 * The AUC of a detector on the normal clips against these tells how far it
 * separates "not like the training normals" from normal clips it has not
 * seen; it is a proxy, not a substitute, for real anomalies (README, tune).
 * Levels are fixed, not tuned to a dataset; the kind is drawn per clip from
 * the seeded PRNG.
 */
export const PROXY_KINDS = ['tone', 'tilt', 'knocks', 'noise'] as const;
export type ProxyKind = (typeof PROXY_KINDS)[number];

export function proxyAnomaly(clip: ClipDb, kind: ProxyKind, rng: Rng): ClipDb {
  const { nMels, nFrames } = clip;
  const unit = clip.kind === 'q8' ? 256 : 1;
  const delta = new Float64Array(nMels * nFrames); // dB to add
  const add = (m: number, t: number, db: number) => (delta[m * nFrames + t]! += db);
  if (kind === 'tone') {
    const width = Math.max(1, Math.round(nMels / 32));
    const m0 = rng.int(nMels - width + 1);
    for (let m = m0; m < m0 + width; m++) for (let t = 0; t < nFrames; t++) add(m, t, 12);
  } else if (kind === 'tilt') {
    const sign = rng.next() < 0.5 ? -1 : 1;
    for (let m = 0; m < nMels; m++) for (let t = 0; t < nFrames; t++) add(m, t, sign * 8 * (nMels > 1 ? m / (nMels - 1) - 0.5 : 0) * 2);
  } else if (kind === 'knocks') {
    const period = 20;
    const phase = rng.int(period);
    for (let t = phase; t < nFrames; t += period) for (let m = 0; m < nMels; m++) add(m, t, 15);
  } else {
    const width = Math.max(1, Math.round(nMels / 6));
    const m0 = rng.int(nMels - width + 1);
    const t0 = rng.int(Math.max(1, Math.ceil(nFrames / 2)));
    for (let m = m0; m < m0 + width; m++) for (let t = t0; t < Math.min(nFrames, t0 + Math.ceil(nFrames / 2)); t++) add(m, t, 8);
  }
  if (clip.kind === 'q8') {
    const data = new Int16Array(clip.data.length);
    for (let i = 0; i < data.length; i++) data[i] = Math.max(-32768, Math.min(32767, clip.data[i]! + Math.round(delta[i]! * unit)));
    return { ...clip, data };
  }
  const data = new Float32Array(clip.data.length);
  for (let i = 0; i < data.length; i++) data[i] = clip.data[i]! + delta[i]!;
  return { ...clip, data };
}

/** One proxy anomaly per clip, kinds in turn from a seeded start so each kind appears about equally often. */
export function proxyAnomalies(clips: readonly ClipDb[], rng: Rng): Array<{ clip: ClipDb; kind: ProxyKind }> {
  const start = rng.int(PROXY_KINDS.length);
  return clips.map((c, i) => {
    const kind = PROXY_KINDS[(start + i) % PROXY_KINDS.length]!;
    return { clip: proxyAnomaly(c, kind, rng.derive(i)), kind };
  });
}
