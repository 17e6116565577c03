import { assertInternal } from '../../util/index.js';

/**
 * A minimal 16-bit PCM mono WAV encoder: a canonical 44-byte RIFF header and
 * little-endian samples. Written here rather than through a library so that
 * the bytes are fully specified (no optional chunks, no metadata), which the
 * dataset's byte-for-byte determinism relies on.
 */
export interface Pcm16 {
  bytes: Uint8Array;
  /** Samples that were outside [-1, 1] and were clipped. */
  clipped: number;
}

export function encodeWavPcm16(samples: Float32Array, sampleRate: number): Pcm16 {
  const dataBytes = samples.length * 2;
  const buf = new ArrayBuffer(44 + dataBytes);
  const v = new DataView(buf);
  const ascii = (offset: number, s: string) => {
    for (let i = 0; i < s.length; i++) v.setUint8(offset + i, s.charCodeAt(i));
  };
  ascii(0, 'RIFF');
  v.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  v.setUint32(16, 16, true); // fmt chunk size
  v.setUint16(20, 1, true); // PCM
  v.setUint16(22, 1, true); // mono
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * 2, true); // byte rate
  v.setUint16(32, 2, true); // block align
  v.setUint16(34, 16, true); // bits per sample
  ascii(36, 'data');
  v.setUint32(40, dataBytes, true);
  let clipped = 0;
  for (let i = 0; i < samples.length; i++) {
    let x = samples[i]!;
    // The generators' parameters are validated: a non-finite sample is a bug in them, not in the user's options.
    assertInternal(Number.isFinite(x), `synth produced sample ${i} = ${x}`);
    if (x > 1 || x < -1) {
      clipped++;
      x = x > 1 ? 1 : -1;
    }
    // Scale by 32767 so +1 and -1 map symmetrically; round half away from zero.
    const q = x >= 0 ? Math.floor(x * 32767 + 0.5) : -Math.floor(-x * 32767 + 0.5);
    v.setInt16(44 + 2 * i, q, true);
  }
  return { bytes: new Uint8Array(buf), clipped };
}
