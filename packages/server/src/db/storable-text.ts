/**
 * Text PostgreSQL can store. `text` columns refuse U+0000 outright, and
 * `jsonb` refuses the `\u0000` escape and UTF-16 halves without their pair
 * (`JSON.stringify` writes a lone surrogate as `\ud800`). Provider data and
 * error messages are not ours to validate, so they are cleaned, not refused:
 * a failure whose own text cannot be recorded would otherwise be retried for
 * ever (issue 12).
 */

// Built from a string so the pattern reads as escapes, not invisible characters.
const UNSTORABLE = new RegExp('\\u0000|[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]', 'g');

/** Removes U+0000 and replaces lone surrogates with U+FFFD (what a UTF-8 encoder writes for them anyway). */
export function storableText(text: string): string {
  return text.replace(UNSTORABLE, (c) => (c === '\u0000' ? '' : '\ufffd'));
}

/** `storableText` on every string (and key) of a parsed JSON value; other values unchanged. */
export function storableDeep<T>(value: T): T {
  if (typeof value === 'string') return storableText(value) as T;
  if (Array.isArray(value)) return value.map((v) => storableDeep(v)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[storableText(k)] = storableDeep(v);
    return out as T;
  }
  return value;
}

/**
 * An error's message as storable text of at most `max` characters (cut at a
 * character boundary, marked with `…`). Never throws, whatever was thrown.
 */
export function storableErrorText(err: unknown, max = 2000): string {
  let message: string;
  try {
    message = err instanceof Error ? err.message || err.name : String(err);
  } catch {
    message = 'unprintable error';
  }
  const clean = storableText(message);
  if (clean.length <= max) return clean;
  // Do not cut a surrogate pair in half: that would make the text unstorable again.
  let end = max - 1;
  const code = clean.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${clean.slice(0, end)}…`;
}
