import { describe, expect, it } from 'vitest';
import { parseHtml } from '../parse/parse-html.js';
import { chunkFaqs, chunkSections, contentHash, splitSentences } from './chunk-sections.js';
import { countTokens } from './tokenizer.js';

function sentence(i: number): string {
  return `Sentence number ${i} explains one detail of the treatment plan and what it costs the patient.`;
}

describe('chunkSections', () => {
  const blocks = [Array.from({ length: 120 }, (_, i) => sentence(i)).join(' ')];
  const chunks = chunkSections([{ headings: ['Guide', 'Costs'], blocks }]);

  it('keeps every chunk within about 500 cl100k tokens, heading included', () => {
    expect(chunks.length).toBeGreaterThan(3);
    for (const c of chunks) {
      expect(c.tokenCount).toBe(countTokens(c.content));
      expect(c.tokenCount).toBeLessThanOrEqual(500);
      expect(c.tokenCount).toBeGreaterThan(300);
      expect(c.content.startsWith('Guide › Costs\n\n')).toBe(true);
      expect(c.heading).toBe('Guide › Costs');
    }
  });

  it('cuts at sentence ends and repeats about 50 tokens of the previous chunk', () => {
    for (let i = 1; i < chunks.length; i++) {
      const prev = chunks[i - 1]!.content;
      const body = chunks[i]!.content.replace('Guide › Costs\n\n', '');
      expect(prev.endsWith('patient.')).toBe(true);
      const firstSentence = splitSentences(body)[0]!;
      // The chunk opens with the previous chunk's last sentence(s)…
      expect(prev).toContain(firstSentence);
      const overlap = splitSentences(body).filter((s) => prev.includes(s));
      const overlapTokens = countTokens(overlap.join(' '));
      // …worth at most 50 tokens, and at least one whole sentence.
      expect(overlapTokens).toBeGreaterThan(10);
      expect(overlapTokens).toBeLessThanOrEqual(50);
    }
    expect(chunks.map((c) => c.position)).toEqual(chunks.map((_, i) => i));
  });

  it('never crosses a heading and cuts an endless sentence by tokens', () => {
    const html = `<h1>Rates</h1><p>Double room 180 EUR.</p><h2>Suites</h2><p>${Array.from({ length: 1300 }, (_, i) => `w${i}`).join(' ')}</p><h1>Rules</h1><p>No smoking.</p>`;
    const out = chunkSections(parseHtml(html));
    expect(out[0]!.content).toBe('Rates\n\nDouble room 180 EUR.');
    const suites = out.filter((c) => c.heading === 'Rates › Suites');
    expect(suites.length).toBeGreaterThanOrEqual(3);
    expect(suites.every((c) => c.tokenCount <= 500)).toBe(true);
    // Consecutive pieces share about 50 tokens.
    const tail = suites[0]!.content.split(' ').at(-1)!;
    expect(suites[1]!.content).toContain(` ${tail} `);
    expect(out.at(-1)!.content).toBe('Rules\n\nNo smoking.');
  });

  it('drops a repeated chunk and hashes whitespace-insensitively', () => {
    const out = chunkSections([
      { headings: ['A'], blocks: ['Same text.'] },
      { headings: ['A'], blocks: ['Same   text.'] },
    ]);
    expect(out).toHaveLength(1);
    expect(contentHash('a  b\n c')).toBe(contentHash('a b c'));
  });

  it('makes one chunk per FAQ entry headed by its question', () => {
    const out = chunkFaqs([
      { question: 'Do you open on Sundays?', answer: 'No, we are closed on Sundays.', id: 'hours' },
    ]);
    expect(out).toHaveLength(1);
    expect(out[0]!.content).toBe('Do you open on Sundays?\n\nNo, we are closed on Sundays.');
    expect(out[0]!.metadata).toMatchObject({ question: 'Do you open on Sundays?', faqId: 'hours' });
  });
});

describe('parseHtml', () => {
  it('turns table rows into header: value lines and skips scripts and navigation', () => {
    const sections = parseHtml(
      '<nav>Home</nav><script>x()</script><h2>Prices</h2><table><tr><th>Item</th><th>Price</th></tr><tr><td>Cleaning</td><td>$120</td></tr></table>',
    );
    expect(sections).toEqual([{ headings: ['Prices'], blocks: ['Item: Cleaning; Price: $120'] }]);
  });
});
