/** Types of scripts/architecture.mjs, for the TypeScript test that imports it. */
export declare const FLOORS: string[][];
export declare function unitOf(srcRelative: string): string;
export declare function entryOf(unit: string, importerUnit: string): string;
export declare function importViolation(from: string, to: string): string | undefined;
