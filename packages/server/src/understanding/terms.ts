import { fold } from './fold.js';

/**
 * Dictionary terms to regular expressions over folded text, shared by the
 * concept lexicon and the intent and urgency cues:
 * - whole words; a space matches spaces or a hyphen, a hyphen is optional;
 * - a plain term also matches its plural in s/es;
 * - `stem*` matches any ending, `*head` matches inside a compound;
 * - a leading `!` is a marker for the caller (ambiguous term) and is ignored here.
 */
function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function termPattern(raw: string): string {
  const term = fold(raw.replace(/^!/, ''));
  const inCompound = term.startsWith('*');
  const anyEnding = term.endsWith('*');
  const core = escapeRegExp(term.replace(/^\*|\*$/g, ''))
    .replace(/-/g, '[\\s-]?')
    .replace(/ +/g, '[\\s-]+');
  const left = inCompound ? '[a-z]*' : '';
  const right = anyEnding ? '[a-z]*' : /[a-z]$/.test(term) ? '(?:s|es)?' : '';
  return `${left}${core}${right}`;
}

/** One global regex for a list of terms, longest first so the longer phrase wins. */
export function compileTerms(terms: Iterable<string>): RegExp {
  const patterns = [...new Set([...terms].map(termPattern))].sort((a, b) => b.length - a.length);
  if (!patterns.length) return /(?!)/g;
  return new RegExp(`(?<![a-z0-9])(?:${patterns.join('|')})(?![a-z0-9])`, 'g');
}

/** The first match of a compiled term list in folded text. */
export function firstTerm(re: RegExp, folded: string): { text: string; index: number } | undefined {
  re.lastIndex = 0;
  const m = re.exec(folded);
  return m ? { text: m[0], index: m.index } : undefined;
}
