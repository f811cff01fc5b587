import { clientConfigSchema } from '@leaddesk/shared';
import { describe, expect, it } from 'vitest';
import { describeHours, isOpenNow, localTime } from './business-hours.js';

const hours = clientConfigSchema.parse({
  businessHours: {
    mon: [
      { open: '09:00', close: '13:00' },
      { open: '15:00', close: '19:00' },
    ],
    sat: [{ open: '10:00', close: '14:00' }],
  },
}).businessHours;

describe('business hours in the tenant’s time zone', () => {
  it('is open inside either period of the day and closed over lunch', () => {
    // Monday 2026-11-23, Madrid is UTC+1 in November.
    expect(isOpenNow(hours, 'Europe/Madrid', new Date('2026-11-23T09:30:00Z'))).toBe(true); // 10:30
    expect(isOpenNow(hours, 'Europe/Madrid', new Date('2026-11-23T12:30:00Z'))).toBe(false); // 13:30
    expect(isOpenNow(hours, 'Europe/Madrid', new Date('2026-11-23T14:00:00Z'))).toBe(true); // 15:00
    expect(isOpenNow(hours, 'Europe/Madrid', new Date('2026-11-23T18:00:00Z'))).toBe(false); // 19:00, closes at 19:00
  });

  it('uses the tenant zone for the weekday too', () => {
    // Sunday 23:30 UTC is Monday 08:30 in Tokyo… closed; Monday 00:30 UTC is 09:30 in Tokyo, open.
    expect(localTime('Asia/Tokyo', new Date('2026-11-23T00:30:00Z'))).toEqual({ day: 'mon', time: '09:30' });
    expect(isOpenNow(hours, 'Asia/Tokyo', new Date('2026-11-23T00:30:00Z'))).toBe(true);
    expect(isOpenNow(hours, 'UTC', new Date('2026-11-23T00:30:00Z'))).toBe(false);
  });

  it('describes every day for the prompt', () => {
    expect(describeHours(hours)).toContain('mon 09:00-13:00, 15:00-19:00');
    expect(describeHours(hours)).toContain('sun closed');
  });
});
