import { readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { assertInternal, cComment, fail, InternalError, packagePath } from '../../util/index.js';

/**
 * Renders the files in `templates/`. Templates hold no logic beyond `{{#each}}`:
 * every value is computed and sanitised in code first (src/util/sanitize.ts),
 * so nothing is HTML-escaped (`noEscape`), and a variable the context lacks is
 * an error (`strict`) rather than an empty string in generated C.
 */

const TEMPLATES_DIR = packagePath('templates') + path.sep;

/** A private instance: helpers or partials registered elsewhere cannot leak in. */
const hbs = Handlebars.create();
hbs.registerPartial('banner', readTemplateSource('partials/banner'));

const compiled = new Map<string, HandlebarsTemplateDelegate>();

/** Template names are relative paths without extension, e.g. `model_data.h`. */
function readTemplateSource(name: string): string {
  assertInternal(
    /^[a-z0-9_]+(?:[./][a-z0-9_]+)*$/i.test(name) && !name.includes('..'),
    `template name ${JSON.stringify(name)} is not a plain relative name`,
  );
  const file = `${TEMPLATES_DIR}${name}.hbs`;
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    return fail(
      'FILE_NOT_FOUND',
      `template ${name}.hbs not found in ${TEMPLATES_DIR}; the package's templates/ folder is incomplete, reinstall tinypdm`,
      e,
    );
  }
}

/** What every generated file's banner says: tool, version and the command that made it. */
export interface BannerInfo {
  version: string;
  command: string;
}

/** The `banner` context for the banner partial, sanitised for C comments. */
export function bannerContext(info: BannerInfo): { banner: { tool: string; version: string; command: string } } {
  return { banner: { tool: 'tinypdm', version: cComment(info.version), command: cComment(info.command) } };
}

/**
 * Renders `templates/<name>.hbs` with `context`. Throws a TinyPdmError naming the
 * template and the missing value when the context lacks a variable.
 */
export function renderTemplate(name: string, context: object): string {
  let template = compiled.get(name);
  if (!template) {
    template = hbs.compile(readTemplateSource(name), { noEscape: true, strict: true, knownHelpersOnly: true });
    compiled.set(name, template);
  }
  try {
    return template(context);
  } catch (e) {
    // A value the template uses is missing from the context: our bug, not the user's.
    const detail = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new InternalError(`rendering template ${name}.hbs failed: ${detail}`, { cause: e });
  }
}
