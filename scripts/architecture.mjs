/**
 * The floors of src/, bottom to top. A folder may import only from floors
 * below its own (never sideways, never up), and only through the other
 * folder's index.ts. Inside src/compiler/ the numbered phases are folders of
 * their own: a phase imports only earlier phases. Read by the ESLint rule
 * (eslint.config.mjs) and by test/architecture.test.ts, which also checks
 * that the folder graph has no cycle.
 */
export const FLOORS = [
  ['defaults.ts', 'util'],
  ['ir', 'audio', 'arduino'],
  ['tflite', 'boards'],
  ['ops'],
  ['runtime'],
  ['data', 'device'],
  ['learn'],
  ['compiler'],
  ['verify', 'evaluate'],
  ['experiments'],
  ['index.ts'],
  ['cli'],
];

const FLOOR_OF = new Map(FLOORS.flatMap((names, floor) => names.map((n) => [n, floor])));

/**
 * The unit a file in src/ belongs to: its top-level folder (or root file),
 * or `compiler/<n-phase>` for files in a numbered phase.
 */
export function unitOf(srcRelative) {
  const parts = srcRelative.split('/');
  if (parts.length === 1) return parts[0];
  if (parts[0] === 'compiler' && parts.length > 2 && /^\d-/.test(parts[1])) return `compiler/${parts[1]}`;
  return parts[0];
}

function floorOf(unit) {
  const floor = FLOOR_OF.get(unit.split('/')[0]);
  if (floor === undefined) throw new Error(`src/${unit} is on no floor; add it to FLOORS in scripts/architecture.mjs`);
  return floor;
}

/** The entry another unit must import `unit` through. */
export function entryOf(unit, importerUnit) {
  if (!unit.includes('/') && unit.endsWith('.ts')) return unit;
  // From outside the compiler, its phases are reached through compiler/index.ts.
  if (unit.startsWith('compiler/') && !importerUnit.startsWith('compiler')) return 'compiler/index.ts';
  return `${unit}/index.ts`;
}

/**
 * Why an import from `from` to `to` (both src-relative .ts paths) breaks the
 * floors, or undefined when it is allowed.
 */
export function importViolation(from, to) {
  const a = unitOf(from);
  const b = unitOf(to);
  if (a === b) return undefined;
  const aTop = a.split('/')[0];
  const bTop = b.split('/')[0];
  if (aTop === 'compiler' && bTop === 'compiler') {
    // Phase to phase: earlier phases only, through their index; compile.ts and index.ts sit above all phases.
    const phase = (u) => (u === 'compiler' ? 99 : Number(u.split('/')[1].split('-')[0]));
    if (phase(b) >= phase(a) && a !== 'compiler') return `src/${a} may not import the later phase src/${b}`;
    if (to !== entryOf(b, a)) return `import src/${b} through ${entryOf(b, a)}, not ${to}`;
    return undefined;
  }
  if (floorOf(b) >= floorOf(a))
    return `src/${aTop} may not import src/${bTop}: ${floorOf(b) > floorOf(a) ? 'it is on a higher floor' : 'they are on the same floor'} (scripts/architecture.mjs)`;
  const entry = entryOf(b, a);
  if (to !== entry) return `import src/${b} through src/${entry}, not src/${to}`;
  return undefined;
}
