import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AutomationClock } from '../src/automation/sequences/automation-clock.js';
import { inQuietHours, nextLocalTime } from '../src/automation/sequences/local-time.js';
import { parseForm, signTwilioRequest } from '../src/channels/sms/twilio-signature.js';
import { createClient } from '../src/tenants/tenant-service.js';
import { fastAutomationTime, tenantApi } from './support/automation-scenario.js';
import { TEST_REDIS_URL } from './support/databases.js';
import { type FakeHttpProvider, startFakeTwilio, waitFor } from './support/fake-providers.js';
import { startTestServer, type TestServer } from './support/test-server.js';

/**
 * SMS quiet hours end to end: a lead texts in through Twilio's signed inbound webhook, the structured mode
 * answers by SMS, the lead goes silent. The sequence's first step falls before the tenant's quiet hours
 * (21:00-08:00 in its time zone) and goes out at its offset; the second falls inside them and goes out at
 * 08:00 local, not at its offset, once; the third, due in the same night two hours after the second, keeps
 * those two hours from when the second went out (10:00), instead of arriving with it. Automation time runs
 * 3,600 times faster (one hour = one second): the night passes in about 14 s.
 */
const SCALE = 3600;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** How late a message may reach Twilio, in automation time: 4 s of real time on a loaded machine. */
const LATE = 4_000 * SCALE;
const QUIET = { start: '21:00', end: '08:00' };
const PUBLIC_URL = 'https://leads.example.com';
const AUTH_TOKEN = '5c4b3a29180f7e6d5c4b3a2918f7e6d5';
const ACCOUNT_SID = 'AC7e6d5c4b3a291807f6e5d4c3b2a19087';
const BUSINESS_NUMBER = '+14155550177';
const LEAD = '+14155550188';
const BEFORE_QUIET = 'Still thinking it over? We are here until 9 pm.';
const IN_QUIET = 'Good morning! Shall we book that cleaning?';
const ALSO_IN_QUIET = 'Last note from us: reply any time to book.';

/**
 * A zone whose local time is 18:xx at `at`: one of the whole-hour `Etc/GMT±N` zones (no daylight saving),
 * chosen once the server runs, so that the run starts at 18:xx local whatever the hour of the test and
 * however long the server took to start. (`Etc/GMT-3` is UTC+3: POSIX signs.)
 */
function zoneAtSixPm(at: Date): string {
  for (let offset = -12; offset <= 14; offset++) {
    if ((at.getUTCHours() + offset + 24) % 24 !== 18) continue;
    // Leave room for the lead's message and our answer (a few real seconds = a few hours here).
    if (at.getUTCMinutes() > 10) continue;
    return offset === 0 ? 'Etc/UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
  }
  return '';
}

describe('SMS follow-ups and quiet hours', () => {
  let server: TestServer;
  let twilio: FakeHttpProvider;
  let clock: AutomationClock;
  let anchorMs: number;
  let base: string;
  const conn = () => server.db.orm.em.getConnection();
  /** The automation time at a real instant (what the server's clock read then). */
  const automationAt = (realMs: number) => new Date(anchorMs + (realMs - anchorMs) * SCALE);
  const smsWith = (text: string) =>
    twilio.requests.filter((r) => r.form?.To === LEAD && r.status === 201 && r.form?.Body === text);

  const postSms = (body: string) => {
    const raw = new URLSearchParams({
      ToCountry: 'US',
      SmsMessageSid: `SM${randomBytes(16).toString('hex')}`,
      NumMedia: '0',
      SmsStatus: 'received',
      Body: body,
      To: BUSINESS_NUMBER,
      NumSegments: '1',
      AccountSid: ACCOUNT_SID,
      From: LEAD,
      ApiVersion: '2010-04-01',
    });
    raw.set('MessageSid', raw.get('SmsMessageSid') as string);
    const buf = Buffer.from(raw.toString());
    return fetch(`${base}/webhooks/sms`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': signTwilioRequest(AUTH_TOKEN, `${PUBLIC_URL}/webhooks/sms`, parseForm(buf)),
      },
      body: buf,
    });
  };

  beforeAll(async () => {
    twilio = await startFakeTwilio();
    const time = fastAutomationTime(SCALE);
    clock = time.clock;
    anchorMs = Number(time.env.AUTOMATION_TIME_ANCHOR_MS);
    server = await startTestServer({
      db: 'postgres',
      env: {
        ...time.env,
        PUBLIC_URL,
        TWILIO_BASE_URL: twilio.url,
        STRUCTURED_CHUNK_DELAY_MS: '0',
        OUTBOUND_SWEEP_INTERVAL_MS: '300',
        FOLLOW_UP_SWEEP_INTERVAL_MS: '500',
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: `ld-fu-quiet-${randomBytes(4).toString('hex')}:`,
      },
    });
    base = `http://127.0.0.1:${server.port}`;
  }, 120_000);

  afterAll(async () => {
    await server?.dispose();
    await twilio?.close();
  });

  it('holds the step due in quiet hours until they end, sends it once, and sends the earlier one on time', async () => {
    // Automation time passes an hour a second: wait (at most a real second) for the start of an hour,
    // then pick the zone where that hour is 18:00.
    const start = await waitFor(() => {
      const now = clock.now();
      return now.getUTCMinutes() <= 10 ? now : undefined;
    }, 5_000);
    const timezone = zoneAtSixPm(start);
    expect(timezone).not.toBe('');
    const tenant = await createClient(server.db.orm.em.fork(), {
      name: 'Harbor Dental',
      industry: 'dental',
      locale: 'en-US',
      timezone,
    });
    const api = tenantApi(base, tenant.apiKey);
    const twilioSaved = await api('/channels/twilio', {
      method: 'PUT',
      body: { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, phoneNumber: BUSINESS_NUMBER },
    });
    expect(twilioSaved.status).toBe(200);
    // Step 1 at 1 h (about 19:xx local: before quiet hours); step 2 at 6 h (about 00:xx: inside them).
    // Our answer may come a real second or two (an hour or two here) after the lead's text: both still hold.
    const saved = await api('/automation/follow-ups', {
      method: 'PATCH',
      body: {
        followUps: {
          channels: ['sms'],
          smsQuietHours: QUIET,
          sequences: {
            default: {
              steps: [
                { delayMinutes: 60, text: { en: BEFORE_QUIET } },
                { delayMinutes: 360, text: { en: IN_QUIET } },
                { delayMinutes: 480, text: { en: ALSO_IN_QUIET } },
              ],
            },
          },
        },
      },
    });
    expect(saved.status).toBe(200);

    expect((await postSms('Hi, how much is a cleaning?')).status).toBe(200);
    // Our answer by SMS (the structured mode) starts the run; the lead says nothing more.
    const run = await waitFor(async () => {
      const rows = await conn().execute<{ id: string; anchor_at: Date; conversation_id: string }[]>(
        `select id, anchor_at, conversation_id from follow_up_runs where client_id = ? and status = 'active'`,
        [tenant.client.id],
      );
      return rows[0];
    }, 20_000);
    const anchor = new Date(run.anchor_at).getTime();
    const firstDue = new Date(anchor + 60 * MINUTE);
    const secondDue = new Date(anchor + 360 * MINUTE);
    const thirdDue = new Date(anchor + 480 * MINUTE);
    // The set-up the test relies on: the first step before quiet hours, the second and third inside them.
    expect(inQuietHours(timezone, QUIET, firstDue)).toBe(false);
    expect(inQuietHours(timezone, QUIET, secondDue)).toBe(true);
    expect(inQuietHours(timezone, QUIET, thirdDue)).toBe(true);
    const quietEnd = nextLocalTime(timezone, QUIET.end, secondDue);
    expect(quietEnd.getTime() - secondDue.getTime()).toBeGreaterThan(2 * HOUR);

    const first = await waitFor(() => smsWith(BEFORE_QUIET)[0], 15_000);
    const firstAt = automationAt(first.at).getTime();
    expect(firstAt).toBeGreaterThanOrEqual(firstDue.getTime());
    expect(firstAt - firstDue.getTime()).toBeLessThan(LATE);

    const second = await waitFor(() => smsWith(IN_QUIET)[0], 25_000);
    const secondAt = automationAt(second.at);
    // Not at its offset (inside quiet hours) but when they end, 08:00 local.
    expect(secondAt.getTime()).toBeGreaterThanOrEqual(quietEnd.getTime());
    expect(secondAt.getTime() - quietEnd.getTime()).toBeLessThan(LATE);
    expect(second.form).toMatchObject({ From: BUSINESS_NUMBER, To: LEAD });
    // Nothing at all reached the lead while it was quiet for them.
    const toLead = twilio.requests.filter((r) => r.form?.To === LEAD && r.status === 201);
    for (const r of toLead) expect(inQuietHours(timezone, QUIET, automationAt(r.at))).toBe(false);

    // The third: two hours (its spacing from the second) after the second actually went out.
    const third = await waitFor(() => smsWith(ALSO_IN_QUIET)[0], 15_000);
    const thirdAt = automationAt(third.at).getTime();
    expect(thirdAt - secondAt.getTime()).toBeGreaterThanOrEqual(2 * HOUR - 1000);
    expect(thirdAt - secondAt.getTime()).toBeLessThan(2 * HOUR + LATE);
    // Nothing at all reached the lead while it was quiet for them.
    for (const r of twilio.requests.filter((x) => x.form?.To === LEAD && x.status === 201)) {
      expect(inQuietHours(timezone, QUIET, automationAt(r.at))).toBe(false);
    }

    // Once: a few more automation hours later there is still one of each, and the run is complete.
    await new Promise((r) => setTimeout(r, 1500));
    expect(smsWith(BEFORE_QUIET)).toHaveLength(1);
    expect(smsWith(IN_QUIET)).toHaveLength(1);
    expect(smsWith(ALSO_IN_QUIET)).toHaveLength(1);
    const sends = await conn().execute<{ step: number; sent_at: Date }[]>(
      'select step, sent_at from follow_up_sends where run_id = ? order by step',
      [run.id],
    );
    expect(sends.map((s) => s.step)).toEqual([0, 1, 2]);
    expect(new Date(sends[1]?.sent_at as Date).getTime()).toBeGreaterThanOrEqual(quietEnd.getTime());
    const state = await api(`/conversations/${run.conversation_id}/follow-ups`);
    expect(state.body.run).toMatchObject({ status: 'completed', stepsSent: 3 });
  }, 60_000);
});
