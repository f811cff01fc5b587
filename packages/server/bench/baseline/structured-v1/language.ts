import { detectAll } from 'tinyld';

/** Languages the structured mode answers in. */
export const SUPPORTED_LANGUAGES = ['en', 'es', 'fr', 'de', 'pt', 'it'] as const;
export type SupportedLanguage = (typeof SUPPORTED_LANGUAGES)[number];

export function isSupportedLanguage(lang: string | null | undefined): lang is SupportedLanguage {
  return Boolean(lang && (SUPPORTED_LANGUAGES as readonly string[]).includes(lang));
}

/**
 * The visitor's language with tinyld (n-gram detection that copes with short
 * chat messages), restricted to the languages we have templates for. Very
 * short or ambiguous messages ("ok", "2", an email address) keep the language
 * already known for the conversation.
 */
export function detectLanguage(text: string, previous: string | null | undefined, fallback: string): SupportedLanguage {
  const known: SupportedLanguage | undefined = isSupportedLanguage(previous)
    ? previous
    : isSupportedLanguage(fallback)
      ? fallback
      : undefined;
  // Addresses, numbers and URLs say nothing about the language.
  const words = text
    .replace(/\S+@\S+|https?:\/\/\S+|[\d+().,:/-]+/g, ' ')
    .trim()
    .split(/\s+/)
    .filter((w) => /\p{L}{2,}/u.test(w));
  if (words.length < 2 || words.join('').length < 8) return known ?? 'en';
  const ranked = detectAll(words.join(' '), { only: [...SUPPORTED_LANGUAGES] });
  const best = ranked[0];
  if (!best || !isSupportedLanguage(best.lang)) return known ?? 'en';
  // Keep the conversation's language unless the new one is clearly ahead.
  if (isSupportedLanguage(previous) && best.lang !== previous) {
    const knownScore = ranked.find((r) => r.lang === previous)?.accuracy ?? 0;
    if (best.accuracy < 0.08 || best.accuracy < knownScore * 2) return previous;
  }
  return best.lang;
}
