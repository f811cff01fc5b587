import { CONTENT_LANGUAGES, type ContentLanguage } from '@leaddesk/shared';
import { CONCEPT_LEXICON, type ConceptKind } from './concept-lexicon.js';
import { fold } from './fold.js';
import { termPattern } from './terms.js';

/**
 * Concepts named in a text, in any of the six languages: "limpieza",
 * "détartrage" and "Zahnreinigung" are all `cleaning`. Used on visitor
 * messages (which service, which topic), on the tenant's own service names
 * (so any wording maps onto the same concepts) and on knowledge passages
 * (so a question in one language meets a document in another).
 */
export interface ConceptMatch {
  concept: string;
  /** The folded words that named it. */
  text: string;
}

interface Span extends ConceptMatch {
  start: number;
  end: number;
}

type LexiconList = ContentLanguage | 'all';

/** The lists that apply to a message in `language`: its own, English (visitors mix it in) and the shared one. */
function listsFor(language: ContentLanguage | undefined, everyLanguage: boolean): LexiconList[] {
  if (!language || everyLanguage) return [...CONTENT_LANGUAGES, 'all'];
  return language === 'en' ? ['en', 'all'] : [language, 'en', 'all'];
}

const compiled = new Map<string, Array<{ concept: string; re: RegExp }>>();

function matchersFor(language: ContentLanguage | undefined, everyLanguage = false) {
  const key = `${language ?? '*'}${everyLanguage ? '+' : ''}`;
  const cached = compiled.get(key);
  if (cached) return cached;
  const lists = listsFor(language, everyLanguage);
  const matchers = Object.entries(CONCEPT_LEXICON).map(([concept, entry]) => {
    const patterns = new Set<string>();
    for (const list of lists) {
      for (const term of entry.terms[list] ?? []) {
        // An ambiguous term counts only in its own language's messages.
        if (term.startsWith('!') && language && list !== language) continue;
        patterns.add(termPattern(term));
      }
    }
    // Longest first, so "late check-out" wins over "late" inside one alternation.
    const alternation = [...patterns].sort((a, b) => b.length - a.length).join('|');
    return { concept, re: new RegExp(`(?<![a-z0-9])(?:${alternation})(?![a-z0-9])`, 'g') };
  });
  compiled.set(key, matchers);
  return matchers;
}

function spans(
  folded: string,
  language: ContentLanguage | undefined,
  kind?: ConceptKind,
  everyLanguage = false,
): Span[] {
  const found: Span[] = [];
  for (const { concept, re } of matchersFor(language, everyLanguage)) {
    if (kind && CONCEPT_LEXICON[concept]?.kind !== kind) continue;
    re.lastIndex = 0;
    for (let m = re.exec(folded); m; m = re.exec(folded)) {
      found.push({ concept, text: m[0], start: m.index, end: m.index + m[0].length });
    }
  }
  // Words inside a longer match belong to it: "late checkout" is not also `check_out`.
  return found.filter(
    (s) =>
      !found.some(
        (o) =>
          o !== s &&
          o.concept !== s.concept &&
          o.start <= s.start &&
          o.end >= s.end &&
          o.end - o.start > s.end - s.start,
      ),
  );
}

export interface FindConceptsOptions {
  /**
   * Match every language's terms, keeping `language` only to decide ambiguous ones: a visitor's
   * message whose language was misread still names its concepts. @default false
   */
  everyLanguage?: boolean;
  /** `text` is already folded. @default false */
  folded?: boolean;
}

/**
 * Every concept named in `text`, in order of first mention, each once.
 * `language` narrows the lexicon to that language plus English; without it
 * every language's terms apply.
 */
export function findConcepts(
  text: string,
  language?: ContentLanguage,
  kind?: ConceptKind,
  options: FindConceptsOptions = {},
): ConceptMatch[] {
  const seen = new Set<string>();
  const out: ConceptMatch[] = [];
  const folded = options.folded ? text : fold(text);
  for (const s of spans(folded, language, kind, options.everyLanguage).sort((a, b) => a.start - b.start)) {
    if (seen.has(s.concept)) continue;
    seen.add(s.concept);
    out.push({ concept: s.concept, text: s.text });
  }
  return out;
}

/** The concept ids of the lexicon, with their kind (service or topic). */
export function conceptKind(concept: string): ConceptKind | undefined {
  return CONCEPT_LEXICON[concept]?.kind;
}
