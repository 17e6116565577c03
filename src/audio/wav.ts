import wavefile from 'wavefile';
import { fail } from '../util/index.js';
import { writeFileAtomic } from '../util/index.js';
import { checkMemory } from '../util/index.js';
import { readInputSync } from '../util/index.js';

/**
 * WAV input and output.
 *
 * The RIFF chunk list is walked and checked here first (every chunk size
 * against the bytes really present, the fmt fields against what we decode),
 * so that a corrupt or hostile header is refused with a clear message before
 * anything is allocated from it. Only then does `wavefile` decode the samples.
 */

export interface WavAudio {
  sampleRate: number;
  /** One channel (picked or mixed), full scale ±1. */
  samples: Float32Array;
  /** Channels in the file. */
  channels: number;
  bitsPerSample: number;
  /** 'pcm' (signed integer) or 'float' (IEEE). */
  format: 'pcm' | 'float';
  durationSec: number;
}

export interface WavInt16 extends Omit<WavAudio, 'samples'> {
  /** One channel as the PDM microphone delivers it: signed 16-bit. */
  samples: Int16Array;
}

export interface ReadWavOptions {
  /** A 0-based channel index, or 'mix' to average all channels (default). */
  channel?: number | 'mix';
}

const CONVERT_HINT = 'convert it with: sox in.wav -b 16 -e signed-integer out.wav';
const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_EXTENSIBLE = 0xfffe;
const ENCODING_NAMES: Record<number, string> = { 2: 'MS ADPCM', 6: '8-bit A-law', 7: '8-bit μ-law', 0x11: 'IMA ADPCM', 0x55: 'MP3' };

interface WavLayout {
  format: 'pcm' | 'float';
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  extensible: boolean;
  dataOffset: number;
  dataBytes: number;
}

/** Walks the RIFF chunks and validates the header; throws BAD_WAV naming the file. */
export function inspectWav(bytes: Uint8Array, file: string): WavLayout {
  const bad = (why: string): never => fail('BAD_WAV', `${file}: ${why}`);
  if (bytes.length === 0) bad('the file is empty (0 bytes); re-record or re-copy it');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const id = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (bytes.length < 12) bad(`only ${bytes.length} bytes, too short for a RIFF/WAVE header: the file is truncated; re-copy it`);
  const container = id(0);
  if (container === 'RIFX' || container === 'RF64') bad(`${container} WAV containers are not supported; ${CONVERT_HINT}`);
  if (container !== 'RIFF' || id(8) !== 'WAVE')
    bad(`not a RIFF/WAVE file (it starts with '${printable(bytes.subarray(0, 4))}'); export it as WAV or ${CONVERT_HINT}`);

  let fmt: Omit<WavLayout, 'dataOffset' | 'dataBytes'> | undefined;
  let data: { offset: number; bytes: number } | undefined;
  for (let at = 12; at + 8 <= bytes.length && !data;) {
    const chunk = id(at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (chunk === 'data') {
      // Check the claimed sample bytes against the file before anything reads them.
      if (body + size > bytes.length)
        bad(
          `the header claims ${size} bytes of samples but only ${bytes.length - body} follow: the file is truncated; re-record or re-copy it`,
        );
      data = { offset: body, bytes: size };
    } else {
      if (body + size > bytes.length)
        bad(`the '${printable(bytes.subarray(at, at + 4))}' chunk runs past the end of the file: the file is truncated; re-copy it`);
      if (chunk === 'fmt ') fmt = parseFmt(view, body, size, bad);
    }
    at = body + size + (size & 1); // chunks are word-aligned
  }
  if (!fmt) return bad(`no 'fmt ' chunk before the samples: not a valid WAV file (or truncated); ${CONVERT_HINT}`);
  if (!data) return bad(`no 'data' chunk: the file holds no samples or is truncated; re-record or re-copy it`);
  if (data.bytes === 0) bad('the data chunk holds no samples; re-record the clip');
  const frameBytes = (fmt.channels * fmt.bitsPerSample) / 8;
  if (data.bytes % frameBytes !== 0)
    bad(`the data chunk holds ${data.bytes} bytes, not a whole number of ${frameBytes}-byte frames: the file is truncated; re-copy it`);
  return { ...fmt, dataOffset: data.offset, dataBytes: data.bytes };
}

function parseFmt(view: DataView, at: number, size: number, bad: (why: string) => never): Omit<WavLayout, 'dataOffset' | 'dataBytes'> {
  if (size < 16) bad(`the 'fmt ' chunk is ${size} bytes, less than the 16 a WAV header needs; ${CONVERT_HINT}`);
  let code = view.getUint16(at, true);
  const channels = view.getUint16(at + 2, true);
  const sampleRate = view.getUint32(at + 4, true);
  const blockAlign = view.getUint16(at + 12, true);
  const bitsPerSample = view.getUint16(at + 14, true);
  const extensible = code === FORMAT_EXTENSIBLE;
  if (extensible) {
    if (size < 40) bad(`the extensible 'fmt ' chunk is ${size} bytes, less than 40; ${CONVERT_HINT}`);
    code = view.getUint16(at + 24, true); // first two bytes of the sub-format GUID
  }
  if (channels === 0) bad(`the header says 0 channels; the file is damaged; re-record it or ${CONVERT_HINT}`);
  if (sampleRate === 0) bad(`the header says a sample rate of 0 Hz; the file is damaged; re-record it`);
  if (code !== FORMAT_PCM && code !== FORMAT_FLOAT) {
    const name = ENCODING_NAMES[code] ?? `encoding 0x${code.toString(16)}`;
    bad(`${name} is not supported (only PCM 16/24/32-bit and float32); ${CONVERT_HINT}`);
  }
  const format = code === FORMAT_FLOAT ? 'float' : 'pcm';
  const supported = format === 'float' ? [32, 64] : [16, 24, 32];
  if (!supported.includes(bitsPerSample))
    bad(
      `${bitsPerSample}-bit ${format === 'float' ? 'float' : 'PCM'} is not supported (only PCM 16/24/32-bit and float32); ${CONVERT_HINT}`,
    );
  if (blockAlign !== (channels * bitsPerSample) / 8)
    bad(`block align ${blockAlign} does not match ${channels} channels of ${bitsPerSample} bits; the header is damaged; ${CONVERT_HINT}`);
  return { format, channels, sampleRate, bitsPerSample, extensible };
}

function printable(b: Uint8Array): string {
  return Array.from(b, (c) => (c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '?')).join('');
}

/** Decodes all channels to ±1 floats, de-interleaved. */
function decodeChannels(bytes: Uint8Array, layout: WavLayout, file: string): Float64Array[] {
  const frames = layout.dataBytes / ((layout.channels * layout.bitsPerSample) / 8);
  // Decoding holds a copy of the file plus every sample as float64 twice (the
  // decoder's and ours); refuse a clip over the cap before decoding it.
  checkMemory(
    bytes.length + frames * layout.channels * 16 + frames * 8,
    `${file}: ${frames} frames x ${layout.channels} channels of audio`,
  );
  let channels: Float64Array[];
  if (layout.extensible && layout.format === 'float') {
    // wavefile reads an extensible header's bit depth as integer PCM, so float
    // samples inside WAVE_FORMAT_EXTENSIBLE are decoded here.
    const view = new DataView(bytes.buffer, bytes.byteOffset + layout.dataOffset, layout.dataBytes);
    const width = layout.bitsPerSample / 8;
    channels = Array.from({ length: layout.channels }, (_, c) => {
      const out = new Float64Array(frames);
      for (let i = 0; i < frames; i++) {
        const at = (i * layout.channels + c) * width;
        out[i] = width === 4 ? view.getFloat32(at, true) : view.getFloat64(at, true);
      }
      return out;
    });
  } else {
    let decoded: Float64Array | Float64Array[];
    try {
      // A fresh, zero-offset copy: wavefile indexes the bytes from 0.
      const wav = new wavefile.WaveFile(new Uint8Array(bytes));
      decoded = wav.getSamples(false, Float64Array) as Float64Array | Float64Array[];
    } catch (e) {
      return fail('BAD_WAV', `${file}: cannot decode the samples (${(e as Error).message}); ${CONVERT_HINT}`, e);
    }
    channels = layout.channels === 1 ? [decoded as Float64Array] : (decoded as Float64Array[]);
  }
  if (channels.length !== layout.channels || channels.some((ch) => ch.length !== frames))
    fail(
      'BAD_WAV',
      `${file}: decoded ${channels.length} channels of ${channels[0]?.length} samples, expected ${layout.channels} of ${frames}; ${CONVERT_HINT}`,
    );
  if (layout.format === 'pcm') {
    const scale = 2 ** (layout.bitsPerSample - 1);
    for (const ch of channels) for (let i = 0; i < ch.length; i++) ch[i] = ch[i]! / scale;
  } else {
    refuseNonFinite(channels, layout, file);
  }
  return channels;
}

/**
 * Float samples that are not numbers: NaN would reach the features as NaN
 * (and an int16 conversion would silently turn it into 0), Inf would saturate.
 * Neither is sound; the first one is named by its sample (frame) index.
 */
function refuseNonFinite(channels: Float64Array[], layout: WavLayout, file: string): void {
  const frames = channels[0]?.length ?? 0;
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < channels.length; c++) {
      const v = channels[c]![i]!;
      if (Number.isFinite(v)) continue;
      const channel = channels.length > 1 ? ` of channel ${c}` : '';
      const at = `float sample ${i}${channel} (of ${frames}, at ${(i / layout.sampleRate).toFixed(3)} s)`;
      fail('BAD_WAV', `${file}: ${at} is ${v}; audio samples must be finite numbers; re-export the clip, or fix the tool that wrote it`);
    }
  }
}

function pickChannel(channels: Float64Array[], opts: ReadWavOptions, file: string): Float64Array {
  const choice = opts.channel ?? 'mix';
  if (choice === 'mix') {
    if (channels.length === 1) return channels[0]!;
    const out = new Float64Array(channels[0]!.length);
    for (const ch of channels) for (let i = 0; i < out.length; i++) out[i] = out[i]! + ch[i]!;
    for (let i = 0; i < out.length; i++) out[i] = out[i]! / channels.length;
    return out;
  }
  if (!Number.isInteger(choice) || choice < 0 || choice >= channels.length)
    fail(
      'BAD_ARGUMENT',
      `${file}: channel ${choice} does not exist (the file has ${channels.length}); choose --channel 0..${channels.length - 1} or mix`,
    );
  return channels[choice]!;
}

function readBytes(file: string): Uint8Array {
  return readInputSync(file, { what: 'the WAV file', fix: 'check the path' });
}

/** Decodes WAV bytes already in memory (`file` names them in errors); readWav is this plus the file read. */
export function decodeWavBytes(bytes: Uint8Array, file: string, opts: ReadWavOptions = {}): WavAudio {
  const { meta, mono } = decodeWav(bytes, file, opts);
  return { ...meta, samples: Float32Array.from(mono) };
}

function decodeWav(bytes: Uint8Array, file: string, opts: ReadWavOptions) {
  const layout = inspectWav(bytes, file);
  const mono = pickChannel(decodeChannels(bytes, layout, file), opts, file);
  const meta = {
    sampleRate: layout.sampleRate,
    channels: layout.channels,
    bitsPerSample: layout.bitsPerSample,
    format: layout.format,
    durationSec: mono.length / layout.sampleRate,
  };
  return { meta, mono };
}

/** Reads a WAV file as float samples in [-1, 1) of one channel (default: the mix). */
export function readWav(file: string, opts: ReadWavOptions = {}): WavAudio {
  const { meta, mono } = decodeWav(readBytes(file), file, opts);
  return { ...meta, samples: Float32Array.from(mono) };
}

/**
 * Reads a WAV file as signed 16-bit samples, as the board's PDM microphone
 * delivers them. 16-bit PCM comes through unchanged (also when a channel is
 * picked); other formats and mixes are rounded half away from zero from
 * x·32768 and saturated to [-32768, 32767].
 */
export function readWavInt16(file: string, opts: ReadWavOptions = {}): WavInt16 {
  const { meta, mono } = decodeWav(readBytes(file), file, opts);
  return { ...meta, samples: toInt16(mono) };
}

export function toInt16(x: ArrayLike<number>): Int16Array {
  const out = new Int16Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i]! * 32768;
    const r = Math.sign(v) * Math.round(Math.abs(v));
    out[i] = r > 32767 ? 32767 : r < -32768 ? -32768 : r;
  }
  return out;
}

/** A canonical 44-byte-header, 16-bit PCM mono WAV; the same input gives the same bytes. */
export function encodeWav16(samples: Float32Array | Int16Array, sampleRate: number): Uint8Array {
  (Number.isInteger(sampleRate) && sampleRate > 0 && sampleRate < 2 ** 32) ||
    fail('BAD_ARGUMENT', `cannot write a WAV at sample rate ${sampleRate}; use a positive integer rate in Hz`);
  if (!(samples instanceof Int16Array)) {
    const bad = samples.findIndex((v) => !Number.isFinite(v));
    bad < 0 || fail('BAD_ARGUMENT', `cannot write a WAV with sample ${bad} = ${samples[bad]}; audio samples must be finite numbers`);
  }
  const pcm = samples instanceof Int16Array ? samples : toInt16(samples);
  const dataBytes = pcm.length * 2;
  const out = new Uint8Array(44 + dataBytes);
  const view = new DataView(out.buffer);
  const ascii = (at: number, s: string) => [...s].forEach((c, i) => (out[at + i] = c.charCodeAt(0)));
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, FORMAT_PCM, true);
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true); // byte rate
  view.setUint16(32, 2, true); // block align
  view.setUint16(34, 16, true);
  ascii(36, 'data');
  view.setUint32(40, dataBytes, true);
  for (let i = 0; i < pcm.length; i++) view.setInt16(44 + 2 * i, pcm[i]!, true);
  return out;
}

/** Writes 16-bit PCM mono; float input is scaled by 32768, rounded and saturated. */
export async function writeWav(file: string, samples: Float32Array | Int16Array, sampleRate: number): Promise<void> {
  await writeFileAtomic(file, encodeWav16(samples, sampleRate));
}
