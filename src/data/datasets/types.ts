/**
 * One description for every dataset layout tinypdm reads: the clips, what is
 * known about each from its folder and file name, and the dataset's own
 * train/test split where it defines one. Paths are relative to `root` with
 * forward slashes, sorted in code-unit order, so nothing depends on the file
 * system's listing order.
 */
export const DATASET_LAYOUTS = ['tinypdm', 'dcase', 'mimii', 'toyadmos'] as const;
export type DatasetLayout = (typeof DATASET_LAYOUTS)[number];

export type ClipLabel = 'normal' | 'anomaly' | 'unknown';
export type Domain = 'source' | 'target';
export const DOMAINS: readonly Domain[] = ['source', 'target'];

export interface DatasetClip {
  file: string;
  /** 'unknown': an evaluation-set clip whose name carries no label (ground truth comes from --labels). */
  label: ClipLabel;
  /** Anomaly type where the layout names one (tinypdm's anomaly/<type>/, ToyADMOS' abNN). */
  type?: string;
  /** DCASE section (`00`), MIMII machine id (`id_00`), ToyADMOS case (`case1`). */
  section?: string;
  domain?: Domain;
  /** The dataset's own split, where it defines one (DCASE's train/ and test/ folders). */
  split?: 'train' | 'test';
  /** Attributes from the file name (DCASE: `car_A1_spd_28V` → { car: 'A1', spd: '28V' }). */
  attributes?: Record<string, string>;
}

export interface DatasetDescription {
  /** The folder clip paths are relative to: the machine's own folder when the dataset holds several. */
  root: string;
  layout: DatasetLayout;
  machine?: string;
  /** The microphone chosen (`--channel`, 0-based): a channel of multi-channel WAVs (MIMII) or a `_chN_` file set (ToyADMOS). */
  channel?: number;
  /** The channel the WAV reader takes from each file; undefined = the mix (a mono file unchanged). */
  wavChannel?: number;
  /** True when the dataset defines its own train/test split. */
  definesSplit: boolean;
  clips: DatasetClip[];
  /** Choices made and files not used, for the log: nothing is skipped without a line here or an error. */
  notes: string[];
}

export interface DatasetOptions {
  /** Force a layout; default 'auto' (detected from folder and file names). */
  layout?: 'auto' | DatasetLayout;
  /** The machine to read when the folder holds several (DCASE, MIMII, ToyADMOS), or the machine's name for ground-truth CSVs. */
  machine?: string;
  /** Microphone, 0-based: MIMII's channel in its 8-channel files (default 0), ToyADMOS' `_ch{N+1}_` files (default 0 = ch1). */
  channel?: number;
  /** Ground truth for unlabelled evaluation-set clips: CSV files or folders (nttcslab's dcase20XX_task2_evaluator layout). */
  labels?: readonly string[];
}

/** Code-unit order, independent of the locale. */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
