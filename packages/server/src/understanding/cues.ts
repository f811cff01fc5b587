import type { ContentLanguage } from '@leaddesk/shared';
import { CUE_LEXICON, type Cue } from './cue-lexicon.js';
import { compileTerms, firstTerm } from './terms.js';

/**
 * Cue matchers per message language: every language's list, because a short
 * message is sometimes detected in a neighbouring language ("Não é urgente"
 * read as Italian) and the cues are distinctive phrases. Terms marked `!` are
 * words in another language ("consulta" is a question in Spanish) and count
 * only in their own. Question starters are short words and stay per language.
 */
const compiled = new Map<string, RegExp>();
const PER_LANGUAGE = new Set<Cue>(['questionStart', 'greeting']);

export function cueRegex(cue: Cue, language: ContentLanguage): RegExp {
  const key = `${cue}:${language}`;
  let re = compiled.get(key);
  if (!re) {
    const lists = CUE_LEXICON[cue];
    const terms: string[] = [];
    for (const [lang, list] of Object.entries(lists)) {
      const own = lang === language;
      if (PER_LANGUAGE.has(cue) && !own && lang !== 'en') continue;
      for (const t of list) if (own || !t.startsWith('!')) terms.push(t);
    }
    re = compileTerms(terms);
    compiled.set(key, re);
  }
  return re;
}

export function findCue(cue: Cue, folded: string, language: ContentLanguage): string | undefined {
  return firstTerm(cueRegex(cue, language), folded)?.text;
}
