import type { Stemmer } from 'snowball-stemmers';
import snowball from 'snowball-stemmers';
import stopword from 'stopword';

/**
 * A visitor's question as a set of terms, for grouping questions that ask the
 * same thing: lower-cased, accents folded, the stop words of all six content
 * languages removed (the `stopword` package's lists, plus the question and
 * greeting words below, which say nothing about the topic), and each word
 * stemmed by the Snowball stemmer of the question's language
 * (`snowball-stemmers`), so "limpieza" and "limpiezas" are one term.
 *
 * Honest limit: terms are words of one language. "how much is a cleaning?"
 * (clean) and "¿cuánto cuesta una limpieza?" (cuest, limpiez) share no term
 * and stay apart; only cognates meet ("implants" and "implantes" both stem
 * to "implant"). Grouping translations needs meaning, not spelling: with an
 * embeddings provider configured, embed-clusters.ts does that.
 */
export const QUESTION_LANGUAGES = ['en', 'es', 'fr', 'de', 'pt', 'it'] as const;
export type QuestionLanguage = (typeof QUESTION_LANGUAGES)[number];

const STEMMERS: Record<QuestionLanguage, Stemmer> = {
  en: snowball.newStemmer('english'),
  es: snowball.newStemmer('spanish'),
  fr: snowball.newStemmer('french'),
  de: snowball.newStemmer('german'),
  pt: snowball.newStemmer('portuguese'),
  it: snowball.newStemmer('italian'),
};

/** Lower case without accents: "Cuánto" → "cuanto", "Größe" → "große". */
export function fold(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '');
}

const STOP_LISTS: Record<QuestionLanguage, string[]> = {
  en: stopword.eng,
  es: stopword.spa,
  fr: stopword.fra,
  de: stopword.deu,
  pt: stopword.por,
  it: stopword.ita,
};

/**
 * Question words (and English's "do/does/did", which the English list lacks):
 * every question has one, so they say nothing about the topic; they also mark
 * a question that has no question mark, and hint at its language.
 */
const QUESTION_WORDS_BY_LANGUAGE: Record<QuestionLanguage, string[]> = {
  en: ['how', 'what', 'when', 'where', 'which', 'who', 'why', 'do', 'does', 'did'],
  es: ['qué', 'cómo', 'cuándo', 'dónde', 'cuál', 'cuáles', 'quién', 'cuánto', 'cuánta', 'cuántos', 'cuántas'],
  fr: ['combien', 'comment', 'quand', 'où', 'quel', 'quelle', 'quels', 'quelles', 'qui', 'pourquoi'],
  de: ['wie', 'was', 'wann', 'wo', 'welche', 'welcher', 'welches', 'wer', 'warum'],
  pt: ['quanto', 'quanta', 'quantos', 'quantas', 'quando', 'onde', 'qual', 'quais', 'quem', 'porque', 'como'],
  it: ['quanto', 'quanta', 'quanti', 'quante', 'come', 'quando', 'dove', 'quale', 'quali', 'chi', 'perché'],
};
const QUESTION_WORDS = new Set(Object.values(QUESTION_WORDS_BY_LANGUAGE).flat().map(fold));

/** Each language's stop words and question words, folded: what the language guess counts. */
const STOP_WORDS = Object.fromEntries(
  QUESTION_LANGUAGES.map((l) => [l, new Set([...STOP_LISTS[l], ...QUESTION_WORDS_BY_LANGUAGE[l]].map(fold))]),
) as Record<QuestionLanguage, Set<string>>;

/** Greetings and thanks that open or close a question in any of the six languages. */
const POLITE_WORDS = new Set(
  [
    'hi',
    'hello',
    'hey',
    'please',
    'thanks',
    'thank',
    'hola',
    'buenas',
    'buenos',
    'dias',
    'gracias',
    'favor',
    'bonjour',
    'salut',
    'merci',
    'hallo',
    'danke',
    'bitte',
    'ola',
    'obrigado',
    'obrigada',
    'ciao',
    'buongiorno',
    'grazie',
  ].map(fold),
);

const ALL_STOP_WORDS = new Set<string>([...POLITE_WORDS, ...QUESTION_LANGUAGES.flatMap((l) => [...STOP_WORDS[l]])]);

/** Words: letters and digits, so "l'implant" is "l" and "implant". */
function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** A question mark (any script's, or Spanish's opening one), or a first word that asks. */
export function isQuestion(text: string): boolean {
  if (/[?¿？]/u.test(text)) return true;
  const first = words(text)[0];
  return first !== undefined && QUESTION_WORDS.has(fold(first));
}

/**
 * The language to stem in: the conversation's (its lead's language) when it is
 * one of the six, else the one whose stop words the text uses most (ties: the
 * fallback first, then en, es, fr, de, pt, it), else the fallback.
 */
export function questionLanguage(
  text: string,
  hint: string | null | undefined,
  fallback: QuestionLanguage,
): QuestionLanguage {
  const hinted = asQuestionLanguage(hint);
  if (hinted) return hinted;
  const folded = words(text).map(fold);
  let best: QuestionLanguage = fallback;
  let bestHits = 0;
  for (const language of [fallback, ...QUESTION_LANGUAGES.filter((l) => l !== fallback)]) {
    const hits = folded.filter((w) => STOP_WORDS[language].has(w)).length;
    if (hits > bestHits) {
      best = language;
      bestHits = hits;
    }
  }
  return best;
}

/** `es-MX` → `es`; null when not one of the six. */
export function asQuestionLanguage(code: string | null | undefined): QuestionLanguage | null {
  const base = (code ?? '').toLowerCase().split(/[-_]/)[0] ?? '';
  return (QUESTION_LANGUAGES as readonly string[]).includes(base) ? (base as QuestionLanguage) : null;
}

/**
 * Stemmed and folded words, remembered: a report stems the same few thousand
 * words over and over (5,000 questions, mostly the same wordings), and the
 * Snowball stemmers were most of its time. Bounded: cleared when full.
 */
const STEM_CACHE = new Map<string, string>();
const STEM_CACHE_LIMIT = 50_000;

function stemmed(word: string, language: QuestionLanguage): string {
  const key = `${language}:${word}`;
  let stem = STEM_CACHE.get(key);
  if (stem === undefined) {
    stem = fold(STEMMERS[language].stem(word));
    if (STEM_CACHE.size >= STEM_CACHE_LIMIT) STEM_CACHE.clear();
    STEM_CACHE.set(key, stem);
  }
  return stem;
}

/**
 * The question's terms, sorted and unique: words that are not stop words in
 * any of the six languages, not numbers and longer than one letter, each
 * stemmed in `language` and then accent-folded.
 */
export function questionTerms(text: string, language: QuestionLanguage): string[] {
  const terms = new Set<string>();
  for (const word of words(text)) {
    const folded = fold(word);
    if (folded.length < 2 || /^\p{N}+$/u.test(folded) || ALL_STOP_WORDS.has(folded)) continue;
    // Snowball's stemmers expect the accents ("limpiezas" and "limpíeza" alike); fold what they return.
    terms.add(stemmed(word, language));
  }
  return [...terms].sort();
}
