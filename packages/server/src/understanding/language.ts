import { detectAll } from 'tinyld';
import { fold } from './fold.js';
import { DISTINCTIVE, GREETING_PHRASES } from './language-lexicon.js';

/** Languages the structured mode answers in. */
export const SUPPORTED_LANGUAGES = ['en', 'es', 'fr', 'de', 'pt', 'it'] as const;
export type SupportedLanguage = (typeof SUPPORTED_LANGUAGES)[number];

export function isSupportedLanguage(lang: string | null | undefined): lang is SupportedLanguage {
  return Boolean(lang && (SUPPORTED_LANGUAGES as readonly string[]).includes(lang));
}

function wordsOf(folded: string): string[] {
  return folded
    .replace(/\S+@\S+|https?:\/\/\S+/g, ' ')
    .replace(/[^a-z' ]+/g, ' ')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
}

/** Phrases by language, longest first, each as a whole-word pattern. */
const greetingPatterns = (Object.entries(GREETING_PHRASES) as Array<[SupportedLanguage, readonly string[]]>).map(
  ([lang, list]) => ({
    lang,
    re: new RegExp(
      `(?<![a-z'])(?:${[...list]
        .sort((a, b) => b.length - a.length)
        .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+'))
        .join('|')})(?![a-z'])`,
      'g',
    ),
  }),
);

/**
 * The language of a message made only of greetings, thanks or wishes ("Hola",
 * "Olá, bom dia", "Feliz Natal!!! 🎄"): every word must belong to phrases of
 * one language, and of that language only.
 */
export function greetingLanguage(text: string): SupportedLanguage | undefined {
  const words = wordsOf(fold(text));
  if (!words.length || words.length > 6) return undefined;
  const line = words.join(' ');
  const found: SupportedLanguage[] = [];
  for (const { lang, re } of greetingPatterns) {
    re.lastIndex = 0;
    if (line.replace(re, ' ').trim() === '') found.push(lang);
  }
  return found.length === 1 ? found[0] : undefined;
}

function distinctiveScore(lower: string, lang: SupportedLanguage): number {
  let n = 0;
  for (const re of DISTINCTIVE[lang] ?? []) {
    re.lastIndex = 0;
    n += lower.match(re)?.length ?? 0;
  }
  return n;
}

/**
 * The visitor's language: a message made only of greetings from the phrase
 * lexicon; otherwise tinyld (n-gram detection that copes with short chat
 * messages), restricted to the languages we have templates for, with
 * Portuguese and Spanish told apart by their spellings ("ção", "não", "nh"
 * against "ñ", "¿", "ll"). Neutral messages ("ok", "2", an email address)
 * keep the language already known for the conversation.
 */
export function detectLanguage(text: string, previous: string | null | undefined, fallback: string): SupportedLanguage {
  const known: SupportedLanguage | undefined = isSupportedLanguage(previous)
    ? previous
    : isSupportedLanguage(fallback)
      ? fallback
      : undefined;
  const greeting = greetingLanguage(text);
  if (greeting) return greeting;
  // Addresses, numbers and URLs say nothing about the language.
  const words = text
    .replace(/\S+@\S+|https?:\/\/\S+|[\d+().,:/-]+/g, ' ')
    .trim()
    .split(/\s+/)
    .filter((w) => /\p{L}{2,}/u.test(w));
  const lower = text.toLowerCase();
  const pt = distinctiveScore(lower, 'pt');
  const es = distinctiveScore(lower, 'es');
  if (words.length < 2 || words.join('').length < 8) {
    // Too short for n-grams; a distinctive spelling still decides ("Não", "¿Cuánto?").
    if (pt >= 1 && es === 0) return 'pt';
    if (es >= 1 && pt === 0 && /[ñ¿¡]/.test(lower)) return 'es';
    return known ?? 'en';
  }
  const ranked = detectAll(words.join(' '), { only: [...SUPPORTED_LANGUAGES] });
  const top = ranked[0]?.lang;
  if (!top || !isSupportedLanguage(top)) return known ?? 'en';
  let best: SupportedLanguage = top;
  // Iberian spellings outweigh n-grams, which confuse the two (and read short Portuguese as Italian or English).
  const iberianOrMistaken = best === 'es' || best === 'it' || best === 'en';
  if (iberianOrMistaken && ((pt >= 2 && pt >= es + 2) || (pt >= 1 && es === 0))) best = 'pt';
  else if (es >= 2 && es >= pt + 2 && best === 'pt') best = 'es';
  else if (best === 'es' && pt > es) best = 'pt';
  else if (best === 'pt' && es > pt) best = 'es';
  // Keep the conversation's language unless the new one is clearly ahead.
  if (isSupportedLanguage(previous) && best !== previous) {
    const knownScore = ranked.find((r) => r.lang === previous)?.accuracy ?? 0;
    const bestScore = ranked.find((r) => r.lang === best)?.accuracy ?? 0;
    if (bestScore < 0.08 || bestScore < knownScore * 2) return previous;
  }
  return best;
}
