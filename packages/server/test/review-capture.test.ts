import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AutomationClock } from '../src/automation/sequences/automation-clock.js';
import { createClient } from '../src/tenants/tenant-service.js';
import { fastAutomationTime, leadWritesOnWhatsApp, tenantApi, WHATSAPP } from './support/automation-scenario.js';
import {
  type FakeHttpProvider,
  type RecordedRequest,
  startFakeGraphApi,
  textOf,
  waitFor,
} from './support/fake-providers.js';
import { startTestServer, type TestServer } from './support/test-server.js';

/**
 * Review capture end to end: a lead closed as won (or whose appointment has taken place) gets one WhatsApp
 * message with a tracked link; `/r/<token>` counts the click and redirects to the tenant's review page.
 * Automation time runs 14,400 times faster (one hour = 250 ms).
 */
const SCALE = 14_400;
const HOUR = 3_600_000;
const REVIEW_LINK = 'https://g.page/r/sunset-dental-review/review';

describe('review capture', () => {
  let server: TestServer;
  let graph: FakeHttpProvider & { sent(): RecordedRequest[] };
  let clock: AutomationClock;
  let base: string;
  let tenant: Awaited<ReturnType<typeof createClient>>;
  let other: Awaited<ReturnType<typeof createClient>>;
  let api: ReturnType<typeof tenantApi>;
  let n = 0;
  const conn = () => server.db.orm.em.getConnection();
  const newNumber = () => `3377${String(Date.now()).slice(-5)}${String(n++).padStart(2, '0')}`;

  const leadOf = async (waId: string, clientId = tenant.client.id) =>
    waitFor(async () => {
      const rows = await conn().execute<{ id: string }[]>(
        `select id from leads where client_id = ? and handles->>'whatsapp' = ?`,
        [clientId, waId],
      );
      return rows[0]?.id;
    }, 20_000);
  const reviewMessages = (leadId: string) =>
    conn().execute<{ content: string }[]>(
      `select m.content from messages m join conversations c on c.id = m.conversation_id
       where c.lead_id = ? and m.ai->>'provider' = 'review-request'`,
      [leadId],
    );
  const request = async (leadId: string) =>
    (
      await conn().execute<{ status: string; token: string; clicks: number; trigger: string }[]>(
        'select status, token, clicks, trigger from review_requests where lead_id = ?',
        [leadId],
      )
    )[0];
  const setStatus = (leadId: string, status: string, key = api) =>
    key(`/leads/${leadId}/status`, { method: 'PATCH', body: { status } });

  beforeAll(async () => {
    graph = await startFakeGraphApi();
    const time = fastAutomationTime(SCALE);
    clock = time.clock;
    server = await startTestServer({
      env: {
        ...time.env,
        META_APP_SECRET: WHATSAPP.appSecret,
        META_GRAPH_BASE_URL: graph.url,
        STRUCTURED_CHUNK_DELAY_MS: '0',
        OUTBOUND_SWEEP_INTERVAL_MS: '300',
        FOLLOW_UP_SWEEP_INTERVAL_MS: '300',
        PUBLIC_URL: 'https://desk.sunset-dental.example',
      },
    });
    base = `http://127.0.0.1:${server.port}`;
    tenant = await createClient(server.db.orm.em.fork(), { name: 'Sunset Dental', industry: 'dental' });
    other = await createClient(server.db.orm.em.fork(), { name: 'Other Clinic', industry: 'dental' });
    api = tenantApi(base, tenant.apiKey);
    const channel = await api('/channels/whatsapp', {
      method: 'PUT',
      body: { phoneNumberId: WHATSAPP.phoneNumberId, accessToken: WHATSAPP.accessToken },
    });
    expect(channel.status).toBe(200);
    const settings = await api('/automation/follow-ups', {
      method: 'PATCH',
      body: {
        followUps: { enabled: false },
        reviews: { enabled: true, link: REVIEW_LINK, afterWonMinutes: 60, afterAppointmentMinutes: 120 },
      },
    });
    expect(settings.status).toBe(200);
  }, 120_000);

  afterAll(async () => {
    await server?.dispose();
    await graph?.close();
  });

  it('asks a lead closed as won for a review once, through a tracked redirect that counts clicks', async () => {
    const waId = newNumber();
    await leadWritesOnWhatsApp(base, waId, 'Thanks for the cleaning today!');
    const leadId = await leadOf(waId);
    const closedAt = clock.now().getTime();
    expect((await setStatus(leadId, 'closed_won')).status).toBe(200);
    const sent = await waitFor(async () => ((await request(leadId))?.status === 'sent' ? request(leadId) : undefined));
    expect(sent?.trigger).toBe('won');
    // Not before the configured delay (60 automation minutes).
    const at = await conn().execute<{ sent_at: Date }[]>('select sent_at from review_requests where lead_id = ?', [
      leadId,
    ]);
    expect(new Date(at[0]?.sent_at as Date).getTime() - closedAt).toBeGreaterThanOrEqual(HOUR);

    const token = sent?.token as string;
    const outbound = await waitFor(() => graph.sent().find((r) => r.json?.to === waId && textOf(r).includes('/r/')));
    expect(textOf(outbound)).toContain(`https://desk.sunset-dental.example/r/${token}`);

    const click = await fetch(`${base}/r/${token}`, { redirect: 'manual' });
    expect(click.status).toBe(302);
    expect(click.headers.get('location')).toBe(REVIEW_LINK);
    await fetch(`${base}/r/${token}`, { redirect: 'manual' });
    expect((await request(leadId))?.clicks).toBe(2);
    expect((await fetch(`${base}/r/not-a-real-token-123`, { redirect: 'manual' })).status).toBe(404);

    // Reopened and won again: still one request.
    expect((await setStatus(leadId, 'nurturing')).status).toBe(200);
    expect((await setStatus(leadId, 'closed_won')).status).toBe(200);
    await new Promise((r) => setTimeout(r, (3 * HOUR) / SCALE));
    expect(await reviewMessages(leadId)).toHaveLength(1);
    const timeline = await conn().execute<{ kind: string }[]>(
      `select e.kind from conversation_events e join conversations c on c.id = e.conversation_id where c.lead_id = ?`,
      [leadId],
    );
    expect(timeline.filter((e) => e.kind === 'review_requested')).toHaveLength(1);
  }, 60_000);

  it('asks after an appointment has taken place (and its delay passed), not before', async () => {
    const past = newNumber();
    const future = newNumber();
    await leadWritesOnWhatsApp(base, past, 'See you at my appointment');
    await leadWritesOnWhatsApp(base, future, 'See you next week');
    const pastLead = await leadOf(past);
    const futureLead = await leadOf(future);
    const now = clock.now().getTime();
    await conn().execute('update leads set appointment_at = ? where id = ?', [new Date(now - 3 * HOUR), pastLead]);
    await conn().execute('update leads set appointment_at = ? where id = ?', [
      new Date(now + 24 * 7 * HOUR),
      futureLead,
    ]);
    const sent = await waitFor(async () =>
      (await request(pastLead))?.status === 'sent' ? request(pastLead) : undefined,
    );
    expect(sent?.trigger).toBe('appointment');
    await new Promise((r) => setTimeout(r, 1500));
    expect(await request(futureLead)).toBeUndefined();
  }, 60_000);

  it('honours an opt-out, and a tenant without review capture sends nothing', async () => {
    const waId = newNumber();
    await leadWritesOnWhatsApp(base, waId, 'Hello');
    const leadId = await leadOf(waId);
    await leadWritesOnWhatsApp(base, waId, 'STOP');
    await waitFor(async () => {
      const rows = await conn().execute('select 1 from follow_up_opt_outs where lead_id = ?', [leadId]);
      return rows.length > 0;
    }, 20_000);
    expect((await setStatus(leadId, 'closed_won')).status).toBe(200);

    const otherLead = (
      await conn().execute<{ id: string }[]>(
        `insert into leads (id, client_id, name, handles, source, qualification, score_evidence, status, created_at, updated_at)
         values (gen_random_uuid(), ?, 'Other lead', '{}'::jsonb, 'web', '{}'::jsonb, '[]'::jsonb, 'new', now(), now())
         returning id`,
        [other.client.id],
      )
    )[0]?.id as string;
    expect((await setStatus(otherLead, 'closed_won', tenantApi(base, other.apiKey))).status).toBe(200);
    // A tenant cannot move another tenant's lead.
    expect((await setStatus(otherLead, 'nurturing')).status).toBe(404);

    await new Promise((r) => setTimeout(r, (3 * HOUR) / SCALE + 500));
    expect(await request(leadId)).toBeUndefined();
    expect(await reviewMessages(leadId)).toHaveLength(0);
    expect(await request(otherLead)).toBeUndefined();
  }, 60_000);
});
