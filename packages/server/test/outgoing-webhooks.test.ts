/**
 * Outgoing webhooks end to end over HTTP (issue 15): endpoints created through
 * the REST API as the dashboard does, real domain events (a web form lead, a
 * staff status change) delivered to a local receiver that verifies each
 * Standard Webhooks signature with the reference library; retries after 500s,
 * replay, auto-disable with the admins' email, and tenant isolation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthTestServer, type MailCatcher, startAuthServer, startMailCatcher } from './auth/support.js';
import { waitFor } from './support/fake-providers.js';
import { connectStaff } from './support/staff-client.js';
import {
  type ReceivedWebhook,
  startWebhookReceiver,
  verifiedBody,
  type WebhookReceiver,
} from './support/webhook-receiver.js';

describe('outgoing webhooks', () => {
  let t: AuthTestServer;
  let mail: MailCatcher;
  const receivers: WebhookReceiver[] = [];
  const tokens = { admin: '', viewer: '', otherAdmin: '' };
  let siteKey = '';
  let adminEmail = '';

  const receiver = async () => {
    const r = await startWebhookReceiver();
    receivers.push(r);
    return r;
  };
  /** Creates an endpoint as the tenant's admin; the receiver verifies with the secret shown once. */
  const connect = async (r: WebhookReceiver, events: string[], token = tokens.admin) => {
    const res = await t.api('/webhook-endpoints', { token, body: { url: r.url, events, description: 'CRM' } });
    expect(res.status).toBe(201);
    r.setSecret(res.body.secret);
    return res.body as { endpoint: { id: string; secret: { last4: string } }; secret: string };
  };
  const deliveries = async (endpointId: string, token = tokens.admin) => {
    const res = await t.api(`/webhook-endpoints/${endpointId}/deliveries`, { token });
    expect(res.status).toBe(200);
    // biome-ignore lint/suspicious/noExplicitAny: delivery views asserted field by field
    return res.body.data as any[];
  };

  beforeAll(async () => {
    mail = await startMailCatcher();
    t = await startAuthServer({
      db: 'postgres',
      env: {
        SMTP_URL: mail.url,
        STRUCTURED_CHUNK_DELAY_MS: '0',
        OUTGOING_WEBHOOKS_ALLOW_PRIVATE: 'true',
        OUTGOING_WEBHOOKS_ALLOW_HTTP: 'true',
        OUTGOING_WEBHOOKS_RETRY_BASE_MS: '100',
        OUTGOING_WEBHOOKS_RETRY_MAX_MS: '800',
        OUTGOING_WEBHOOKS_RETRY_WINDOW_MS: '4000',
        OUTGOING_WEBHOOKS_SWEEP_INTERVAL_MS: '500',
        OUTGOING_WEBHOOKS_TIMEOUT_MS: '3000',
      },
    });
    const tenant = await t.newClient('Sunset Dental');
    siteKey = tenant.client.siteKey;
    const admin = await t.createStaff({ client: tenant.client, role: 'admin' });
    adminEmail = admin.email;
    tokens.admin = (await t.login(admin.email, admin.password)).accessToken;
    const viewer = await t.createStaff({ client: tenant.client, role: 'viewer' });
    tokens.viewer = (await t.login(viewer.email, viewer.password)).accessToken;
    const other = await t.newClient('Casa Sol');
    const otherAdmin = await t.createStaff({ client: other.client, role: 'admin' });
    tokens.otherAdmin = (await t.login(otherAdmin.email, otherAdmin.password)).accessToken;
  }, 90_000);
  afterAll(async () => {
    await t?.server.dispose();
    await Promise.all(receivers.map((r) => r.close()));
    await mail?.close();
  });

  it('delivers a web-form lead and its status changes, signed, with the secret shown once and stored sealed', async () => {
    const r = await receiver();
    const created = await connect(r, ['lead.created', 'message.created', 'lead.status_changed', 'lead.qualified']);
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(created.endpoint.secret).toEqual({ set: true, last4: created.secret.slice(-4) });
    // Never again in full: not in a read, not in the database.
    const read = await t.api(`/webhook-endpoints/${created.endpoint.id}`, { token: tokens.viewer });
    expect(read.status).toBe(200);
    expect(read.text).not.toContain(created.secret.slice(6, 30));
    const stored = await t.server.db.orm.em
      .getConnection()
      .execute<{ s: string }[]>('select secret_sealed as s from outgoing_webhook_endpoints where id = ?', [
        created.endpoint.id,
      ]);
    expect(stored[0]?.s).toMatch(/^v1\./);
    expect(stored[0]?.s).not.toContain(created.secret.slice(6, 30));

    const form = await fetch(`${t.server.url}/webhooks/web-form`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ siteKey, name: 'Pat Doe', email: 'pat@example.com', message: 'Do you do implants?' }),
    });
    expect(form.status).toBeLessThan(300);
    const [lead] = await waitFor(() => r.ofType('lead.created').length > 0 && r.ofType('lead.created'));
    expect(lead?.verifyError).toBeNull();
    expect(lead?.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(lead?.headers['webhook-id']).toMatch(/^msg_[0-9a-f]{32}$/);
    const leadData = verifiedBody(lead).data.lead as { id: string; email: string; status: string };
    expect(leadData.email).toBe('pat@example.com');
    expect(Date.parse(lead?.verified?.timestamp ?? '')).not.toBeNaN();
    type Msg = { role: string; content: string };
    const messageOf = (x: ReceivedWebhook) => verifiedBody(x).data.message as Msg;
    const visitor = await waitFor(() => r.ofType('message.created').find((x) => messageOf(x).role === 'visitor'));
    expect(messageOf(visitor).content).toContain('implants');

    const status = await t.api(`/leads/${leadData.id}/status`, {
      method: 'PATCH',
      token: tokens.admin,
      body: { status: 'qualified' },
    });
    expect(status.status).toBe(200);
    // The structured mode may have moved the lead to qualifying first (its own status_changed, by the AI).
    const changed = await waitFor(() =>
      r.ofType('lead.status_changed').find((x) => x.verified?.data.to === 'qualified'),
    );
    expect(changed.verified?.data).toMatchObject({ to: 'qualified', by: 'staff' });
    expect(['new', 'qualifying']).toContain(changed.verified?.data.from);
    const [qualified] = await waitFor(() => r.ofType('lead.qualified').length > 0 && r.ofType('lead.qualified'));
    expect((verifiedBody(qualified).data.lead as { id: string }).id).toBe(leadData.id);
    // Every request verified with the endpoint's secret; only the transcript's messages, never notes or system lines.
    expect(r.received.every((x) => x.verifyError === null)).toBe(true);
    expect(r.ofType('message.created').every((x) => ['visitor', 'ai', 'staff'].includes(messageOf(x).role))).toBe(true);
  });

  it('records a lead whose outbox write failed after the core committed it, from the lead row: delivered once', async () => {
    const r = await receiver();
    await connect(r, ['lead.created', 'message.created']);
    const db = t.server.db.orm.em.getConnection();
    // The outbox write fails for lead.created (as when the process dies between the core's commit and it).
    await db.execute(`create function ld_test_fail_lead_outbox() returns trigger language plpgsql as $$
      begin if new.type = 'lead.created' then raise exception 'outbox write lost'; end if; return new; end $$`);
    await db.execute(`create trigger ld_test_fail_lead_outbox before insert on outgoing_webhook_events
      for each row execute function ld_test_fail_lead_outbox()`);
    try {
      const form = await fetch(`${t.server.url}/webhooks/web-form`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ siteKey, name: 'Lost Lead', email: 'lost@example.com', message: 'Any Saturday slots?' }),
      });
      expect(form.status).toBeLessThan(300);
      // The rest of the moment still flows (the message), the lead event does not.
      await waitFor(() =>
        r.ofType('message.created').some((x) => JSON.stringify(verifiedBody(x)).includes('Saturday slots')),
      );
      await new Promise((res) => setTimeout(res, 1200));
      expect(r.ofType('lead.created')).toHaveLength(0);
    } finally {
      await db.execute('drop trigger ld_test_fail_lead_outbox on outgoing_webhook_events');
      await db.execute('drop function ld_test_fail_lead_outbox()');
    }
    // The sweep finds the lead with no outbox row and records it from the row: once, same shape as live.
    const [event] = await waitFor(() => r.ofType('lead.created').length > 0 && r.ofType('lead.created'), 10_000);
    expect(event?.verifyError).toBeNull();
    const lead = verifiedBody(event).data.lead as { id: string; email: string; status: string; createdAt: string };
    expect(lead.email).toBe('lost@example.com');
    await new Promise((res) => setTimeout(res, 1500));
    expect(r.ofType('lead.created')).toHaveLength(1);
    const keys = await db.execute<{ n: string }[]>(
      `select count(*) as n from outgoing_webhook_events where dedup_key = ?`,
      [`lead.created:${lead.id}`],
    );
    expect(Number(keys[0]?.n)).toBe(1);
  });

  it('records status changes, a lead turning hot and a takeover whose outbox writes failed, from the stored moments: once each', async () => {
    const r = await receiver();
    await connect(r, ['lead.status_changed', 'lead.qualified', 'lead.hot', 'conversation.taken_over']);
    const db = t.server.db.orm.em.getConnection();
    const form = await fetch(`${t.server.url}/webhooks/web-form`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        siteKey,
        name: 'Moment Lead',
        email: 'moment@example.com',
        message: 'Do you whiten teeth?',
      }),
    });
    expect(form.status).toBeLessThan(300);
    const found = await waitFor(async () => {
      const rows = await db.execute<{ lead_id: string; conversation_id: string }[]>(
        `select l.id as lead_id, c.id as conversation_id from leads l join conversations c on c.lead_id = l.id
          where l.email = 'moment@example.com'`,
      );
      return rows[0];
    });
    // Let the structured mode's own status change (new → qualifying) be delivered live first.
    await new Promise((res) => setTimeout(res, 1500));
    const before = r.received.length;
    const [{ status: from }] = await db.execute<{ status: string }[]>('select status from leads where id = ?', [
      found.lead_id,
    ]);

    // Every outbox write of these moments fails, as when the process dies between the commit and it.
    await db.execute(`create function ld_test_fail_moments() returns trigger language plpgsql as $$
      begin
        if new.type in ('lead.status_changed', 'lead.qualified', 'lead.hot', 'conversation.taken_over') then
          raise exception 'outbox write lost';
        end if;
        return new;
      end $$`);
    await db.execute(`create trigger ld_test_fail_moments before insert on outgoing_webhook_events
      for each row execute function ld_test_fail_moments()`);
    const agent = connectStaff(t.server.url, { token: tokens.admin });
    try {
      const status = await t.api(`/leads/${found.lead_id}/status`, {
        method: 'PATCH',
        token: tokens.admin,
        body: { status: 'qualified' },
      });
      expect(status.status).toBe(200);
      // Any path that turns the row hot (the scorer, a rule, a CRM): the row's trigger stores the moment.
      await db.execute(`update leads set temperature = 'hot', score = 91, updated_at = now() where id = ?`, [
        found.lead_id,
      ]);
      const took = await agent.call('conversation:takeover', { conversationId: found.conversation_id });
      expect(took.ok).toBe(true);
      await new Promise((res) => setTimeout(res, 1200));
      expect(r.received.length).toBe(before);
    } finally {
      await db.execute('drop trigger ld_test_fail_moments on outgoing_webhook_events');
      await db.execute('drop function ld_test_fail_moments()');
    }
    // A later change whose outbox write works: delivered live, and the sweep must not add a second event.
    const later = await t.api(`/leads/${found.lead_id}/status`, {
      method: 'PATCH',
      token: tokens.admin,
      body: { status: 'handed_off' },
    });
    expect(later.status).toBe(200);
    const live = await waitFor(() => r.ofType('lead.status_changed').find((x) => x.verified?.data.to === 'handed_off'));
    expect(live.verified?.data).toMatchObject({ from: 'qualified', to: 'handed_off', by: 'staff' });

    // The sweep finds each moment with no event and records it, with what the moment stored.
    const qualified = await waitFor(
      () => r.ofType('lead.status_changed').find((x) => x.verified?.data.to === 'qualified'),
      15_000,
    );
    expect(qualified.verifyError).toBeNull();
    expect(qualified.verified?.data).toMatchObject({ from, to: 'qualified', by: 'system' });
    expect((verifiedBody(qualified).data.lead as { id: string }).id).toBe(found.lead_id);
    const [hot] = await waitFor(() => r.ofType('lead.hot').length > 0 && r.ofType('lead.hot'), 15_000);
    expect(verifiedBody(hot).data).toMatchObject({ leadId: found.lead_id, score: 91 });
    const [takeover] = await waitFor(
      () => r.ofType('conversation.taken_over').length > 0 && r.ofType('conversation.taken_over'),
      15_000,
    );
    expect(verifiedBody(takeover).data).toMatchObject({ conversationId: found.conversation_id, channel: 'web_form' });
    await waitFor(() => r.ofType('lead.qualified').length > 0, 15_000);

    // Two more sweeps: nothing twice, live or recovered.
    await new Promise((res) => setTimeout(res, 1500));
    const count = (type: string, to?: string) =>
      r.ofType(type).filter((x) => to === undefined || x.verified?.data.to === to).length;
    expect(count('lead.status_changed', 'qualified')).toBe(1);
    expect(count('lead.status_changed', 'handed_off')).toBe(1);
    // The structured mode's own change (to qualifying) went live before: the sweep did not repeat it either.
    const tos = r.ofType('lead.status_changed').map((x) => x.verified?.data.to);
    expect(new Set(tos).size).toBe(tos.length);
    expect(count('lead.qualified')).toBe(1);
    expect(count('lead.hot')).toBe(1);
    expect(count('conversation.taken_over')).toBe(1);
    agent.close();

    // Moments older than two days are pruned by the sweep; recent ones stay for the next catch-up.
    await db.execute(
      `insert into lead_moments (client_id, lead_id, kind, from_status, to_status, at, created_at)
       select client_id, lead_id, kind, from_status, to_status, at, now() - interval '3 days'
         from lead_moments where lead_id = ?`,
      [found.lead_id],
    );
    const moments = async () =>
      db.execute<{ old: string; recent: string }[]>(
        `select count(*) filter (where created_at < now() - interval '2 days')::text as old,
                count(*) filter (where created_at >= now() - interval '2 days')::text as recent
           from lead_moments where lead_id = ?`,
        [found.lead_id],
      );
    const [copied] = await moments();
    expect(Number(copied?.old)).toBeGreaterThan(0);
    await waitFor(async () => Number((await moments())[0]?.old) === 0, 10_000);
    expect(Number((await moments())[0]?.recent)).toBe(Number(copied?.old));
  });

  it('retries after 500s with backoff, logs every attempt, then succeeds; replay sends it again with the same id', async () => {
    const r = await receiver();
    const { endpoint } = await connect(r, ['lead.hot']);
    r.answerNext(500, 500);
    const test = await t.api(`/webhook-endpoints/${endpoint.id}/test`, { method: 'POST', token: tokens.admin });
    expect(test.status).toBe(202);
    const delivered = await waitFor(async () => {
      const [d] = await deliveries(endpoint.id);
      return d?.status === 'succeeded' && d;
    });
    expect(delivered.eventType).toBe('webhook.test');
    expect(delivered.attempts).toBe(3);
    expect(delivered.attemptLog.map((a: { statusCode: number }) => a.statusCode)).toEqual([500, 500, 200]);
    expect(delivered.attemptLog[0]).toMatchObject({ succeeded: false, error: 'HTTP 500' });
    expect(delivered.attemptLog[0].responseExcerpt).toContain('receiver says 500');
    expect(delivered.attemptLog[0].durationMs).toBeGreaterThanOrEqual(0);
    // Backoff: the second try waited after the first.
    const starts = delivered.attemptLog.map((a: { startedAt: string }) => Date.parse(a.startedAt));
    expect(starts[1] - starts[0]).toBeGreaterThanOrEqual(50);
    expect(r.received).toHaveLength(3);
    const ids = new Set(r.received.map((x) => x.headers['webhook-id']));
    expect(ids.size).toBe(1);
    expect(r.received.every((x) => x.verifyError === null)).toBe(true);

    const replay = await t.api(`/webhook-deliveries/${delivered.id}/replay`, { method: 'POST', token: tokens.admin });
    expect(replay.status).toBe(202);
    await waitFor(() => r.received.length === 4);
    expect(r.received[3]?.headers['webhook-id']).toBe(delivered.messageId);
    expect(r.received[3]?.verifyError).toBeNull();
    const after = await waitFor(async () => {
      const res = await t.api(`/webhook-deliveries/${delivered.id}`, { token: tokens.admin });
      return res.body.status === 'succeeded' && res.body.attempts === 4 && res.body;
    });
    expect(after.attemptLog).toHaveLength(4);
  });

  it('does not follow a redirect: the 302 is a failed attempt naming the Location, the target never hears from us', async () => {
    const r = await receiver();
    const elsewhere = await receiver();
    const { endpoint } = await connect(r, ['lead.created']);
    r.redirectNext(elsewhere.url);
    await t.api(`/webhook-endpoints/${endpoint.id}/test`, { method: 'POST', token: tokens.admin });
    const delivered = await waitFor(async () => {
      const [d] = await deliveries(endpoint.id);
      return d?.status === 'succeeded' && d;
    });
    expect(delivered.attemptLog[0]).toMatchObject({ statusCode: 302, succeeded: false });
    expect(delivered.attemptLog[0].error).toBe(`redirect not followed (Location: ${elsewhere.url})`);
    expect(delivered.attemptLog[1]).toMatchObject({ statusCode: 200, succeeded: true });
    expect(elsewhere.received).toEqual([]);
  });

  it('gives up after the retry window, disables the endpoint and emails the admins; nothing more is sent to it', async () => {
    const r = await receiver();
    r.failAll(503);
    const { endpoint } = await connect(r, ['lead.created']);
    await t.api(`/webhook-endpoints/${endpoint.id}/test`, { method: 'POST', token: tokens.admin });
    const disabled = await waitFor(async () => {
      const res = await t.api(`/webhook-endpoints/${endpoint.id}`, { token: tokens.admin });
      return res.body.enabled === false && res.body;
    }, 30_000);
    expect(disabled.disabledReason).toContain('HTTP 503');
    const [failed] = await deliveries(endpoint.id);
    expect(failed.status).toBe('failed');
    expect(failed.attempts).toBeGreaterThanOrEqual(3);
    const notice = await mail.waitFor((m) => m.subject.includes(r.url));
    expect(notice.to).toEqual([adminEmail]);
    expect(notice.text).toContain('HTTP 503');

    const sent = r.received.length;
    const test = await t.api(`/webhook-endpoints/${endpoint.id}/test`, { method: 'POST', token: tokens.admin });
    expect(test.status).toBe(409);
    const replay = await t.api(`/webhook-deliveries/${failed.id}/replay`, { method: 'POST', token: tokens.admin });
    expect(replay.status).toBe(409);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(r.received).toHaveLength(sent);

    // Fixed and enabled again: the failed delivery can be replayed.
    r.failAll(null);
    const enable = await t.api(`/webhook-endpoints/${endpoint.id}`, {
      method: 'PATCH',
      token: tokens.admin,
      body: { enabled: true },
    });
    expect(enable.status).toBe(200);
    expect(enable.body).toMatchObject({ enabled: true, disabledReason: null });
    expect(
      (await t.api(`/webhook-deliveries/${failed.id}/replay`, { method: 'POST', token: tokens.admin })).status,
    ).toBe(202);
    await waitFor(async () => (await deliveries(endpoint.id))[0]?.status === 'succeeded');
  }, 60_000);

  it("keeps each tenant's endpoints and deliveries to itself, and lets only admins change them", async () => {
    const r = await receiver();
    const { endpoint } = await connect(r, ['lead.created']);
    await t.api(`/webhook-endpoints/${endpoint.id}/test`, { method: 'POST', token: tokens.admin });
    const [delivery] = await waitFor(async () => {
      const list = await deliveries(endpoint.id);
      return list.length > 0 && list;
    });
    const other = tokens.otherAdmin;
    const list = await t.api('/webhook-endpoints', { token: other });
    expect(list.status).toBe(200);
    expect(list.body.data).toEqual([]);
    for (const [method, path] of [
      ['GET', `/webhook-endpoints/${endpoint.id}`],
      ['GET', `/webhook-endpoints/${endpoint.id}/deliveries`],
      ['GET', `/webhook-deliveries/${delivery.id}`],
      ['POST', `/webhook-deliveries/${delivery.id}/replay`],
      ['POST', `/webhook-endpoints/${endpoint.id}/test`],
      ['POST', `/webhook-endpoints/${endpoint.id}/rotate-secret`],
      ['DELETE', `/webhook-endpoints/${endpoint.id}`],
    ] as const) {
      const res = await t.api(path, { method, token: other });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    const patch = await t.api(`/webhook-endpoints/${endpoint.id}`, {
      method: 'PATCH',
      token: other,
      body: { url: 'https://evil.example/steal' },
    });
    expect(patch.status).toBe(404);
    // A viewer reads, but may not add or change.
    expect((await t.api('/webhook-endpoints', { token: tokens.viewer })).body.data.length).toBeGreaterThan(0);
    const refused = await t.api('/webhook-endpoints', {
      token: tokens.viewer,
      body: { url: 'https://example.com/h', events: ['lead.created'] },
    });
    expect(refused.status).toBe(403);
    expect(r.received).toHaveLength(1);
  });

  it('refuses bad input with a clear 400 and stores nothing; merge-patches and rotates the secret', async () => {
    const before = (await t.api('/webhook-endpoints', { token: tokens.admin })).body.data.length;
    for (const body of [
      { url: 'not a url', events: ['lead.created'] },
      { url: 'https://example.com/h', events: [] },
      { url: 'https://example.com/h', events: ['lead.exploded'] },
      { url: 'ftp://example.com/h', events: ['lead.created'] },
    ]) {
      const res = await t.api('/webhook-endpoints', { token: tokens.admin, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    expect((await t.api('/webhook-endpoints', { token: tokens.admin })).body.data).toHaveLength(before);

    const r = await receiver();
    const created = await connect(r, ['lead.created']);
    const patched = await t.api(`/webhook-endpoints/${created.endpoint.id}`, {
      method: 'PATCH',
      token: tokens.admin,
      body: { events: ['lead.hot', 'message.created'] },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ url: r.url, description: 'CRM', events: ['lead.hot', 'message.created'] });
    const rotated = await t.api(`/webhook-endpoints/${created.endpoint.id}/rotate-secret`, {
      method: 'POST',
      token: tokens.admin,
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(created.secret);
    expect(rotated.body.endpoint.secret.last4).toBe(rotated.body.secret.slice(-4));
    // Signed with the new secret from now on.
    r.setSecret(rotated.body.secret);
    await t.api(`/webhook-endpoints/${created.endpoint.id}/test`, { method: 'POST', token: tokens.admin });
    const [got] = await waitFor(() => r.received.length > 0 && r.received);
    expect(got?.verifyError).toBeNull();
  });
});
