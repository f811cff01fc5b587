import { describe, expect, it } from 'vitest';
import { splitText } from './split-text.js';

const norm = (s: string) => s.replace(/\s+/g, ' ').trim();

describe('splitText', () => {
  it('keeps a short reply whole', () => {
    expect(splitText('  Hello there!  ', { maxLength: 100 })).toEqual(['Hello there!']);
    expect(splitText('   ', { maxLength: 100 })).toEqual([]);
  });

  it('packs whole sentences into parts up to the target length and loses nothing', () => {
    const text =
      'Thanks for reaching out to Sunset Dental. We are open Monday to Friday from 9 to 5. ' +
      'A cleaning costs about 120.50 dollars, and most insurance plans cover it. ' +
      'Would you like me to book a time for you? Our hygienist has openings on Tuesday. What suits you best?';
    const parts = splitText(text, { maxLength: 4096, targetLength: 120 });
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.length).toBeLessThanOrEqual(4);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(120);
      // Each part ends at a sentence end: never mid-sentence.
      expect(p).toMatch(/[.?!]$/);
    }
    expect(norm(parts.join(' '))).toBe(norm(text));
    // A decimal point is not a sentence end.
    expect(parts.some((p) => p.includes('120.50 dollars'))).toBe(true);
  });

  it('starts a new part at a paragraph break', () => {
    const parts = splitText(`${'First paragraph sentence. '.repeat(3)}\n\nSecond paragraph.`, {
      maxLength: 1000,
      targetLength: 60,
    });
    expect(parts.at(-1)).toBe('Second paragraph.');
  });

  it('cuts a sentence longer than the hard limit at word boundaries', () => {
    const long = `${'word '.repeat(100).trim()}.`;
    const parts = splitText(long, { maxLength: 50 });
    expect(parts.every((p) => p.length <= 50)).toBe(true);
    expect(parts.every((p) => !p.startsWith(' ') && !p.endsWith(' '))).toBe(true);
    expect(norm(parts.join(' '))).toBe(norm(long));
  });
});
