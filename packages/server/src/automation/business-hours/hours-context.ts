import type { BusinessHours, HoursFlow, HoursMode, HoursPolicyInput } from '@leaddesk/shared';
import { expectationText } from './expectation-text.js';
import { hoursState, scheduleOf } from './hours-state.js';

/**
 * The hours-context provider: what the AI prompt and the structured replies
 * say about opening hours on this turn. Pure (the caller passes the
 * injected clock's now), so both reply engines and the call-back task agree
 * on the same opening time.
 */
export interface HoursContext {
  mode: HoursMode;
  open: boolean;
  /** ISO instant of the next opening. */
  nextOpenAt: string | null;
  /** The flow that applies while closed (after hours, weekend or holiday); null without an hours policy. */
  flow: HoursFlow | null;
  /** The sentence to tell the visitor while closed, in their language; null when open or not wanted. */
  expectation: string | null;
}

export interface HoursClient {
  timezone: string;
  config: { businessHours: BusinessHours; hours?: HoursPolicyInput };
}

export function hoursContext(client: HoursClient, now: Date, language?: string | null): HoursContext {
  const schedule = scheduleOf(client);
  const state = hoursState(schedule, now);
  if (state.mode === 'in_hours') {
    return { mode: state.mode, open: true, nextOpenAt: null, flow: null, expectation: null };
  }
  // Promises and call-back tasks are the tenant's choice: on once it saved an hours policy (even `{}`).
  if (client.config.hours === undefined) {
    return {
      mode: state.mode,
      open: false,
      nextOpenAt: state.nextOpenAt?.toISOString() ?? null,
      flow: null,
      expectation: null,
    };
  }
  const flow = schedule.policy[state.mode === 'after_hours' ? 'afterHours' : state.mode];
  const expectation =
    flow.promiseCallback && state.nextOpenAt
      ? expectationText({
          language,
          mode: state.mode,
          timeZone: schedule.timezone,
          now,
          opensAt: state.nextOpenAt,
          flow,
        })
      : null;
  return {
    mode: state.mode,
    open: false,
    nextOpenAt: state.nextOpenAt?.toISOString() ?? null,
    flow,
    expectation,
  };
}
