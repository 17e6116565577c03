/**
 * The one place where text from the outside world (layer names, file names,
 * commands, user options) is made safe before it reaches generated C, C++ or
 * YAML. Templates never escape anything themselves: every value they print has
 * been through one of these functions.
 *
 * Everything here is a pure, deterministic function of its input.
 */

/**
 * C11 and C++20 keywords, plus alternative operator spellings (`and`, `or`,
 * ...), which C++ treats as keywords. A name that equals one gets a trailing `_`.
 */
const KEYWORDS = new Set(
  (
    'alignas alignof and and_eq asm auto bitand bitor bool break case catch char char8_t char16_t char32_t ' +
    'class compl concept const consteval constexpr constinit const_cast continue co_await co_return co_yield ' +
    'decltype default delete do double dynamic_cast else enum explicit export extern false float for friend ' +
    'goto if inline int long mutable namespace new noexcept not not_eq nullptr operator or or_eq private ' +
    'protected public register reinterpret_cast requires restrict return short signed sizeof static ' +
    'static_assert static_cast struct switch template this thread_local throw true try typedef typeid ' +
    'typename union unsigned using virtual void volatile wchar_t while xor xor_eq ' +
    '_Alignas _Alignof _Atomic _Bool _Complex _Generic _Imaginary _Noreturn _Static_assert _Thread_local ' +
    '_Pragma'
  ).split(' '),
);

/**
 * Names a generated global must not take: macros that the C library or the
 * Arduino core define (the preprocessor would rewrite them), and functions with
 * a fixed meaning. They are treated like keywords.
 */
const RESERVED_GLOBALS = new Set(
  (
    'NULL EOF errno assert offsetof stdin stdout stderr setjmp va_arg va_start va_end va_copy ' +
    'INT8_MIN INT8_MAX UINT8_MAX INT16_MIN INT16_MAX INT32_MIN INT32_MAX UINT32_MAX CHAR_BIT ' +
    'INT_MIN INT_MAX UINT_MAX SIZE_MAX RAND_MAX EXIT_SUCCESS EXIT_FAILURE ' +
    // Arduino.h (ArduinoCore-API Common.h and the mbed core)
    'HIGH LOW INPUT OUTPUT INPUT_PULLUP INPUT_PULLDOWN LED_BUILTIN PI HALF_PI TWO_PI DEG_TO_RAD RAD_TO_DEG ' +
    'EULER DEC HEX OCT BIN min max abs constrain round radians degrees sq bit lowByte highByte bitRead ' +
    'bitSet bitClear bitWrite interrupts noInterrupts F PSTR A0 A1 A2 A3 A4 A5 A6 A7 D0 D1 D2 D3 D4 D5 D6 ' +
    'D7 D8 D9 D10 D11 D12 D13 LEDR LEDG LEDB PIN_PDM_PWR PIN_PDM_CLK PIN_PDM_DIN ' +
    // Functions with a fixed meaning at global scope: the entry points (a
    // variable named `main` is rejected by gcc and g++) and the C library
    // functions a sketch or test harness declares through its headers.
    'main setup loop printf puts putchar fprintf sprintf snprintf memcpy memset memmove memcmp strlen ' +
    'strcmp strcpy malloc calloc realloc free exit abort atexit time clock rand srand sqrt exp log pow ' +
    'floor ceil fabs sin cos'
  ).split(' '),
);

/** C99 guarantees 63 significant initial characters of an internal identifier. */
export const MAX_C_IDENTIFIER_LENGTH = 63;

/** FNV-1a over UTF-16 code units: a short, stable disambiguator for truncated names. */
function fnv1a32(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

function isReservedWord(id: string): boolean {
  return KEYWORDS.has(id) || RESERVED_GLOBALS.has(id);
}

/**
 * Maps any string to characters [A-Za-z0-9_], collapses underscore runs (C++
 * reserves any name containing `__`) and strips leading/trailing underscores
 * (`_X` and, at file scope, `_x` are reserved). Returns '' when nothing is left.
 */
function squash(name: string): string {
  return name
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/**
 * A valid, non-reserved C and C++ identifier derived from `name`.
 *
 * - Only [A-Za-z0-9_]; never starts with a digit or `_`; never contains `__`.
 * - Keywords and well-known macro names get a trailing `_`.
 * - When nothing usable is left, `fallback` (itself sanitised) is used; a
 *   name starting with a digit is prefixed with the fallback.
 * - Names over 63 characters are cut and given a hash of the original name,
 *   so two long names that share a prefix stay distinct.
 *
 * Deterministic and stable: the same name always gives the same identifier.
 */
export function cIdentifier(name: string, fallback: string): string {
  const safeFallback = squash(fallback);
  const base = /^[A-Za-z]/.test(safeFallback) ? safeFallback : `id${safeFallback ? '_' + safeFallback : ''}`;
  let id = squash(name);
  if (id === '') id = base;
  else if (/^[0-9]/.test(id)) id = `${base}_${id}`;
  if (id.length > MAX_C_IDENTIFIER_LENGTH) {
    const head = id.slice(0, MAX_C_IDENTIFIER_LENGTH - 9).replace(/_+$/, '');
    id = `${head}_${fnv1a32(name)}`;
  }
  if (isReservedWord(id)) id = `${id}_`;
  return id;
}

/**
 * Identifiers for a list of names, pairwise distinct, in the same order.
 * The first name to claim an identifier keeps it; a later duplicate gets the
 * smallest free suffix `_2`, `_3`, ... . A suffix never takes an identifier that
 * another name in the list maps to on its own, so adding a duplicate does not
 * rename an unrelated name.
 */
export function uniqueCIdentifiers(names: readonly string[], fallback = 'id'): string[] {
  const bases = names.map((n) => cIdentifier(n, fallback));
  const claimed = new Set(bases);
  const assigned = new Set<string>();
  return bases.map((base) => {
    if (!assigned.has(base)) {
      assigned.add(base);
      return base;
    }
    for (let k = 2; ; k++) {
      const suffix = `_${k}`;
      const stem =
        base.length + suffix.length > MAX_C_IDENTIFIER_LENGTH
          ? base.slice(0, MAX_C_IDENTIFIER_LENGTH - suffix.length).replace(/_+$/, '')
          : base.replace(/_+$/, '');
      const candidate = `${stem}${suffix}`;
      if (!claimed.has(candidate) && !assigned.has(candidate)) {
        assigned.add(candidate);
        return candidate;
      }
    }
  });
}

/** Lone UTF-16 surrogates cannot be encoded; they become U+FFFD, as TextEncoder does. */
const utf8 = new TextEncoder();

/**
 * A C/C++ string literal, quotes included, whose bytes are the UTF-8 encoding
 * of `s`. Printable ASCII passes through except `"`, `\` and `?` (escaped, so
 * no trigraph such as `??/` can form). Every other byte, including NUL,
 * newlines and non-ASCII, is a three-digit octal escape: an octal escape stops
 * after three digits, so a following digit can never be swallowed (unlike `\x`).
 */
export function cStringLiteral(s: string): string {
  let out = '"';
  for (const b of utf8.encode(s)) {
    if (b === 0x22) out += '\\"';
    else if (b === 0x5c) out += '\\\\';
    else if (b === 0x3f) out += '\\?';
    else if (b >= 0x20 && b <= 0x7e) out += String.fromCharCode(b);
    else out += '\\' + b.toString(8).padStart(3, '0');
  }
  return out + '"';
}

/** Longest comment text we emit; a longer one is cut with a marker. */
export const MAX_COMMENT_LENGTH = 400;

/**
 * Text that is safe both inside a block comment and as a line comment.
 * Only printable ASCII survives (anything else becomes `_`, so no newline, CR
 * or NUL can end a line comment); a backslash becomes `/` (no line splice);
 * `*\/` and `/*` are split by a space (no early close, no nested-comment
 * warning); `??` is split (no trigraph); and the text neither starts nor ends
 * with `*` or `/`, so it cannot fuse with the comment's own delimiters.
 */
export function cComment(s: string): string {
  let t = s.replace(/[^\x20-\x7e]/g, '_').replace(/\\/g, '/');
  if (t.length > MAX_COMMENT_LENGTH) t = t.slice(0, MAX_COMMENT_LENGTH - 3) + '...';
  let prev: string;
  do {
    prev = t;
    t = t.replace(/\*\//g, '* /').replace(/\/\*/g, '/ *').replace(/\?\?/g, '? ?');
  } while (t !== prev);
  return t.replace(/^[*/]/, '_').replace(/[*/]$/, '_');
}

/**
 * A YAML double-quoted scalar (quotes included) that parses back to `s`
 * (lone surrogates become U+FFFD). Only printable ASCII is written as is; other
 * characters use YAML's `\x`, `\u` and `\U` escapes, so the output is pure
 * ASCII on one line and cannot start a comment, anchor, tag or new key.
 */
export function yamlString(s: string): string {
  let out = '"';
  for (const raw of s) {
    // Iterating a string yields code points; a lone surrogate comes out alone.
    const cp0 = raw.codePointAt(0)!;
    const ch = cp0 >= 0xd800 && cp0 <= 0xdfff ? '\ufffd' : raw;
    const cp = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (cp >= 0x20 && cp <= 0x7e) out += ch;
    else if (cp <= 0xff) out += '\\x' + cp.toString(16).padStart(2, '0');
    else if (cp <= 0xffff) out += '\\u' + cp.toString(16).padStart(4, '0');
    else out += '\\U' + cp.toString(16).padStart(8, '0');
  }
  return out + '"';
}
