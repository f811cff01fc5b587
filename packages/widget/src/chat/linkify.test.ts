import { describe, expect, it } from 'vitest';
import { linkify, safeHref } from './linkify.js';

describe('linkify', () => {
  it('links http(s), www and e-mail addresses and keeps the rest as text', () => {
    expect(linkify('See https://example.com/a?b=1, www.example.org or write to ana@example.com.')).toEqual([
      { kind: 'text', text: 'See ' },
      { kind: 'link', text: 'https://example.com/a?b=1', href: 'https://example.com/a?b=1' },
      { kind: 'text', text: ', ' },
      { kind: 'link', text: 'www.example.org', href: 'https://www.example.org/' },
      { kind: 'text', text: ' or write to ' },
      { kind: 'link', text: 'ana@example.com', href: 'mailto:ana@example.com' },
      { kind: 'text', text: '.' },
    ]);
  });

  it('keeps balanced parentheses and drops trailing punctuation', () => {
    expect(linkify('(https://en.wikipedia.org/wiki/Foo_(bar))')).toEqual([
      { kind: 'text', text: '(' },
      {
        kind: 'link',
        text: 'https://en.wikipedia.org/wiki/Foo_(bar)',
        href: 'https://en.wikipedia.org/wiki/Foo_(bar)',
      },
      { kind: 'text', text: ')' },
    ]);
  });

  it('never links javascript:, data: or HTML', () => {
    const text =
      'javascript:alert(1) data:text/html,<b>x</b> <a href="javascript:alert(2)">x</a> <img src=x onerror=alert(1)>';
    expect(linkify(text)).toEqual([{ kind: 'text', text }]);
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('data:text/html,x')).toBeNull();
  });

  it('only ever produces http, https or mailto hrefs', () => {
    for (const candidate of [
      'https://ok.example',
      'www.ok.example',
      'a@b.example',
      'mailto:a@b.example',
      'ftp://x',
      'JAVASCRIPT:alert(1)',
    ]) {
      const href = safeHref(candidate);
      if (href !== null) expect(href).toMatch(/^(https?:|mailto:)/);
    }
    expect(safeHref('https://ok.example')).toBe('https://ok.example/');
  });
});
