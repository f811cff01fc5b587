import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AutomationClock } from '../src/automation/sequences/automation-clock.js';
import { createClient } from '../src/tenants/tenant-service.js';
import { fastAutomationTime, leadWritesOnWhatsApp, tenantApi, WHATSAPP } from './support/automation-scenario.js';
import { TEST_REDIS_URL } from './support/databases.js';
import {
  type FakeHttpProvider,
  type RecordedRequest,
  startFakeGraphApi,
  textOf,
  waitFor,
} from './support/fake-providers.js';
import { startTestServer, type TestServer } from './support/test-server.js';

/**
 * Follow-up sequences end to end, on the embedded queue and on BullMQ delayed jobs in Redis: leads write on
 * WhatsApp (Meta's webhook shape), the structured mode answers, and the default sequence (2 h, 24 h, 3 days)
 * runs on automation time 14,400 times faster than real time (one hour = 250 ms).
 */
const SCALE = 14_400;
const HOUR = 3_600_000;
/**
 * How late a step may fire, in automation time: 15 s of real time, for a machine loaded by parallel test
 * runs (PGlite under 2 busy cores was seen 7.5 s late; on an idle machine the steps fire within a few
 * hundred real milliseconds). Never early is exact.
 */
const LATE = 15_000 * SCALE;

const BACKENDS = [
  { name: 'embedded queue', db: 'embedded' as const, redis: false },
  { name: 'BullMQ on Redis', db: 'postgres' as const, redis: true },
];

describe.each(BACKENDS)('follow-up sequences on the $name', ({ db, redis }) => {
  let server: TestServer;
  let graph: FakeHttpProvider & { sent(): RecordedRequest[] };
  let clock: AutomationClock;
  let base: string;
  let tenant: Awaited<ReturnType<typeof createClient>>;
  let other: Awaited<ReturnType<typeof createClient>>;
  let api: ReturnType<typeof tenantApi>;
  let numbers = 0;
  const conn = () => server.db.orm.em.getConnection();
  const newNumber = () => `3466${String(Date.now()).slice(-5)}${String(numbers++).padStart(2, '0')}`;

  const conversationOf = async (waId: string, clientId = tenant.client.id) =>
    waitFor(async () => {
      const rows = await conn().execute<{ id: string }[]>(
        `select c.id from conversations c join leads l on l.id = c.lead_id
         where c.client_id = ? and l.handles->>'whatsapp' = ?`,
        [clientId, waId],
      );
      return rows[0]?.id;
    }, 20_000);
  const state = async (conversationId: string, key = api) =>
    (await key(`/conversations/${conversationId}/follow-ups`)).body;
  const sends = (conversationId: string) =>
    conn().execute<{ step: number; sent_at: Date; anchor_at: Date; via: string; run_id: string }[]>(
      `select s.step, s.sent_at, r.anchor_at, s.via, s.run_id from follow_up_sends s join follow_up_runs r on r.id = s.run_id
       where s.conversation_id = ? order by s.sent_at`,
      [conversationId],
    );
  const followUpMessages = (conversationId: string) =>
    conn().execute<{ content: string; external_id: string; delivery_state: string }[]>(
      `select content, external_id, delivery_state from messages
       where conversation_id = ? and ai->>'provider' = 'follow-up' order by seq`,
      [conversationId],
    );
  const events = (conversationId: string) =>
    conn().execute<{ kind: string; detail: string | null }[]>(
      `select kind, detail from conversation_events where conversation_id = ? order by created_at, id`,
      [conversationId],
    );
  /**
   * Follow-ups of a run stored after the lead's last message (a run must stop at once when the lead
   * writes; the AI's answer to them may start a new run, whose steps are not counted here).
   */
  const followUpsAfterLeadWrote = async (conversationId: string, runId?: string) => {
    const rows = await conn().execute<{ n: string }[]>(
      `select count(*) as n from messages m where m.conversation_id = ? and m.ai->>'provider' = 'follow-up'
         and (?::text is null or m.external_id like 'follow-up:' || ? || ':%')
         and m.seq > (select max(seq) from messages v where v.conversation_id = m.conversation_id and v.role = 'visitor')`,
      [conversationId, runId ?? null, runId ?? null],
    );
    return Number(rows[0]?.n);
  };
  /** The lead says hello and the AI answers: a run is active. */
  const silentLead = async (text = 'Hello, how much is a cleaning?') => {
    const waId = newNumber();
    await leadWritesOnWhatsApp(base, waId, text);
    const conversationId = await conversationOf(waId);
    await waitFor(async () => (await state(conversationId)).run?.status === 'active', 20_000);
    return { waId, conversationId };
  };

  beforeAll(async () => {
    graph = await startFakeGraphApi();
    const time = fastAutomationTime(SCALE);
    clock = time.clock;
    server = await startTestServer({
      db,
      env: {
        ...time.env,
        META_APP_SECRET: WHATSAPP.appSecret,
        META_GRAPH_BASE_URL: graph.url,
        STRUCTURED_CHUNK_DELAY_MS: '0',
        OUTBOUND_SWEEP_INTERVAL_MS: '300',
        FOLLOW_UP_SWEEP_INTERVAL_MS: '500',
        ...(redis ? { REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: `ld-fu-${randomBytes(4).toString('hex')}:` } : {}),
      },
    });
    base = `http://127.0.0.1:${server.port}`;
    tenant = await createClient(server.db.orm.em.fork(), { name: 'Sunset Dental', industry: 'dental' });
    other = await createClient(server.db.orm.em.fork(), { name: 'Other Clinic', industry: 'dental' });
    api = tenantApi(base, tenant.apiKey);
    const res = await api('/channels/whatsapp', {
      method: 'PUT',
      body: {
        phoneNumberId: WHATSAPP.phoneNumberId,
        accessToken: WHATSAPP.accessToken,
        verifyToken: 'tenant-verify-token',
        followUpTemplate: { name: 'missed_you', language: 'en_US', parameters: ['lead_name', 'business_name'] },
      },
    });
    expect(res.status).toBe(200);
  }, 120_000);

  afterAll(async () => {
    await server?.dispose();
    await graph?.close();
  });

  it('sends a silent lead each default step at its offset (2 h, 24 h, 3 days) and nothing more', async () => {
    const { waId, conversationId } = await silentLead();
    // Three steps; the last is due 72 h (18 s real) after our answer.
    await waitFor(async () => (await sends(conversationId)).length === 3, 40_000);
    const rows = await sends(conversationId);
    const offsets = [2 * HOUR, 24 * HOUR, 72 * HOUR];
    for (const [i, row] of rows.entries()) {
      expect(row.step).toBe(i);
      const late = new Date(row.sent_at).getTime() - new Date(row.anchor_at).getTime() - (offsets[i] as number);
      // Never early, and late only by what a loaded machine adds.
      expect(late).toBeGreaterThanOrEqual(0);
      expect(late).toBeLessThan(LATE);
    }
    // The texts went out on WhatsApp as text (the lead wrote moments ago in real time: the window is open).
    await waitFor(() => graph.sent().filter((r) => r.json?.to === waId && textOf(r).includes('reminder')).length === 1);
    const messages = await followUpMessages(conversationId);
    expect(messages.map((m) => m.external_id)).toEqual([0, 1, 2].map((s) => `follow-up:${rows[0]?.run_id}:${s}`));
    expect(messages[0]?.content).toMatch(/anything else I can help/);
    expect((await state(conversationId)).run).toMatchObject({ status: 'completed', stepsSent: 3, totalSteps: 3 });
    const timeline = await events(conversationId);
    expect(timeline.filter((e) => e.kind === 'follow_up_sent').map((e) => e.detail)).toEqual([
      'step 1 of 3',
      'step 2 of 3',
      'step 3 of 3',
    ]);
    // Another virtual day: nothing more.
    await new Promise((r) => setTimeout(r, (24 * HOUR) / SCALE));
    expect(await sends(conversationId)).toHaveLength(3);
  }, 90_000);

  it('stops at once when the lead replies, and the timeline says why', async () => {
    const { waId, conversationId } = await silentLead();
    await waitFor(async () => (await sends(conversationId)).length === 1, 20_000);
    const first = (await state(conversationId)).run;
    await leadWritesOnWhatsApp(base, waId, 'Sorry, I was busy. Is Friday possible?');
    await waitFor(async () => {
      const timeline = await events(conversationId);
      return timeline.some((e) => e.kind === 'follow_up_stopped' && e.detail === 'reply');
    }, 20_000);
    const runs = await conn().execute<{ status: string; stopped_reason: string }[]>(
      'select status, stopped_reason from follow_up_runs where id = ?',
      [first.id],
    );
    expect(runs[0]).toEqual({ status: 'stopped', stopped_reason: 'reply' });
    // Past the reminder's offset of the first run: nothing after the lead's reply (on a loaded machine the
    // reply may take longer than the 22 automation hours to the reminder to arrive, hence "after").
    await new Promise((r) => setTimeout(r, (26 * HOUR) / SCALE));
    const fromFirst = (await sends(conversationId)).filter((s) => s.run_id === first.id);
    expect(fromFirst.length).toBeGreaterThanOrEqual(1);
    expect(await followUpsAfterLeadWrote(conversationId, first.id)).toBe(0);
  }, 60_000);

  // The six languages run side by side (one lead each): the wait past the reminder's offset is shared.
  it('an opt-out word (en STOP, es BAJA, fr Arrêt, de STOPP, pt Sair, it ANNULLA) stops the sequence and nothing automated reaches the lead again', async () => {
    const words = ['STOP', 'BAJA', 'Arrêt', 'STOPP', 'Sair', 'ANNULLA'];
    const conversations = await Promise.all(
      words.map(async (word) => {
        const { waId, conversationId } = await silentLead();
        await leadWritesOnWhatsApp(base, waId, word);
        const stopped = async () => {
          const now = await state(conversationId);
          return now.optedOut === true && now.run?.stoppedReason === 'opt_out';
        };
        await waitFor(stopped, 30_000).catch(async (err) => {
          throw new Error(`${word}: ${err.message}; state ${JSON.stringify(await state(conversationId))}`);
        });
        const leadRows = await conn().execute<{ lead_id: string }[]>(
          'select lead_id from follow_up_opt_outs where conversation_id = ?',
          [conversationId],
        );
        expect(leadRows[0]?.lead_id, word).toBeTruthy();
        // Starting by hand (or by a rule) does nothing for an opted-out lead.
        const started = await api(`/conversations/${conversationId}/follow-ups/start`, { method: 'POST', body: {} });
        expect(started.status, word).toBe(200);
        expect(started.body.run.status, word).toBe('stopped');
        return conversationId;
      }),
    );
    // Past the reminder's offset: nothing automated was stored after the opt-out word (the 2 h nudge may
    // have gone out before the lead wrote it: the word can take longer than 2 automation hours to arrive).
    await new Promise((r) => setTimeout(r, (26 * HOUR) / SCALE));
    for (const conversationId of conversations) expect(await followUpsAfterLeadWrote(conversationId)).toBe(0);
  }, 90_000);

  it('outside the 24-hour WhatsApp window sends the approved template, not text', async () => {
    const { waId, conversationId } = await silentLead();
    await api(`/conversations/${conversationId}/follow-ups/stop`, { method: 'POST', body: {} });
    // The lead last wrote 25 hours ago.
    await conn().execute(
      `update messages set created_at = created_at - interval '25 hours' where conversation_id = ? and role = 'visitor'`,
      [conversationId],
    );
    const before = graph.sent().filter((r) => r.json?.to === waId).length;
    const res = await api(`/conversations/${conversationId}/follow-ups/start`, { method: 'POST', body: {} });
    expect(res.body.run.status).toBe('active');
    await waitFor(async () => (await sends(conversationId)).some((s) => s.via === 'template'), 20_000);
    const sent = await waitFor(() => {
      const after = graph
        .sent()
        .filter((r) => r.json?.to === waId)
        .slice(before);
      return after.length ? after : undefined;
    }, 20_000);
    expect(sent[0]?.json?.type).toBe('template');
    expect(sent[0]?.json?.template).toMatchObject({ name: 'missed_you' });
  }, 60_000);

  it('staff can stop a sequence; another tenant can neither see nor stop it', async () => {
    const { conversationId } = await silentLead();
    const otherApi = tenantApi(base, other.apiKey);
    expect((await state(conversationId, otherApi)).error.code).toBe('not_found');
    const refused = await otherApi(`/conversations/${conversationId}/follow-ups/stop`, { method: 'POST', body: {} });
    expect(refused.status).toBe(404);
    expect((await state(conversationId)).run.status).toBe('active');
    const stopped = await api(`/conversations/${conversationId}/follow-ups/stop`, { method: 'POST', body: {} });
    expect(stopped.body.run).toMatchObject({ status: 'stopped', stoppedReason: 'staff', nextDueAt: null });
    const sentBeforeStop = stopped.body.run.stepsSent;
    await new Promise((r) => setTimeout(r, (26 * HOUR) / SCALE));
    expect(await followUpMessages(conversationId)).toHaveLength(sentBeforeStop);
    expect((await events(conversationId)).some((e) => e.kind === 'follow_up_stopped' && e.detail === 'staff')).toBe(
      true,
    );
  }, 60_000);

  it('validates settings (400 names the field, nothing stored) and takes a merge patch', async () => {
    const bad = await api('/automation/follow-ups', {
      method: 'PATCH',
      body: { followUps: { sequences: { default: { steps: [{ delayMinutes: 0, text: {} }] } } } },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error.details)).toMatch(/delayMinutes/);
    // In words, not in the field's unit (the dashboard edits the delay in hours).
    expect(JSON.stringify(bad.body.error.details)).toContain('the delay must be at least 1 minute');
    const ok = await api('/automation/follow-ups', { method: 'PATCH', body: { digest: { frequency: 'daily' } } });
    expect(ok.status).toBe(200);
    expect(ok.body.digest.frequency).toBe('daily');
    expect(ok.body.followUps.sequences.default.steps).toHaveLength(3);
    const otherView = await tenantApi(base, other.apiKey)('/automation/follow-ups');
    expect(otherView.body.digest.frequency).toBe('off');
    // Digest recipients are checked inside the patch's transaction (on the embedded database, with its one
    // connection, a check from outside it waited for it forever): staff of this business only.
    const invite = (call: typeof api, email: string) =>
      call('/users/invitations', { method: 'POST', body: { email, role: 'viewer' } });
    const reader = await invite(api, `reader-${db}@clinic.example`);
    const outsider = await invite(tenantApi(base, other.apiKey), `outsider-${db}@other.example`);
    expect([reader.status, outsider.status]).toEqual([201, 201]);
    const refused = await api('/automation/follow-ups', {
      method: 'PATCH',
      body: { digest: { recipients: [outsider.body.id] } },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details[0].path).toBe('digest.recipients');
    const saved = await api('/automation/follow-ups', {
      method: 'PATCH',
      body: { digest: { recipients: [reader.body.id] } },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.digest.recipients).toEqual([reader.body.id]);
    expect(saved.body.digest.frequency).toBe('daily');
    // Automation time runs fast in this test: the clock it reads is ahead of the wall clock.
    expect(clock.now().getTime()).toBeGreaterThan(Date.now());
  });
});
