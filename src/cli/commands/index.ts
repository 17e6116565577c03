import { emitCommand } from './emit.js';
import { evalCommand } from './eval.js';
import { evalCommand } from './eval.js';
import { featuresCommand } from './features.js';
import { synthCommand } from './synth.js';
import { trainCommand } from './train.js';
import { sweepCommand } from './sweep.js';
import { synthCommand } from './synth.js';
import { trainCommand } from './train.js';
import { verifyCommand } from './verify.js';

/** Every CLI command, in the order of the pipeline they drive. */
export const commands = [synthCommand, featuresCommand, trainCommand, evalCommand, emitCommand, verifyCommand];
