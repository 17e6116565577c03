import path from 'node:path';
import { checkErrorModel, type ErrorModel } from '../../device/index.js';
import { RUN_CONFIG_FILE, type RunConfig } from '../../data/index.js';
import { fail, readInputText } from '../../util/index.js';

/** The run's error model (`scoring.errorModel`), checked against the model's window size; undefined when the scoring needs none. */
export async function readErrorModel(dir: string, config: RunConfig): Promise<ErrorModel | undefined> {
  const s = config.scoring;
  if (!s || s.window !== 'mahalanobis') return undefined;
  const name = s.errorModel ?? '';
  // A plain file name: the error model lives in the run folder, never elsewhere.
  (/^[A-Za-z0-9._-]+$/.test(name) && !name.startsWith('.')) ||
    fail(
      'RUN_MISMATCH',
      `${path.join(dir, RUN_CONFIG_FILE)}: scoring.errorModel ${JSON.stringify(name)} is not a file name in the run folder; re-run tinypdm train`,
    );
  const file = path.join(dir, name);
  const text = await readInputText(file, { what: "the run's error model", fix: `re-run tinypdm train --score ${s.window}:${s.rank}` });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return fail('RUN_MISMATCH', `${file}: not valid JSON (${(e as Error).message}); re-run tinypdm train`, e);
  }
  return checkErrorModel(
    json,
    file,
    config.inputShape.reduce((a, b) => a * b, 1),
  );
}
