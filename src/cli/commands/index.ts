import { buildCommand } from './build.js';
import { ciCommand } from './ci.js';
import { emitCommand } from './emit.js';
import { evalCommand } from './eval.js';
import { featuresCommand } from './features.js';
import { sweepCommand } from './sweep.js';
import { synthCommand } from './synth.js';
import { trainCommand } from './train.js';
import { tuneCommand } from './tune.js';
import { uploadCommand } from './upload.js';
import { verifyCommand } from './verify.js';

/** Every CLI command, in the order of the pipeline they drive. */
export const commands = [
  synthCommand,
  featuresCommand,
  trainCommand,
  evalCommand,
  sweepCommand,
  tuneCommand,
  emitCommand,
  verifyCommand,
  buildCommand,
  uploadCommand,
  ciCommand,
];
