import { stripUnstorableString } from '@leaddesk/shared';

/**
 * Text PostgreSQL can store. `text` columns refuse U+0000 outright, and
 * `jsonb` refuses the `\u0000` escape and UTF-16 halves without their pair
 * (`JSON.stringify` writes a lone surrogate as `\ud800`). Provider data and
 * error messages are not ours to validate, so they are cleaned, not refused:
 * a failure whose own text cannot be recorded would otherwise be retried for
 * ever (issue 12).
 */

/** Removes U+0000 and replaces lone surrogates with U+FFFD (the shared contract's one definition). */
export const storableText: (text: string) => string = stripUnstorableString;

/**
 * An error's message as storable text of at most `max` characters. A longer
 * one keeps its start and its end with `…` between: database errors put the
 * whole statement first and the cause last (`insert into … - value too long`).
 * Cuts fall between characters, never inside a surrogate pair. Never throws,
 * whatever was thrown.
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
  const room = Math.max(2, max - 1);
  let head = Math.ceil(room / 2);
  let tail = clean.length - (room - head);
  // Do not cut a surrogate pair in half: that would make the text unstorable again.
  if (isHigh(clean.charCodeAt(head - 1))) head--;
  if (isLow(clean.charCodeAt(tail))) tail++;
  return `${clean.slice(0, head)}…${clean.slice(tail)}`;
}

const isHigh = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLow = (code: number) => code >= 0xdc00 && code <= 0xdfff;
