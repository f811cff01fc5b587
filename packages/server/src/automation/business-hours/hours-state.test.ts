import { clientConfigSchema } from '@leaddesk/shared';
import { describe, expect, it } from 'vitest';
import { hoursContext } from './hours-context.js';
import { addBusinessMinutes, hoursState, scheduleOf } from './hours-state.js';
import { zonedToUtc } from './zoned-time.js';

const weekly = clientConfigSchema.parse({
  businessHours: {
    mon: [
      { open: '09:00', close: '13:00' },
      { open: '14:00', close: '18:00' },
    ],
    tue: [{ open: '09:00', close: '18:00' }],
    wed: [{ open: '09:00', close: '18:00' }],
    thu: [{ open: '09:00', close: '18:00' }],
    fri: [{ open: '09:00', close: '18:00' }],
    sat: [],
    sun: [],
  },
}).businessHours;

const berlin = (hours = {}) => scheduleOf({ timezone: 'Europe/Berlin', config: { businessHours: weekly, hours } });

describe('zoned time', () => {
  it('maps a local time to the right instant on both sides of a daylight-saving change', () => {
    expect(zonedToUtc('Europe/Berlin', '2026-03-27', '09:00').toISOString()).toBe('2026-03-27T08:00:00.000Z');
    expect(zonedToUtc('Europe/Berlin', '2026-03-30', '09:00').toISOString()).toBe('2026-03-30T07:00:00.000Z');
    expect(zonedToUtc('America/New_York', '2026-11-02', '09:00').toISOString()).toBe('2026-11-02T14:00:00.000Z');
    expect(zonedToUtc('America/New_York', '2026-10-30', '09:00').toISOString()).toBe('2026-10-30T13:00:00.000Z');
    // The hour skipped in spring: 02:30 is read with the winter offset (03:30 summer time).
    expect(zonedToUtc('Europe/Berlin', '2026-03-29', '02:30').toISOString()).toBe('2026-03-29T01:30:00.000Z');
  });
});

describe('hours state', () => {
  it('knows the lunch break between two periods of one day', () => {
    const lunch = hoursState(berlin(), new Date('2026-03-23T12:30:00Z')); // Monday 13:30 CET
    expect(lunch.mode).toBe('after_hours');
    expect(lunch.nextOpenAt?.toISOString()).toBe('2026-03-23T13:00:00.000Z');
    expect(hoursState(berlin(), new Date('2026-03-23T13:30:00Z')).mode).toBe('in_hours');
  });

  it('tells the weekend, holidays and closures apart and skips them for the next opening', () => {
    expect(hoursState(berlin(), new Date('2026-03-28T10:00:00Z')).mode).toBe('weekend');
    const easter = berlin({ holidays: [{ date: '2026-04-06', name: 'Easter Monday' }] });
    const sat = hoursState(easter, new Date('2026-04-04T10:00:00Z'));
    expect(sat.nextOpenAt?.toISOString()).toBe('2026-04-07T07:00:00.000Z');
    expect(hoursState(easter, new Date('2026-04-06T10:00:00Z')).mode).toBe('holiday');
    const closed = berlin({ closures: [{ from: '2026-08-03', to: '2026-08-14' }] });
    expect(hoursState(closed, new Date('2026-08-05T10:00:00Z')).nextOpenAt?.toISOString()).toBe(
      '2026-08-17T07:00:00.000Z',
    );
    const special = berlin({ holidays: [{ date: '2026-12-24', periods: [{ open: '10:00', close: '12:00' }] }] });
    expect(hoursState(special, new Date('2026-12-24T09:30:00Z')).mode).toBe('in_hours');
    expect(hoursState(special, new Date('2026-12-24T12:30:00Z')).mode).toBe('holiday');
  });

  it('counts business minutes across a night and a weekend', () => {
    // Friday 17:58 CET + 5 business minutes = Monday 09:03 CEST (after the spring change).
    const due = addBusinessMinutes(berlin(), new Date('2026-03-27T16:58:00Z'), 5);
    expect(due.toISOString()).toBe('2026-03-30T07:03:00.000Z');
    // Over the lunch break.
    expect(addBusinessMinutes(berlin(), new Date('2026-03-23T11:58:00Z'), 5).toISOString()).toBe(
      '2026-03-23T13:03:00.000Z',
    );
  });
});

describe('hours context', () => {
  const client = { timezone: 'Europe/Berlin', config: { businessHours: weekly, hours: {} } };
  it('promises the local opening time in the visitor language, across the change', () => {
    const sat = new Date('2026-03-28T21:00:00Z'); // Saturday 22:00 CET; clocks go forward on Sunday
    const en = hoursContext(client, sat, 'en');
    expect(en.mode).toBe('weekend');
    expect(en.nextOpenAt).toBe('2026-03-30T07:00:00.000Z');
    expect(en.expectation).toBe(
      "We're closed for the weekend. Someone from our team will call you on Monday at 09:00.",
    );
    expect(hoursContext(client, sat, 'es').expectation).toContain('el lunes a las 09:00');
    expect(hoursContext(client, sat, 'de').expectation).toContain('am Montag um 09:00 Uhr');
    expect(hoursContext(client, sat, 'fr').expectation).toContain('lundi à 09:00');
    expect(hoursContext(client, sat, 'pt').expectation).toContain('na segunda-feira às 09:00');
    expect(hoursContext(client, sat, 'it').expectation).toContain('lunedì alle 09:00');
    const night = hoursContext(client, new Date('2026-03-24T20:00:00Z'), 'en');
    expect(night.expectation).toBe("We're closed right now. Someone from our team will call you tomorrow at 09:00.");
    expect(hoursContext(client, new Date('2026-03-24T10:00:00Z'), 'en')).toMatchObject({
      mode: 'in_hours',
      expectation: null,
    });
  });

  it('promises nothing until the tenant saved an hours policy', () => {
    const unset = hoursContext(
      { ...client, config: { businessHours: weekly } },
      new Date('2026-03-24T20:00:00Z'),
      'en',
    );
    expect(unset).toMatchObject({ mode: 'after_hours', open: false, expectation: null, flow: null });
    expect(unset.nextOpenAt).toBe('2026-03-25T08:00:00.000Z');
  });

  it('uses the tenant wording and honours a flow without a promise', () => {
    const custom = {
      ...client,
      config: {
        ...client.config,
        hours: {
          afterHours: { message: { en: 'Closed. We call you {day} at {time}!' } },
          weekend: { promiseCallback: false },
        },
      },
    };
    expect(hoursContext(custom, new Date('2026-03-24T20:00:00Z'), 'en').expectation).toBe(
      'Closed. We call you tomorrow at 09:00!',
    );
    expect(hoursContext(custom, new Date('2026-03-28T20:00:00Z'), 'en').expectation).toBeNull();
  });
});
