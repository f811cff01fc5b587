import { describe, expect, it } from 'vitest';
import { afterQuietHours, inQuietHours, nextLocalTime, zonedInstant } from './local-time.js';

describe('local time in a tenant zone', () => {
  it('names the instant of a local time on both sides of a DST change', () => {
    // Madrid: UTC+1 in winter, UTC+2 from the last Sunday of March (2027-03-28).
    expect(zonedInstant('Europe/Madrid', '2027-03-27', '09:00').toISOString()).toBe('2027-03-27T08:00:00.000Z');
    expect(zonedInstant('Europe/Madrid', '2027-03-29', '09:00').toISOString()).toBe('2027-03-29T07:00:00.000Z');
  });

  it('finds the next local time, and the next one on a weekday', () => {
    const after = new Date('2026-12-03T10:00:00Z'); // Thursday, 11:00 in Madrid
    expect(nextLocalTime('Europe/Madrid', '08:00', after).toISOString()).toBe('2026-12-04T07:00:00.000Z');
    expect(nextLocalTime('Europe/Madrid', '12:00', after).toISOString()).toBe('2026-12-03T11:00:00.000Z');
    expect(nextLocalTime('Europe/Madrid', '08:00', after, 'mon').toISOString()).toBe('2026-12-07T07:00:00.000Z');
  });

  it('holds an SMS due in quiet hours (across midnight) until they end', () => {
    const quiet = { start: '21:00', end: '08:00' };
    const late = new Date('2026-12-03T22:30:00Z'); // 23:30 in Madrid
    expect(inQuietHours('Europe/Madrid', quiet, late)).toBe(true);
    expect(afterQuietHours('Europe/Madrid', quiet, late).toISOString()).toBe('2026-12-04T07:00:00.000Z');
    const noon = new Date('2026-12-03T11:00:00Z');
    expect(afterQuietHours('Europe/Madrid', quiet, noon)).toBe(noon);
    expect(afterQuietHours('Europe/Madrid', null, late)).toBe(late);
  });
});
