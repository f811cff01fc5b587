/**
 * What the output guard must never let a visitor read verbatim. Business
 * facts (services, FAQ answers, knowledge the visitor may see) are meant to be
 * repeated and are not part of it: only instructions and internal context.
 */
export interface ConfidentialParts {
  /** Identical across turns (our rules, the tenant's custom instructions, the prompt variant): cut up once and cached. */
  fixed: readonly string[];
  /** This turn's instructions, summary and knowledge marked internal: cut up per reply. */
  perTurn?: readonly string[];
}

/**
 * Refuses to stream a reply that quotes a confidential part of the system
 * prompt: each part is cut into overlapping runs of `spanWords` words, and
 * every word the reply completes is checked against them as it streams. A
 * match stops the reply before the span is complete, so at most
 * `spanWords - 1` words of any run can have gone out.
 *
 * Both sides are compared after `normalizeForGuard`: an invisible soft hyphen
 * or zero-width character inside a word, full-width letters, case, accents,
 * punctuation and whitespace make no difference.
 */
export class OutputGuard {
  private readonly fixed: ReadonlySet<string>;
  private readonly perTurn: ReadonlySet<string>;
  private readonly words: string[] = [];
  private pending = '';

  constructor(
    confidential: ConfidentialParts | string,
    private readonly spanWords = 8,
  ) {
    const parts = typeof confidential === 'string' ? { fixed: [confidential] } : confidential;
    this.fixed = cachedRuns(parts.fixed, spanWords);
    this.perTurn = runsOf(parts.perTurn ?? [], spanWords);
  }

  /** Feeds streamed text; false once the reply has started quoting the prompt. */
  accept(text: string): boolean {
    // Removed before splitting: U+FEFF counts as whitespace for `\s` and would cut a word in two.
    this.pending += text.replace(INVISIBLE, '');
    const parts = this.pending.split(/\s+/);
    // The last part may be a word still being streamed.
    this.pending = parts.pop() ?? '';
    for (const part of parts) if (!this.push(part)) return false;
    // Check the unfinished word too: a span must not complete inside a delta.
    if (this.pending && this.wouldMatch(this.pending)) return false;
    return true;
  }

  private has(run: string): boolean {
    return this.fixed.has(run) || this.perTurn.has(run);
  }

  private push(raw: string): boolean {
    for (const word of tokenize(raw)) {
      this.words.push(word);
      if (this.words.length > this.spanWords) this.words.shift();
      if (this.words.length === this.spanWords && this.has(this.words.join(' '))) return false;
    }
    return true;
  }

  private wouldMatch(raw: string): boolean {
    const window = [...this.words, ...tokenize(raw)].slice(-this.spanWords);
    return window.length === this.spanWords && this.has(window.join(' '));
  }
}

/** Soft hyphen, zero-width space / non-joiner / joiner, word joiner, zero-width no-break space (BOM). */
const INVISIBLE = /[\u00AD\u200B-\u200D\u2060\uFEFF]/g;

/**
 * The form both the prompt and the reply are compared in: invisible
 * characters removed, Unicode compatibility forms folded (full-width letters,
 * ligatures), accents dropped, case folded (`ß` → `ss`), every run of
 * punctuation and whitespace folded to one space.
 *
 * One NFKD pass does what NFKC followed by dropping accents would: two texts
 * equal under NFKC are equal under NFKD (NFKD(NFKC(x)) = NFKD(x)), and the
 * marks NFKD splits off are dropped anyway.
 */
export function normalizeForGuard(text: string): string {
  return text
    .replace(INVISIBLE, '')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function tokenize(text: string): string[] {
  const folded = normalizeForGuard(text);
  return folded ? folded.split(' ') : [];
}

function runsOf(parts: readonly string[], spanWords: number): ReadonlySet<string> {
  const set = new Set<string>();
  for (const part of parts) {
    const words = tokenize(part);
    for (let i = 0; i + spanWords <= words.length; i++) set.add(words.slice(i, i + spanWords).join(' '));
  }
  return set;
}

/**
 * The runs of the fixed parts, computed once per text: they change only with
 * the tenant's configuration, and cutting them up cost about 0.2 ms of every
 * reply's time to the provider request. Bounded: a deployment has a handful
 * of prompt texts per tenant. The per-turn parts change every turn (the time
 * is in them), so caching them would only evict the fixed ones.
 */
const runCache = new Map<string, ReadonlySet<string>>();
const RUN_CACHE_MAX = 500;

function cachedRuns(parts: readonly string[], spanWords: number): ReadonlySet<string> {
  const key = `${spanWords}\u0000${parts.join('\u0000')}`;
  let runs = runCache.get(key);
  if (!runs) {
    runs = runsOf(parts, spanWords);
    if (runCache.size >= RUN_CACHE_MAX) runCache.delete(runCache.keys().next().value as string);
    runCache.set(key, runs);
  }
  return runs;
}
