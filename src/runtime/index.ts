/** The reference interpreter: float kernels for calibration, int8 kernels bit-exact with TFLM. */
export { runGraph, dtypeOfArray, type RunOptions, type RunResult } from './interpreter.js';
