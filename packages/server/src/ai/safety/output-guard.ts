import { fold } from '../../replies/structured/extract.js';

/**
 * Refuses to stream a reply that quotes the confidential part of the system
 * prompt: the prompt's instructions are cut into overlapping runs of
 * `spanWords` words, and every word the reply completes is checked against
 * them as it streams. A match stops the reply before the span is complete,
 * so at most `spanWords - 1` words of any run can have gone out.
 *
 * Business facts (services, FAQ answers) are meant to be repeated and are not
 * part of what is guarded.
 */
export class OutputGuard {
  private readonly spans: ReadonlySet<string>;
  private readonly words: string[] = [];
  private pending = '';

  constructor(
    confidential: string,
    private readonly spanWords = 8,
  ) {
    this.spans = spansOf(confidential, spanWords);
  }

  /** Feeds streamed text; false once the reply has started quoting the prompt. */
  accept(text: string): boolean {
    this.pending += text;
    const parts = this.pending.split(/\s+/);
    // The last part may be a word still being streamed.
    this.pending = parts.pop() ?? '';
    for (const part of parts) if (!this.push(part)) return false;
    // Check the unfinished word too: a span must not complete inside a delta.
    if (this.pending && this.wouldMatch(this.pending)) return false;
    return true;
  }

  private push(raw: string): boolean {
    for (const word of tokenize(raw)) {
      this.words.push(word);
      if (this.words.length > this.spanWords) this.words.shift();
      if (this.words.length === this.spanWords && this.spans.has(this.words.join(' '))) return false;
    }
    return true;
  }

  private wouldMatch(raw: string): boolean {
    const window = [...this.words, ...tokenize(raw)].slice(-this.spanWords);
    return window.length === this.spanWords && this.spans.has(window.join(' '));
  }
}

/**
 * The runs of a confidential text, computed once per text: it changes only
 * with the tenant's configuration, and cutting it up cost about 0.2 ms of
 * every reply's time to the provider request. Bounded: a deployment has a
 * handful of prompt texts per tenant.
 */
const spanCache = new Map<string, ReadonlySet<string>>();
const SPAN_CACHE_MAX = 500;

function spansOf(confidential: string, spanWords: number): ReadonlySet<string> {
  const key = `${spanWords}\u0000${confidential}`;
  let spans = spanCache.get(key);
  if (!spans) {
    const words = tokenize(confidential);
    const set = new Set<string>();
    for (let i = 0; i + spanWords <= words.length; i++) set.add(words.slice(i, i + spanWords).join(' '));
    spans = set;
    if (spanCache.size >= SPAN_CACHE_MAX) spanCache.delete(spanCache.keys().next().value as string);
    spanCache.set(key, spans);
  }
  return spans;
}

function tokenize(text: string): string[] {
  return fold(text)
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .split(/\s+/)
    .filter(Boolean);
}
