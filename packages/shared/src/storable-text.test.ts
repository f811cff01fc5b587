import { describe, expect, it } from 'vitest';
import { findUnstorableText, isStorableText, stripUnstorableString, stripUnstorableText } from './storable-text.js';

describe('storable text', () => {
  it('accepts ordinary text, paired surrogates (emoji) and other control characters', () => {
    expect(isStorableText('Hola 👋 café\t\n\u0001\u007f\uFFFD')).toBe(true);
    expect(findUnstorableText({ a: ['x', { b: '😀' }], n: 1, z: null })).toBeNull();
  });

  it('refuses U+0000 and unpaired surrogates, naming the field', () => {
    expect(findUnstorableText({ config: { faqs: [{ question: 'ok' }, { question: 'a\u0000b' }] } })).toEqual({
      path: 'config.faqs.1.question',
      message: expect.stringContaining('U+0000'),
    });
    expect(findUnstorableText({ name: 'x\uD83D' })?.message).toContain('surrogate');
    expect(findUnstorableText({ name: '\uDE00x' })?.path).toBe('name');
    expect(findUnstorableText('\u0000')?.path).toBe('(root)');
  });

  it('checks object keys too', () => {
    expect(findUnstorableText({ custom: { 'k\u0000': 'v' } })).toEqual({
      path: 'custom.k',
      message: expect.stringContaining('field name'),
    });
  });

  it('walks a deeply nested value without overflowing the stack', () => {
    let deep: unknown = 'bottom\u0000';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    const found = findUnstorableText(deep);
    expect(found?.message).toContain('U+0000');
    expect(found?.path.length).toBeLessThanOrEqual(201);
  });

  it('strips NUL and replaces unpaired surrogates, leaving everything else as it was', () => {
    expect(stripUnstorableString('a\u0000b\uD800c😀')).toBe('ab\uFFFDc😀');
    const at = new Date(0);
    const stripped = stripUnstorableText({ 'n\u0000ame': 'Jo\u0000e', list: ['\uDC00'], at, n: 3 });
    expect(stripped).toEqual({ name: 'Joe', list: ['\uFFFD'], at, n: 3 });
    expect(stripped.at).toBe(at);
    expect(findUnstorableText(stripped)).toBeNull();
  });
});
