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
  private readonly spans = new Set<string>();
  private readonly words: string[] = [];
  private pending = '';

  constructor(
    confidential: string,
    private readonly spanWords = 8,
  ) {
    const words = tokenize(confidential);
    for (let i = 0; i + spanWords <= words.length; i++) this.spans.add(words.slice(i, i + spanWords).join(' '));
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

function tokenize(text: string): string[] {
  return fold(text)
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .split(/\s+/)
    .filter(Boolean);
}
