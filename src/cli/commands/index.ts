import { emitCommand } from './emit.js';
import { verifyCommand } from './verify.js';

/** Every CLI command, in the order of the pipeline they drive. */
export const commands = [emitCommand, verifyCommand];
