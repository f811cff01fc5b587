import { describe, expect, it } from 'vitest';
import { storableErrorText, storableText } from './storable-text.js';

describe('storable text', () => {
  it('removes U+0000 and replaces lone surrogates, keeping paired ones and other text', () => {
    expect(storableText('Sheena\u0000 Nelson')).toBe('Sheena Nelson');
    expect(storableText('a\ud800b')).toBe('a\ufffdb');
    expect(storableText('a\udc00b')).toBe('a\ufffdb');
    expect(storableText('end\ud83d')).toBe('end\ufffd');
    expect(storableText('smile 😀 ok\ttab\u0001')).toBe('smile 😀 ok\ttab\u0001');
    // Every result survives a JSON round trip that PostgreSQL's jsonb would accept.
    expect(JSON.stringify(storableText('\ud800\u0000'))).toBe('"\ufffd"');
  });

  it('turns anything thrown into bounded storable text without splitting a surrogate pair', () => {
    expect(storableErrorText(new Error('bad \u0000 name'))).toBe('bad  name');
    expect(storableErrorText('plain')).toBe('plain');
    expect(storableErrorText({ toString: () => 'obj' })).toBe('obj');
    const hostile = {
      toString() {
        throw new Error('no');
      },
    };
    expect(storableErrorText(hostile)).toBe('unprintable error');
    // The start and the end survive (a database error's cause comes last).
    expect(storableErrorText(new Error(`insert into leads ${'x'.repeat(100)} - value too long`), 40)).toBe(
      `insert into leads xx…xx - value too long`,
    );
    const pairs = storableErrorText(new Error(`${'x'.repeat(4)}😀${'y'.repeat(10)}😀${'z'.repeat(3)}`), 10);
    expect(pairs).toBe('xxxx…zzz');
    expect(pairs.length).toBeLessThanOrEqual(10);
    expect(storableText(pairs)).toBe(pairs);
  });
});
