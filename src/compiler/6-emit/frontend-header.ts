import { fail } from '../../util/index.js';
import { TOOL } from '../../util/index.js';
import { frontEndFlashBytes, frontEndStateBytes, stateArrayLengths, type FrontEndTables } from '../../audio/index.js';
import { renderTemplate } from './render.js';

function cArray(values: ArrayLike<number>, perLine = 16): { count: number; body: string } {
  const list = values.length === 0 ? [0] : Array.from(values);
  const lines: string[] = [];
  for (let i = 0; i < list.length; i += perLine)
    lines.push(
      '  ' +
        list
          .slice(i, i + perLine)
          .map(String)
          .join(', ') +
        ',',
    );
  return { count: list.length, body: lines.join('\n') };
}

/** An int64 literal that stays exact for every value below 2^53. */
function int64Literal(v: number): string {
  return `(int64_t)${v}LL`;
}

/** A C header with every table for one configuration; `name` prefixes all its symbols. */
export function renderFrontEndHeader(t: FrontEndTables, name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    fail('BAD_ARGUMENT', `front-end header name "${name}" is not a C identifier; use letters, digits and _ only`);
  const r = t.resampler;
  const s = t.spec;
  const configFields = [
    `.pdm_rate = ${s.pdmRate}u`,
    `.target_rate = ${s.sampleRate}u`,
    `.passthrough = ${r.passthrough ? 1 : 0}u`,
    `.up = ${r.up}u`,
    `.down = ${r.down}u`,
    `.phases = ${r.phases}u`,
    `.taps_per_phase = ${r.tapsPerPhase}u`,
    `.tap_shift = ${r.tapShift}u`,
    `.step_whole = ${r.stepWhole}u`,
    `.step_rem = ${r.stepRem}u`,
    `.rem_start = ${r.remStart}u`,
    `.rem_modulus = ${r.remModulus}u`,
    `.taps = ${name}_taps`,
    `.n_fft = ${s.nFft}u`,
    `.log2_n_fft = ${t.log2NFft}u`,
    `.hop = ${s.hop}u`,
    `.frame_headroom_bits = ${t.frameHeadroomBits}u`,
    `.hann_q15 = ${name}_hann_q15`,
    `.twiddle_q15 = ${name}_twiddle_q15`,
    `.power_bits = ${t.powerBits}u`,
    `.n_mels = ${s.nMels}u`,
    `.mel_start = ${name}_mel_start`,
    `.mel_length = ${name}_mel_length`,
    `.mel_offset = ${name}_mel_offset`,
    `.mel_weights = ${name}_mel_weights`,
    `.mel_shift = ${name}_mel_shift`,
    `.log2_q16 = ${name}_log2_q16`,
    `.db_per_log2_q20 = ${t.dbPerLog2Q20}`,
    `.db_floor_q8 = ${t.dbFloorQ8}`,
    `.window_frames = ${s.windowFrames}u`,
    `.window_hop = ${s.windowHop}u`,
    `.top_db_q8 = ${t.topDbQ8}`,
    `.affine_mult = ${t.affineMult}`,
    `.affine_shift = ${t.affineShift}`,
    `.zero_point = ${t.zeroPoint}`,
    `.affine_add = ${int64Literal(t.affineAdd)}`,
    // Per-band tables, or null pointers (0) for one affine; C++ (-Wextra) wants every field named.
    ...(t.bandMult ? [`.band_mult = ${name}_band_mult`, `.band_add = ${name}_band_add`] : ['.band_mult = 0', '.band_add = 0']),
  ];
  // Per-band normalisation tables; none (and the fields left NULL) for one affine.
  const bandArrays = t.bandMult
    ? [
        `static const int32_t ${name}_band_mult[${t.bandMult.length}] = {\n${cArray(t.bandMult).body}\n};`,
        `static const int64_t ${name}_band_add[${t.bandAdd!.length}] = {\n${t.bandAdd!.map((v) => `  ${int64Literal(v)},`).join('\n')}\n};`,
      ]
    : [];
  const parameters = [
    `pdm ${s.pdmRate} Hz`,
    `target ${s.sampleRate} Hz`,
    `n_fft ${s.nFft}`,
    `hop ${s.hop}`,
    `n_mels ${s.nMels}`,
    `fmin ${s.fmin} Hz`,
    `fmax ${s.fmax} Hz`,
    `window ${s.windowFrames} frames / hop ${s.windowHop}`,
    `top_db ${s.topDb === null ? 'off' : s.topDb}`,
    s.affine.bands
      ? `per-band affine (${s.nMels} bands) scale=${s.affine.inputScale} zp=${s.affine.inputZeroPoint}`
      : `affine a=${s.affine.a} b=${s.affine.b} scale=${s.affine.inputScale} zp=${s.affine.inputZeroPoint}`,
  ].join(', ');
  const resampler = r.passthrough
    ? 'pass-through (target = PDM rate)'
    : `${r.up}/${r.down}, ${r.phases} phases × ${r.tapsPerPhase} taps (Q${r.tapShift}), passband ${r.passbandHz} Hz, stopband ${r.stopbandHz} Hz at ${r.attenuationDb} dB`;
  return renderTemplate('frontend_tables.h', {
    name,
    guard: `${name.toUpperCase()}_FRONTEND_TABLES_H`,
    banner: { tool: TOOL, parameters, resampler, flashBytes: frontEndFlashBytes(t), ramBytes: frontEndStateBytes(t) },
    taps: cArray(r.tapsQ),
    hann: cArray(t.hannQ15),
    twiddle: cArray(t.twiddleQ15),
    melStart: cArray(t.melStart),
    melLength: cArray(t.melLength),
    melOffset: cArray(t.melOffset),
    melWeights: cArray(t.melWeights),
    melShift: cArray(t.melShift),
    log2: cArray(t.log2Q16, 8),
    bandArrays,
    configFields,
    sizes: stateArrayLengths(t),
  });
}
