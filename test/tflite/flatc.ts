import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCHEMA = new URL('../../src/tflite/schema/tflite_subset.fbs', import.meta.url).pathname;

/**
 * Decodes a .tflite with the C++ flatc (which verifies the buffer first), as
 * JSON: an implementation independent of our TS reader.
 */
export function decodeWithFlatc(bytes: Uint8Array): any {
  const dir = mkdtempSync(join(tmpdir(), 'tinypdm-flatc-'));
  try {
    writeFileSync(join(dir, 'model.tflite'), bytes);
    execFileSync('flatc', ['--json', '--strict-json', '--raw-binary', '-o', dir, SCHEMA, '--', join(dir, 'model.tflite')], {
      stdio: 'pipe',
    });
    return JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Encodes JSON (in the subset schema) to a binary flatbuffer with flatc: used to build hostile or foreign files. */
export function encodeWithFlatc(json: unknown, schemaPath = SCHEMA): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'tinypdm-flatc-'));
  try {
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    execFileSync('flatc', ['--binary', '-o', dir, schemaPath, join(dir, 'model.json')], { stdio: 'pipe' });
    return new Uint8Array(readFileSync(join(dir, 'model.tflite')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
