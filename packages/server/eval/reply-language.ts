/**
 * Is a reply entirely in the visitor's language? Each sentence is judged on
 * its own with tinyld (the heavy model: the eval's judge is not the engine's
 * detector), after taking out what has no language: emails, links, numbers,
 * prices and times, the business's proper names. A sentence too short to
 * judge (under MIN_LETTERS letters or two words) is not counted either way.
 */

import { CONTENT_LANGUAGES } from '@leaddesk/shared';
import { detectAll } from 'tinyld/heavy';

const MIN_LETTERS = 15;
/** A sentence is foreign when another language wins and the visitor's scores under this share of the winner. */
const FOREIGN_RATIO = 0.5;

export interface SentenceVerdict {
  sentence: string;
  detected: string | null;
  foreign: boolean;
}

export function splitSentences(text: string): string[] {
  return text
    .split(/\n+/)
    .flatMap((line) => line.split(/(?<=[.!?…])\s+(?=[^\s])/u))
    .map((s) => s.replace(/^[\s\-•*>#]+/u, '').trim())
    .filter(Boolean);
}

function languageless(sentence: string, names: string[]): string {
  let s = sentence;
  for (const name of names) s = s.split(name).join(' ');
  return s
    .replace(/\S+@\S+/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/[$€£]\s?[\d.,]+|[\d.,]+\s?(?:€|\$|EUR|USD|GBP)/g, ' ')
    .replace(/\+?\d[\d\s().:/%-]*/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Every sentence of `text` with its detected language; `names` are proper names to ignore. */
export function judgeReplyLanguage(text: string, expected: string, names: string[] = []): SentenceVerdict[] {
  const verdicts: SentenceVerdict[] = [];
  for (const sentence of splitSentences(text)) {
    const rest = languageless(sentence, names);
    const letters = rest.match(/\p{L}/gu)?.length ?? 0;
    const words = rest.split(/\s+/).filter((w) => /\p{L}{2,}/u.test(w)).length;
    if (letters < MIN_LETTERS || words < 2) continue;
    const scores = detectAll(rest, { only: [...CONTENT_LANGUAGES] });
    const top = scores[0];
    if (!top) continue;
    const mine = scores.find((s) => s.lang === expected)?.accuracy ?? 0;
    verdicts.push({
      sentence,
      detected: top.lang,
      foreign: top.lang !== expected && mine < top.accuracy * FOREIGN_RATIO,
    });
  }
  return verdicts;
}
