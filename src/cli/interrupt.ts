/**
 * Ctrl-C and SIGTERM. main.ts installs the handlers; a command that writes
 * runs its work through `cancellable`, so a signal aborts the work's
 * AbortSignal: the output writer removes its temp folder once the work has
 * stopped, and the CLI exits 130. Outside such work (or on a second signal,
 * for a user who will not wait for the cleanup) the CLI exits 130 at once; a
 * temp folder left then is removed by the next run that writes there.
 */
const controller = new AbortController();
let running = 0;

export async function cancellable<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  running++;
  try {
    return await work(controller.signal);
  } finally {
    running--;
  }
}

/** The signal handler's decision: 'abort' (the work will stop and clean up) or 'exit' now. */
export function interrupt(signal: NodeJS.Signals): 'abort' | 'exit' {
  if (running === 0 || controller.signal.aborted) return 'exit';
  controller.abort(new Interrupted(signal));
  return 'abort';
}

/** The signal that aborted the work, if one did. */
export function interruptedBy(): NodeJS.Signals | undefined {
  return controller.signal.aborted ? (controller.signal.reason as Interrupted).signal : undefined;
}

export class Interrupted extends Error {
  constructor(readonly signal: NodeJS.Signals) {
    super(`interrupted by ${signal}`);
    this.name = 'Interrupted';
  }
}
