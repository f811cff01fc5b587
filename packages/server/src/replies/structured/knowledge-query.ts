import type { ContentLanguage } from '@leaddesk/shared';
import { conceptLabel, conceptTerms, findConcepts } from '../../knowledge/answer/index.js';

/** PostgreSQL text-search configurations of the knowledge bases → content languages. */
const CONFIG_LANGUAGE: Record<string, ContentLanguage> = {
  english: 'en',
  spanish: 'es',
  french: 'fr',
  german: 'de',
  portuguese: 'pt',
  italian: 'it',
};
const ALL: ContentLanguage[] = ['en', 'es', 'fr', 'de', 'pt', 'it'];

/**
 * The knowledge-base query for a visitor's question: the question itself,
 * plus the words of its topics in the languages the knowledge bases are
 * written in, so "¿Cuánto cuesta una limpieza?" also searches an English
 * price list for "cleaning" and "price".
 */
export function expandQuery(question: string, kbLanguages?: string[] | null): string {
  const languages = kbLanguages?.length
    ? [...new Set(kbLanguages.flatMap((l) => (CONFIG_LANGUAGE[l] ? [CONFIG_LANGUAGE[l]] : ALL)))]
    : ALL;
  const concepts = [...new Set(findConcepts(question).map((c) => c.concept))];
  // A few words per concept and language: enough to meet the document, not so many that they drown the question.
  // The lexicon's terms are folded ("ninos"), and the full-text search does not fold accents: the concept's
  // label in that language ("Niños") meets the document's own spelling.
  const extra = concepts.flatMap((c) =>
    languages.flatMap((l) => [conceptLabel(c, l) ?? '', ...conceptTerms(c, [l]).slice(0, 4)].filter(Boolean)),
  );
  return [question, ...new Set(extra)].join(' ').slice(0, 1000);
}
