/**
 * The one description of a model's features, from microphone to model
 * window. Training writes it into tinypdm.json; the float reference
 * (librosa's melspectrogram + power_to_db), the fixed-point front-end and its
 * C twin, the `features` command, evaluation and the sweep all read it.
 */
export interface FeatureSpec {
  /** 'fixed': the bit-exact twin of the device front-end; 'float': the librosa-compatible reference (the paper). */
  mode: 'fixed' | 'float';
  /** Sample rate the model sees (Hz). */
  sampleRate: number;
  /** Microphone rate the device captures at (16000 or 41667). */
  pdmRate: number;
  nFft: number;
  hop: number;
  nMels: number;
  fmin: number;
  fmax: number;
  /** librosa power_to_db top_db, applied per model window; null disables the clamp. */
  topDb: number | null;
  /** Model window: W frames, a new window every `windowHop` frames. */
  windowFrames: number;
  windowHop: number;
  /**
   * How model-window dB become the model's [0, 1] input: 'global' (absent) maps the
   * training dB range with one affine; 'band' maps each Mel band's training mean ± 4
   * standard deviations with its own (`train --norm band`). The fitted values live
   * in tinypdm.json `normalization`; the front-end realises either exactly.
   */
  norm?: 'global' | 'band';
  /**
   * The paper's features (`train --paper`): each clip is one window, top_db is
   * clip-scoped and the frames are zero-padded on the left (in normalised
   * units) up to `windowFrames`, a multiple of 4. Absent for device features.
   */
  wholeClip?: boolean;
}
