/** Experiments on top of the whole pipeline: the sample-rate sweep (the paper's Table 1) and its optimisation grid. */
export { sweep, type SweepOptions, type SweepResult, type SweepRow } from './sweep.js';
export { tune, type TuneOptions, type TuneResult, type TuneRow } from './tune/index.js';
