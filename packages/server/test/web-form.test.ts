import type { MessageDto } from '@leaddesk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundSender } from '../src/conversation/outbound.js';
import { Client } from '../src/db/entities/index.js';
import { createClient, setClientStatus } from '../src/tenants/tenant-service.js';
import { DB_KINDS } from './support/databases.js';
import { startTestServer, type TestServer } from './support/test-server.js';

interface WebFormBody {
  ok: boolean;
  duplicate?: boolean;
  leadId?: string;
  conversationId?: string;
  messageId?: string;
  followUp?: string;
  message?: string;
  error: { code: string; message: string };
}
const json = async (res: Response) => (await res.json()) as WebFormBody;

describe.each(DB_KINDS)('POST /webhooks/web-form on %s', (kind) => {
  let server: TestServer;
  let tenant: Awaited<ReturnType<typeof createClient>>;
  const post = (body: unknown, init: { form?: boolean; headers?: Record<string, string> } = {}) =>
    fetch(`${server.url}/webhooks/web-form`, {
      method: 'POST',
      headers: {
        'content-type': init.form ? 'application/x-www-form-urlencoded' : 'application/json',
        ...init.headers,
      },
      body: init.form ? new URLSearchParams(body as Record<string, string>).toString() : JSON.stringify(body),
    });
  const count = async (table: string) => {
    const rows = await server.db.orm.em
      .getConnection()
      .execute<{ n: string }[]>(`select count(*) as n from ${table} where client_id = ?`, [tenant.client.id]);
    return Number(rows[0]?.n);
  };

  beforeAll(async () => {
    server = await startTestServer({
      db: kind,
      env: { WEB_FORM_RATE_PER_MINUTE: '10', STRUCTURED_CHUNK_DELAY_MS: '0' },
    });
    tenant = await createClient(server.db.orm.em.fork(), {
      name: 'Harbor Realty',
      industry: 'real_estate',
      allowedOrigins: ['https://harbor.example'],
    });
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('creates a lead and a conversation from a JSON submission, and says the lead waits for staff', async () => {
    const res = await post(
      {
        siteKey: tenant.client.siteKey,
        name: 'Pat Doe',
        email: 'Pat@Example.com',
        phone: '+1 (415) 555-0199',
        message: 'I want to sell my 3-bedroom house',
        service: 'Selling',
      },
      { headers: { origin: 'https://harbor.example' } },
    );
    expect(res.status).toBe(201);
    const body = await json(res);
    expect(body).toMatchObject({ ok: true, duplicate: false, followUp: 'awaiting_staff' });
    expect(body.message).toMatch(/a member of our team will contact you/);
    const conn = server.db.orm.em.getConnection();
    const lead = await conn.execute<
      { email: string; phone: string; name: string; source: string; qualification: { serviceInterest?: string } }[]
    >('select email, phone, name, source, qualification from leads where id = ?', [body.leadId]);
    expect(lead[0]).toMatchObject({
      email: 'pat@example.com',
      phone: '+14155550199',
      name: 'Pat Doe',
      source: 'web_form',
    });
    expect(lead[0]?.qualification.serviceInterest).toBe('Selling');
    const messages = await conn.execute<{ role: string; content: string; channel: string }[]>(
      'select role, content, channel from messages where conversation_id = ? order by seq',
      [body.conversationId],
    );
    // No email sender configured: no automatic reply, the lead waits for staff.
    expect(messages).toEqual([
      { role: 'visitor', content: 'I want to sell my 3-bedroom house\nService: Selling', channel: 'web_form' },
    ]);

    // The same submission again (a double click) stores nothing new.
    const again = await post(
      {
        siteKey: tenant.client.siteKey,
        name: 'Pat Doe',
        email: 'Pat@Example.com',
        phone: '+1 (415) 555-0199',
        message: 'I want to sell my 3-bedroom house',
        service: 'Selling',
      },
      { headers: { origin: 'https://harbor.example' } },
    );
    expect(again.status).toBe(200);
    const againBody = await json(again);
    expect(againBody).toMatchObject({ duplicate: true, messageId: body.messageId });
  });

  it('accepts a form-encoded submission with the site key in a header and dedups the lead by email', async () => {
    const res = await post(
      { email: 'pat@example.com', message: 'Also, what is my house worth?', submissionId: 'form-777' },
      { form: true, headers: { 'x-site-key': tenant.client.siteKey } },
    );
    expect(res.status).toBe(201);
    const body = await json(res);
    const leads = await server.db.orm.em
      .getConnection()
      .execute<{ id: string }[]>('select id from leads where client_id = ? and email = ?', [
        tenant.client.id,
        'pat@example.com',
      ]);
    expect(leads).toHaveLength(1);
    expect(body.leadId).toBe(leads[0]?.id);
    // Same lead, same channel, within 24 hours: the conversation is reused.
    const conversations = await server.db.orm.em
      .getConnection()
      .execute<{ id: string; last_seq: number }[]>('select id, last_seq from conversations where lead_id = ?', [
        body.leadId,
      ]);
    expect(conversations).toEqual([{ id: body.conversationId, last_seq: 2 }]);
  });

  it('opens a new conversation for the same lead after the 24-hour window', async () => {
    const conn = server.db.orm.em.getConnection();
    await conn.execute(
      `update conversations set last_message_at = now() - interval '25 hours', created_at = now() - interval '26 hours'
       where client_id = ?`,
      [tenant.client.id],
    );
    const res = await post({ siteKey: tenant.client.siteKey, email: 'pat@example.com', message: 'Back again!' });
    const body = await json(res);
    expect(res.status).toBe(201);
    const conversations = await conn.execute<{ id: string }[]>(
      'select id from conversations where lead_id = ? order by created_at',
      [body.leadId],
    );
    expect(conversations).toHaveLength(2);
    expect(conversations[1]?.id).toBe(body.conversationId);
  });

  it('pretends to accept a bot that fills the honeypot and stores nothing', async () => {
    const before = [await count('leads'), await count('messages')];
    const res = await post({
      siteKey: tenant.client.siteKey,
      email: 'bot@spam.example',
      message: 'cheap pills',
      website_url: 'http://spam.example',
    });
    expect(res.status).toBe(202);
    expect((await json(res)).ok).toBe(true);
    expect([await count('leads'), await count('messages')]).toEqual(before);
  });

  it('refuses bad input with the fields named, and changes nothing', async () => {
    const before = [await count('leads'), await count('messages')];
    const res = await post({ siteKey: tenant.client.siteKey, email: 'not-an-email', message: 'x'.repeat(5000) });
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.message).toMatch(/email/);
    expect(body.error.message).toMatch(/message/);
    const noContact = await post({ siteKey: tenant.client.siteKey, name: 'Anonymous' });
    expect(noContact.status).toBe(400);
    expect((await json(noContact)).error.message).toMatch(/an email or a phone number is required/);
    const unknown = await post({ siteKey: 'pk_nope', email: 'a@b.example' });
    expect(unknown.status).toBe(401);
    expect((await json(unknown)).error.code).toBe('invalid_site_key');
    const foreign = await post(
      { siteKey: tenant.client.siteKey, email: 'a@b.example' },
      { headers: { origin: 'https://evil.example' } },
    );
    expect(foreign.status).toBe(403);
    expect([await count('leads'), await count('messages')]).toEqual(before);
  });

  it('replies by email through the registered outbound sender when one is configured', async () => {
    const sent: Array<{ to: string | null; message: MessageDto }> = [];
    const sender: OutboundSender = {
      channel: 'web_form',
      async send({ lead, message }) {
        sent.push({ to: lead?.email ?? null, message });
      },
    };
    const off = server.app.conversation.outbound.register(sender);
    try {
      const res = await post({
        siteKey: tenant.client.siteKey,
        email: 'sam@example.org',
        message: 'Do you do rentals?',
      });
      const body = await json(res);
      expect(body.followUp).toBe('email');
      await server.app.conversation.orchestrator.idle();
      expect(sent).toHaveLength(1);
      expect(sent[0]?.to).toBe('sam@example.org');
      expect(sent[0]?.message.role).toBe('ai');
      expect(sent[0]?.message.conversationId).toBe(body.conversationId);
      expect(sent[0]?.message.content).toContain('Harbor Realty');
    } finally {
      off();
    }
  });

  it('rate limits submissions per IP and site key', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await post({ siteKey: tenant.client.siteKey, email: `r${i}@example.net`, message: `hello ${i}` });
      statuses.push(res.status);
      if (res.status === 429) expect((await json(res)).error.code).toBe('rate_limited');
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(statuses.at(-1)).toBe(429);
  });

  it('answers a paused client with client_paused and stores nothing', async () => {
    const paused = await createClient(server.db.orm.em.fork(), { name: 'Closed Shop', allowedOrigins: ['*'] });
    const em = server.db.orm.em.fork();
    await setClientStatus(em, await em.findOneOrFail(Client, { id: paused.client.id }), 'paused');
    const res = await post({ siteKey: paused.client.siteKey, email: 'x@example.com', message: 'hi' });
    expect(res.status).toBe(423);
    const body = await json(res);
    expect(body.error.code).toBe('client_paused');
    const leads = await server.db.orm.em
      .getConnection()
      .execute<{ n: string }[]>('select count(*) as n from leads where client_id = ?', [paused.client.id]);
    expect(Number(leads[0]?.n)).toBe(0);
  });
});
