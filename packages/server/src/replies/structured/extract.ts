import type { ContentLanguage } from '@leaddesk/shared';
import { extractBudget as readBudget } from '../../understanding/budget.js';
import { findCue } from '../../understanding/cues.js';
import { extractDate } from '../../understanding/dates.js';
import { fold } from '../../understanding/fold.js';
import { readCount } from '../../understanding/numbers.js';
import { extractParty } from '../../understanding/party.js';
import type { SupportedLanguage } from './language.js';

/**
 * The structured mode's answer parsers (yes/no, option choice). Entity
 * extraction moved to the understanding module; the functions below keep
 * their former signatures over it for callers not yet moved to `understand()`.
 */

export { formatBudget } from '../../understanding/budget.js';
export { extractEmail, extractPhone } from '../../understanding/contact.js';
export { fold } from '../../understanding/fold.js';
export { extractName } from '../../understanding/name.js';

export interface ExtractedDates {
  start: string;
  end?: string;
  text: string;
}

/** A requested date or range, read in UTC against `reference`. Prefer `understand()`, which uses the tenant's zone. */
export function extractDates(
  text: string,
  _lang: SupportedLanguage,
  reference = new Date(),
): ExtractedDates | undefined {
  const date = extractDate(fold(text), { now: reference, timeZone: 'UTC' });
  return date ? { start: date.start, end: date.end, text: date.text } : undefined;
}

/** Reads a small count from digits or number words ("two", "dos", "deux", "zwei"...). */
export function parseSmallNumber(text: string, _lang: SupportedLanguage): number | undefined {
  const folded = fold(text);
  const digits = folded.match(/\b(\d{1,3})\b/);
  if (digits) return Number(digits[1]);
  for (const token of folded.split(/[^a-z]+/)) {
    const n = readCount(token);
    if (n !== undefined && token.length > 1) return n;
  }
  return undefined;
}

/** "4 people", "we are two adults", "somos 3 personas", "nous serons 2 personnes", "zwei Personen". */
export function extractPartySize(text: string, _lang: SupportedLanguage): number | undefined {
  return extractParty(fold(text))?.total;
}

export interface Budget {
  min?: number;
  max: number;
  currency?: string;
  text: string;
}

/** "$200-300", "around 1.500 €", "between 150 and 200 euros", "hasta 500€", "2k"; `bareNumber` when answering a budget question. */
export function extractBudget(
  text: string,
  options: { bareNumber?: boolean; region?: string } = {},
): Budget | undefined {
  const budget = readBudget(text, options.region, { bareNumber: options.bareNumber });
  return budget ? { min: budget.min, max: budget.max, currency: budget.currency, text: budget.text } : undefined;
}

/** "Can I talk to a human?", "quiero hablar con una persona", "je veux parler à quelqu'un"... */
export function asksForHuman(text: string, language: ContentLanguage = 'en'): boolean {
  return findCue('human', fold(text), language) !== undefined;
}

const YES =
  /^(yes|yeah|yep|sure|of course|correct|si|claro|vale|oui|ouais|bien sur|ja|jawohl|genau|sim|certo|certamente|esatto)\b/;
const NO = /^(no|nope|not|non|nein|nicht|nao|nunca|jamais|mai)\b/;

export function parseYesNo(text: string): boolean | undefined {
  const folded = fold(text)
    .trim()
    .replace(/^[^a-z]+/, '');
  if (YES.test(folded)) return true;
  if (NO.test(folded)) return false;
  return undefined;
}

/** The option a visitor picked: by chip id, by number ("2"), by label or by overlapping words. */
export function matchOption(text: string, options: string[], quickReplyIndex?: number): number | undefined {
  if (quickReplyIndex !== undefined && quickReplyIndex >= 0 && quickReplyIndex < options.length) return quickReplyIndex;
  const folded = fold(text).trim();
  const numeric = /^(\d{1,2})[.)]?$/.exec(folded);
  if (numeric) {
    const i = Number(numeric[1]) - 1;
    if (i >= 0 && i < options.length) return i;
  }
  const foldedOptions = options.map((o) => fold(o).trim());
  const exact = foldedOptions.indexOf(folded);
  if (exact >= 0) return exact;
  let best: { i: number; score: number } | undefined;
  const words = new Set(folded.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 2));
  foldedOptions.forEach((opt, i) => {
    if (opt.length > 2 && folded.includes(opt)) {
      const score = 10 + opt.length;
      if (!best || score > best.score) best = { i, score };
      return;
    }
    const optWords = opt.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 2);
    const overlap = optWords.filter((w) => words.has(w) || [...words].some((v) => v.startsWith(w) || w.startsWith(v)));
    if (overlap.length && (!best || overlap.length > best.score)) best = { i, score: overlap.length };
  });
  return best?.i;
}
