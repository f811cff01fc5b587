import { describe, expect, it } from 'vitest';
import { fromRequestedTime, readRequestedTime } from './requested-time.js';

const NOW = new Date('2026-12-02T15:00:00Z'); // a Wednesday
const ROME = { now: NOW, timeZone: 'Europe/Rome' };
const slot = (start: string) => ({ start, end: null });
const SLOTS = [
  '2026-12-03T09:00:00Z', // Thu 10:00 in Rome
  '2026-12-03T13:00:00Z', // Thu 14:00
  '2026-12-04T08:00:00Z', // Fri 09:00
  '2026-12-04T14:00:00Z', // Fri 15:00
  '2026-12-07T09:00:00Z', // Mon 10:00
].map(slot);

describe('the time a lead asked for', () => {
  it('reads a day and time in any of the languages, in the tenant time zone', () => {
    expect(readRequestedTime('el 4 de diciembre a las 15:00', { ...ROME, language: 'es' })).toEqual({
      day: '2026-12-04',
      time: '15:00',
    });
    expect(readRequestedTime('Thursday afternoon', ROME)).toEqual({ day: '2026-12-03', time: '12:00' });
    expect(readRequestedTime('next week', ROME)).toEqual({ day: '2026-12-07', time: '00:00' });
    expect(readRequestedTime('whenever suits you', ROME)).toBeNull();
    expect(readRequestedTime(undefined, ROME)).toBeNull();
  });

  it('keeps the free slots from that time on, in local time', () => {
    const at = (text: string) =>
      fromRequestedTime(SLOTS, readRequestedTime(text, ROME), 'Europe/Rome').map((s) => s.start);
    expect(at('Thursday afternoon')).toEqual(SLOTS.slice(1).map((s) => s.start));
    // 15:00 in Rome is 14:00 UTC: that slot is kept.
    expect(at('Friday at 15:00')).toEqual(SLOTS.slice(3).map((s) => s.start));
    expect(at('next week')).toEqual([SLOTS[4]?.start]);
  });

  it('falls back to the nearest free slots when none is that late, and to all without a request', () => {
    expect(fromRequestedTime(SLOTS, { day: '2027-01-10', time: '00:00' }, 'Europe/Rome')).toEqual(SLOTS);
    expect(fromRequestedTime(SLOTS, null, 'Europe/Rome')).toEqual(SLOTS);
  });
});
