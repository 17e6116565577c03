import path from 'node:path';
import { fail } from '../../util/index.js';
import { subfolders } from '../../util/index.js';

/**
 * The machine a run reads, for layouts that keep one folder per machine type
 * (DCASE `<machine>/train`, MIMII `<machine>/id_00`, ToyADMOS
 * `<machine>/case1`). DIR may be the machine's own folder (its name is the
 * machine, unless --machine renames it) or a folder of machines, where
 * --machine picks one; with several and no --machine the choice is refused,
 * never guessed. One run models one machine type, as the DCASE baselines do.
 */
export interface MachineFolder {
  dir: string;
  machine: string;
  notes: string[];
}

export function selectMachine(root: string, isMachine: (dir: string) => boolean, machine: string | undefined, what: string): MachineFolder {
  if (isMachine(root)) return { dir: root, machine: machine ?? path.basename(path.resolve(root)), notes: [] };
  const machines = subfolders(root).filter((d) => isMachine(path.join(root, d)));
  if (machine !== undefined) {
    machines.includes(machine) ||
      fail(
        'BAD_DATASET',
        `${root}: no ${what} machine folder '${machine}'${machines.length ? `; it holds ${machines.join(', ')}` : ''}; pass --machine with one of them`,
      );
    return { dir: path.join(root, machine), machine, notes: [] };
  }
  if (machines.length === 0)
    return fail('BAD_DATASET', `${root}: not a ${what} folder (no machine folders found); pass the machine's folder or its parent`);
  if (machines.length > 1) {
    fail(
      'BAD_DATASET',
      `${root}: holds ${machines.length} ${what} machines (${machines.join(', ')}); a run models one machine, pass --machine ${machines[0]}`,
    );
  }
  return {
    dir: path.join(root, machines[0]!),
    machine: machines[0]!,
    notes: [`${what}: machine ${machines[0]} (the only one in ${root})`],
  };
}
