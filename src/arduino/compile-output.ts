import { fail } from '../util/index.js';

/** Flash and RAM use as arduino-cli reports them for the built sketch. */
export interface SectionUse {
  flash: { used: number; max: number };
  ram: { used: number; max: number };
}

interface RawSection {
  name?: string;
  size?: number;
  max_size?: number;
  maxSize?: number;
}

/**
 * Parses `arduino-cli compile --format json`. Current versions nest the sizes
 * in `builder_result.executable_sections_size`; older ones put
 * `executable_sections_size` at the top level (arduino-cli 0.35 moved it under builder_result). Section "text" is
 * flash (program + initialised data), "data" is static RAM (data + bss).
 */
export function parseCompileJson(text: string): SectionUse {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    return fail('TOOL_FAILED', `arduino-cli printed output that is not JSON (${(e as Error).message}); run it by hand with --format json to see why`, e);
  }
  const builder = (json.builder_result ?? {}) as Record<string, unknown>;
  const sections = (builder.executable_sections_size ?? json.executable_sections_size) as RawSection[] | undefined;
  if (!Array.isArray(sections)) {
    const err: unknown = json.compiler_err ?? json.error ?? '';
    const why = (typeof err === 'string' ? err : JSON.stringify(err)).split('\n').find((l) => l.trim()) ?? 'no executable_sections_size in its JSON';
    return fail('TOOL_FAILED', `arduino-cli compile did not report sizes: ${why.trim()}`);
  }
  const find = (name: string) => {
    const s = sections.find((x) => x.name === name);
    if (!s || typeof s.size !== 'number') return fail('TOOL_FAILED', `arduino-cli compile JSON lacks the '${name}' section size`);
    return { used: s.size, max: s.max_size ?? s.maxSize ?? 0 };
  };
  return { flash: find('text'), ram: find('data') };
}

/** Turns a failed compile's stderr into one line with the fix for the known causes. */
export function diagnoseCompileFailure(stderr: string): string {
  if (/TensorFlowLite\.h: No such file|tensorflow\/lite\/micro\/.*No such file/.test(stderr)) {
    return 'the TFLM library (Arduino_TensorFlowLite) is not installed';
  }
  if (/Platform '.*mbed_nano.*' not found|platform not installed/i.test(stderr)) {
    return 'the Arduino mbed_nano core is not installed: run `arduino-cli core install arduino:mbed_nano`';
  }
  if (/cannot move location counter backwards|region .*RAM.* overflowed/.test(stderr)) {
    return 'static RAM overflowed: lower n_mels or the window frames (tinypdm emit reports the budget)';
  }
  if (/region .*FLASH.* overflowed|text.* will not fit/.test(stderr)) {
    return 'the sketch does not fit in flash: prune or cluster the model, or shrink the input';
  }
  const first = stderr.split('\n').find((l) => /error/i.test(l)) ?? stderr.split('\n').find((l) => l.trim()) ?? 'unknown error';
  return first.trim();
}
