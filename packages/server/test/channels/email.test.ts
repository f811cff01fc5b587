import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../src/tenants/tenant-service.js';
import { type SmtpCapture, startSmtpCapture, waitFor } from '../support/fake-providers.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const PUBLIC_URL = 'https://desk.example.com';

describe('email: web-form replies and staff alerts through a local SMTP server', () => {
  let smtp: SmtpCapture;
  let server: TestServer;
  let tenant: Awaited<ReturnType<typeof createClient>>;
  let base: string;
  const conn = () => server.db.orm.em.getConnection();
  const mailsTo = (address: string) => smtp.mails.filter((m) => JSON.stringify(m.to).includes(address));
  const form = (body: Record<string, string>) =>
    fetch(`${base}/webhooks/web-form`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ siteKey: tenant.client.siteKey, ...body }),
    });

  beforeAll(async () => {
    smtp = await startSmtpCapture();
    server = await startTestServer({
      env: {
        SMTP_URL: smtp.url,
        EMAIL_FROM: 'Lead Desk <desk@example.com>',
        PUBLIC_URL,
        STRUCTURED_CHUNK_DELAY_MS: '0',
      },
    });
    base = `http://127.0.0.1:${server.port}`;
    tenant = await createClient(server.db.orm.em.fork(), { name: 'Sunset Dental & Co', industry: 'dental' });
    const res = await fetch(`${base}/api/v1/channels/email`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${tenant.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ alertRecipients: ['frontdesk@sunset.example'] }),
    });
    expect(res.status).toBe(200);
  });
  afterAll(async () => {
    await server?.dispose();
    await smtp?.close();
  });

  it('replies to a web-form lead by email, in HTML and plain text, and records the delivery', async () => {
    const res = await form({ name: 'Pat Doe', email: 'pat@example.org', message: 'Do you offer teeth whitening?' });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { followUp: string; conversationId: string };
    expect(body.followUp).toBe('email');
    const mail = await waitFor(() => mailsTo('pat@example.org')[0]);
    expect(mail.from?.text).toContain('desk@example.com');
    expect(mail.subject).toBe('Re: your message to Sunset Dental & Co');
    expect(mail.text).toContain('Hello Pat,');
    expect(typeof mail.html).toBe('string');
    expect(mail.html).toContain('Sunset Dental &amp; Co');
    const ai = await waitFor(async () => {
      const rows = await conn().execute<{ content: string; delivery_state: string; external_id: string | null }[]>(
        `select content, delivery_state, external_id from messages where conversation_id = ? and role = 'ai'`,
        [body.conversationId],
      );
      return rows[0]?.delivery_state === 'sent' ? rows[0] : undefined;
    });
    expect(mail.text?.replace(/\s+/g, ' ')).toContain(ai.content.split('\n')[0]?.replace(/\s+/g, ' ').slice(0, 40));
    expect(ai.external_id).toBe(mail.messageId);
  });

  it('alerts staff about an escalation with a one-click link to the conversation', async () => {
    const res = await form({ name: 'Sam Lee', email: 'sam@example.org', message: 'Can I talk to a human please?' });
    const { conversationId } = (await res.json()) as { conversationId: string };
    const alert = await waitFor(() =>
      mailsTo('frontdesk@sunset.example').find((m) => m.subject?.startsWith('Needs a person')),
    );
    expect(alert.subject).toContain('Sam Lee');
    const link = `${PUBLIC_URL}/dashboard/conversations/${conversationId}`;
    expect(alert.html).toContain(`href="${link}"`);
    expect(alert.text).toContain(link);
  });

  it('alerts about a hot lead once, escaping everything the lead typed', async () => {
    const res = await form({
      name: '<img src=x onerror=alert(1)>',
      email: 'hot@example.org',
      phone: '+1 415 555 0177',
      message: '<script>alert("x")</script> I need implants asap',
    });
    const { leadId } = (await res.json()) as { leadId: string };
    await server.app.conversation.orchestrator.idle();
    const core = server.app.conversation.core;
    await core.updateLead(tenant.client.id, leadId, { score: 91, temperature: 'hot' });
    await core.updateLead(tenant.client.id, leadId, { score: 95, temperature: 'hot' });
    const alert = await waitFor(() =>
      mailsTo('frontdesk@sunset.example').find((m) => m.subject?.startsWith('Hot lead')),
    );
    // The job reads the lead when it runs: the score may already be the later one.
    expect(alert.subject).toMatch(/score 9[15]/);
    expect(alert.html).not.toContain('<img src=x');
    expect(alert.html).not.toContain('<script>');
    expect(alert.html).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
    expect(alert.html).toContain('&lt;script&gt;');
    expect(alert.text).toContain('Phone: +14155550177');
    expect(alert.html).toMatch(new RegExp(`href="${PUBLIC_URL}/dashboard/conversations/[0-9a-f-]{36}"`));
    // Also when the engine escalates for the hot lead: one email per fact.
    const conversation = await conn().execute<{ id: string }[]>('select id from conversations where lead_id = ?', [
      leadId,
    ]);
    await core.escalate({
      clientId: tenant.client.id,
      conversationId: conversation[0]?.id ?? '',
      reason: 'hot_lead',
      priority: 'high',
    });
    await new Promise((r) => setTimeout(r, 800));
    expect(mailsTo('frontdesk@sunset.example').filter((m) => m.subject?.startsWith('Hot lead'))).toHaveLength(1);
    expect(mailsTo('frontdesk@sunset.example').filter((m) => m.subject?.includes('hot lead'))).toHaveLength(0);
  });

  it('confirms a booked appointment to staff, in the tenant time zone', async () => {
    const res = await form({ name: 'Ann Booker', email: 'ann@example.org', message: 'Please book me a cleaning' });
    const { leadId } = (await res.json()) as { leadId: string };
    await server.app.conversation.orchestrator.idle();
    await conn().execute(`update leads set appointment_at = '2026-12-01T15:30:00Z' where id = ?`, [leadId]);
    const core = server.app.conversation.core;
    await core.updateLead(tenant.client.id, leadId, { status: 'qualifying' });
    await core.updateLead(tenant.client.id, leadId, { status: 'appointment_booked' });
    const alert = await waitFor(() =>
      mailsTo('frontdesk@sunset.example').find((m) => m.subject?.startsWith('Appointment booked')),
    );
    expect(alert.subject).toContain('Ann Booker');
    expect(alert.text).toMatch(/Tuesday, December 1, 2026/);
  });

  it('sends the daily digest with the day in numbers', async () => {
    const alerts = server.app.channels.alerts;
    expect(alerts).not.toBeNull();
    const day = new Date().toISOString().slice(0, 10);
    const sent = await alerts?.send({ kind: 'digest', clientId: tenant.client.id, day });
    expect(sent?.to).toEqual(['frontdesk@sunset.example']);
    const digest = await waitFor(() =>
      mailsTo('frontdesk@sunset.example').find((m) => m.subject?.includes('your day in leads')),
    );
    expect(digest.text).toMatch(/New leads: 4/);
    expect(digest.text).toContain('Hot leads:');
    // The digest job is scheduled once for the coming run.
    const scheduled = await conn().execute<{ n: string }[]>(
      `select count(*) as n from job_queue where name = 'email.schedule-digests' and status = 'waiting'`,
    );
    expect(Number(scheduled[0]?.n)).toBe(1);
  });
});

describe('email unconfigured', () => {
  it('registers no email sender: web-form leads wait for staff and no alert is attempted', async () => {
    const server = await startTestServer({});
    try {
      expect(server.app.channels.mailer).toBeNull();
      expect(server.app.channels.alerts).toBeNull();
      expect(server.app.conversation.outbound.has('web_form')).toBe(false);
      expect(server.app.conversation.outbound.has('whatsapp')).toBe(true);
    } finally {
      await server.dispose();
    }
  });
});
