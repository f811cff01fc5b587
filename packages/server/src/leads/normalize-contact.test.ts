import { describe, expect, it } from 'vitest';
import { countryFromLocale, normalizeEmail, normalizePhone } from './normalize-contact.js';

describe('normalizePhone', () => {
  it.each([
    ['+1 (415) 555-0101', undefined, '+14155550101'],
    ['+1.415.555.0101', undefined, '+14155550101'],
    ['0014155550101', undefined, '+14155550101'],
    ['14155550101', undefined, '+14155550101'],
    ['(415) 555-0101', 'US', '+14155550101'],
    ['07911 123456', 'GB', '+447911123456'],
    ['+34 612 34 56 78', undefined, '+34612345678'],
  ])('%s (%s) → %s', (raw, country, expected) => {
    expect(normalizePhone(raw, country)).toBe(expected);
  });

  it.each(['', 'call me', '123', '+1 555'])('rejects %j', (raw) => {
    expect(normalizePhone(raw)).toBeNull();
  });
});

describe('normalizeEmail', () => {
  it('trims and lower-cases', () => {
    expect(normalizeEmail('  Ann.Smith@Example.COM ')).toBe('ann.smith@example.com');
  });
  it.each(['ann', 'ann@', '@x.com', 'a b@x.com'])('rejects %j', (raw) => {
    expect(normalizeEmail(raw)).toBeNull();
  });
});

describe('countryFromLocale', () => {
  it('reads the region of a locale', () => {
    expect(countryFromLocale('en-GB')).toBe('GB');
    expect(countryFromLocale('es')).toBeUndefined();
  });
});
