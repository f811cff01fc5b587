import { randomBytes, randomUUID } from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brandingOf } from '../src/branding/branding-service.js';
import { createMailer } from '../src/channels/email/mailer.js';
import { sqlOf } from '../src/db/sql.js';
import { dueMonth, MonthlyReportEmails } from '../src/reports/monthly-email/index.js';
import { ConversionModels } from '../src/reports/scoring/index.js';
import { createClient } from '../src/tenants/tenant-service.js';
import { insertStaff } from './support/automation-rows.js';
import { tenantApi } from './support/automation-scenario.js';
import { TEST_REDIS_URL } from './support/databases.js';
import { type SmtpCapture, startSmtpCapture, waitFor } from './support/fake-providers.js';
import { startTestServer, type TestServer } from './support/test-server.js';

/**
 * The monthly report email: two server processes (one PostgreSQL, one Redis) whose clock reads
 * Tuesday 1 December 2026, 08:30 in Madrid, just after the tenant's send hour (08:00). November's
 * numbers, hand-computed from the seeded rows below, arrive once per recipient at a local SMTP server.
 */
const NOW = new Date('2026-12-01T07:30:00Z');

describe('monthly report email', () => {
  let first: TestServer;
  let second: TestServer;
  let smtp: SmtpCapture;
  let tenant: Awaited<ReturnType<typeof createClient>>;
  let other: Awaited<ReturnType<typeof createClient>>;
  const q = (text: string, params: unknown[] = []) => sqlOf(first.db.orm).query(text, params);
  const recipients: Array<{ id: string; email: string }> = [];

  async function thread(
    clientId: string,
    at: string,
    answer: number,
    lead: { status: string; temperature: string; service?: string },
  ): Promise<void> {
    const leadId = randomUUID();
    const conv = randomUUID();
    const when = new Date(at);
    await q(
      `insert into leads (id, client_id, handles, source, qualification, score_evidence, status, temperature, created_at, updated_at)
       values (?, ?, '{}', 'web', ?::jsonb, '[]', ?, ?, ?, ?)`,
      [
        leadId,
        clientId,
        JSON.stringify({ serviceInterest: lead.service, custom: {} }),
        lead.status,
        lead.temperature,
        when,
        when,
      ],
    );
    await q(
      `insert into conversations (id, client_id, lead_id, channel, status, mode, last_seq, created_at, updated_at)
       values (?, ?, ?, 'web', 'active', 'ai', 2, ?, ?)`,
      [conv, clientId, leadId, when, when],
    );
    for (const [seq, role, t] of [
      [1, 'visitor', when],
      [2, 'ai', new Date(when.getTime() + answer * 1000)],
    ] as const) {
      await q(
        `insert into messages (id, client_id, conversation_id, seq, role, content, attachments, channel, delivery_state, created_at)
         values (?, ?, ?, ?, ?, 'text', '[]', 'web', 'sent', ?)`,
        [randomUUID(), clientId, conv, seq, role, t],
      );
    }
  }

  const monthlyMails = () => smtp.mails.filter((m) => m.messageId?.startsWith('<monthly-report.2026-11.'));
  const figure = (mail: ParsedMail, id: string) =>
    (mail.html || '').match(new RegExp(`data-figure="${id}">([^<]*)<`))?.[1];

  beforeAll(async () => {
    smtp = await startSmtpCapture();
    const env = {
      SMTP_URL: smtp.url,
      EMAIL_FROM: 'Lead Desk <reports@leaddesk.test>',
      REPORTS_SWEEP_INTERVAL_MS: '300',
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: `ld-monthly-${randomBytes(4).toString('hex')}:`,
    };
    const clock = () => NOW;
    first = await startTestServer({ db: 'postgres', env, clock });
    second = await startTestServer({
      db: 'postgres',
      env,
      clock,
      reuse: { databaseUrl: (first.config.database as { url: string }).url },
    });
    const open = { open: '09:00', close: '18:00' };
    tenant = await createClient(first.db.orm.em.fork(), {
      name: 'Clínica Sol',
      industry: 'dental',
      timezone: 'Europe/Madrid',
      config: {
        businessHours: { mon: [open], tue: [open], wed: [open], thu: [open], fri: [open] },
        services: ['Implants', 'Whitening'],
        serviceValues: { Implants: 3000, Whitening: 300 },
      },
    });
    other = await createClient(first.db.orm.em.fork(), { name: 'Other Clinic', industry: 'dental' });
    const T = tenant.client.id;
    // November 2026 in Madrid (UTC+1). Mon 2 Nov 10:00, in hours: answered in 6 s, hot, qualified.
    await thread(T, '2026-11-02T09:00:00Z', 6, { status: 'qualified', temperature: 'hot', service: 'Implants' });
    // Tue 3 Nov 21:00, after hours: 4 s, warm, booked implants (€3,000).
    await thread(T, '2026-11-03T20:00:00Z', 4, {
      status: 'appointment_booked',
      temperature: 'warm',
      service: 'Implants',
    });
    // Sat 14 Nov 11:00, closed (weekend): 8 s, cold, won whitening (€300).
    await thread(T, '2026-11-14T10:00:00Z', 8, { status: 'closed_won', temperature: 'cold', service: 'Whitening' });
    // Mon 30 Nov 23:30, after hours: 2 s, unscored, new.
    await thread(T, '2026-11-30T22:30:00Z', 2, { status: 'new', temperature: 'unscored' });
    // 1 Dec 00:30 and 31 Oct 23:30 local: the months around it. Another tenant's lead: never counted.
    await thread(T, '2026-11-30T23:30:00Z', 100, { status: 'qualified', temperature: 'hot', service: 'Implants' });
    await thread(T, '2026-10-31T22:30:00Z', 100, { status: 'qualified', temperature: 'hot', service: 'Implants' });
    await thread(other.client.id, '2026-11-10T20:00:00Z', 50, { status: 'qualified', temperature: 'hot' });
    // Rows written with old times are an import: the reports' rollup picks them up on a rebuild (the sweep may
    // have rolled the tenant up while they were being written), which deleting its state asks for.
    await q('delete from report_rollup_state where client_id = ?', [T]);
    // Twice: a rollup in flight during the first delete (its state row not yet committed, so not deleted) read
    // the rows before the last ones were written. Any rollup that starts after the first delete sees them all.
    await new Promise((r) => setTimeout(r, 1500));
    await q('delete from report_rollup_state where client_id = ?', [T]);
    const exec = (text: string, params: unknown[] = []) => q(text, params);
    for (const email of ['owner@sol.test', 'manager@sol.test']) {
      recipients.push({ id: await insertStaff(exec, T, email), email });
    }
  }, 180_000);

  afterAll(async () => {
    await second?.stop();
    await first?.dispose();
    await smtp?.close();
  });

  it('is due from the 1st at the send hour in the tenant zone, for three days', () => {
    expect(dueMonth('Europe/Madrid', 8, new Date('2026-12-01T06:59:00Z'))).toBeNull();
    expect(dueMonth('Europe/Madrid', 8, new Date('2026-12-01T07:00:00Z'))?.month).toBe('2026-11');
    expect(dueMonth('Europe/Madrid', 8, new Date('2026-12-03T23:00:00Z'))?.month).toBe('2026-11');
    expect(dueMonth('Europe/Madrid', 8, new Date('2026-12-04T07:00:00Z'))).toBeNull();
    // January's 1st reports December of the year before.
    expect(dueMonth('UTC', 0, new Date('2027-01-01T00:00:00Z'))?.month).toBe('2026-12');
  });

  it('takes only staff of this business as recipients', async () => {
    const outsider = await insertStaff((t, p) => q(t, p ?? []), other.client.id, 'someone@other.test');
    const api = tenantApi(first.url, tenant.apiKey);
    const refused = await api('/reports/monthly-email', {
      method: 'PUT',
      body: { recipients: [recipients[0]?.id, outsider], sendHour: 8 },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details[0].path).toBe('recipients');
    expect((await api('/reports/monthly-email')).body.settings.recipients).toEqual([]);
  });

  it("sends last month's numbers with a chart, once per recipient across two processes", async () => {
    const api = tenantApi(first.url, tenant.apiKey);
    const saved = await api('/reports/monthly-email', {
      method: 'PUT',
      body: { recipients: recipients.map((r) => r.id), sendHour: 8 },
    });
    expect(saved.status).toBe(200);
    await waitFor(() => monthlyMails().length >= 2, 20_000);
    // Both processes' sweeps have had several more chances to send it again.
    await new Promise((r) => setTimeout(r, 2000));
    const mails = monthlyMails();
    expect(mails).toHaveLength(2);
    expect(mails.flatMap((m) => (m.to && 'value' in m.to ? m.to.value.map((v) => v.address) : [])).sort()).toEqual(
      recipients.map((r) => r.email).sort(),
    );
    const mail = mails[0] as ParsedMail;
    expect(mail.subject).toBe('Lead Desk monthly report: Clínica Sol, November 2026');
    // First responses 6, 4, 8 and 2 s.
    expect(figure(mail, 'response')).toContain('Average response time: 5 s over 4 first responses');
    expect(figure(mail, 'after-hours')).toBe('3');
    expect(figure(mail, 'missed-revenue')).toBe('2, worth €3,300');
    expect(figure(mail, 'leads')).toBe('4');
    expect(figure(mail, 'qualified')).toBe('3');
    expect(figure(mail, 'temperature')).toBe('1 / 1 / 1');
    expect(figure(mail, 'won')).toBe('1');
    expect(figure(mail, 'scoring')).toBe('Heuristic score (too few closed leads for a conversion model)');
    // The chart: one row per local week (Mon 26 Oct … Mon 30 Nov), the totals beside the bars.
    const weeks = [...(mail.html || '').matchAll(/<tr data-week="([\d-]+)">.*?data-total>(\d+)</g)].map((m) => [
      m[1],
      Number(m[2]),
    ]);
    expect(weeks).toEqual([
      ['2026-10-26', 0],
      ['2026-11-02', 2],
      ['2026-11-09', 1],
      ['2026-11-16', 0],
      ['2026-11-23', 0],
      ['2026-11-30', 1],
    ]);
    expect(mail.text).toContain('2026-11-02: 1 / 1 / 0 / 0');
    const sends = (await q('select status, attempts from digest_sends where client_id = ? and period = ?', [
      tenant.client.id,
      'monthly:2026-11',
    ])) as Array<{ status: string; attempts: number }>;
    expect(sends).toEqual([{ status: 'sent', attempts: 1 }]);
    const view = await api('/reports/monthly-email');
    expect(view.body.sent).toEqual([expect.objectContaining({ month: '2026-11', status: 'sent', recipients: 2 })]);
  }, 40_000);

  it('takes over a month whose sender died mid-send once its lease expired, skipping who already got it', async () => {
    const luna = await createClient(first.db.orm.em.fork(), {
      name: 'Clínica Luna',
      industry: 'dental',
      timezone: 'Europe/Madrid',
    });
    const L = luna.client.id;
    const exec = (text: string, params: unknown[] = []) => q(text, params);
    const done = await insertStaff(exec, L, 'done@luna.test');
    const waiting = await insertStaff(exec, L, 'waiting@luna.test');
    // A process claimed November, emailed the first recipient, and died: its lease has run out.
    await q(
      `insert into digest_sends (client_id, period, status, slot_at, lease_until, attempts)
       values (?, 'monthly:2026-11', 'sending', ?, now() - interval '1 minute', 1)`,
      [L, new Date('2026-12-01T07:00:00Z')],
    );
    await q(
      `insert into digest_deliveries (client_id, period, user_id, email, status, sent_at)
       values (?, 'monthly:2026-11', ?, 'done@luna.test', 'sent', now())`,
      [L, done],
    );
    const saved = await tenantApi(first.url, luna.apiKey)('/reports/monthly-email', {
      method: 'PUT',
      body: { recipients: [done, waiting], sendHour: 8 },
    });
    expect(saved.status).toBe(200);
    const lunaMails = () => smtp.mails.filter((m) => m.messageId?.startsWith(`<monthly-report.2026-11.${L}.`));
    await waitFor(() => lunaMails().length >= 1, 20_000);
    await new Promise((r) => setTimeout(r, 2000));
    expect(lunaMails().flatMap((m) => (m.to && 'value' in m.to ? m.to.value.map((v) => v.address) : []))).toEqual([
      'waiting@luna.test',
    ]);
    const sends = (await q('select status, attempts from digest_sends where client_id = ? and period = ?', [
      L,
      'monthly:2026-11',
    ])) as Array<{ status: string; attempts: number }>;
    // The dead holder's claim, then the one that finished it.
    expect(sends).toEqual([{ status: 'sent', attempts: 2 }]);
  }, 40_000);

  it('one send wins when two race for the same month', async () => {
    const sql = sqlOf(first.db.orm);
    const make = () =>
      new MonthlyReportEmails({
        sql,
        jobs: first.jobs,
        mailer: createMailer({ smtpUrl: smtp.url, sendgridBaseUrl: '', from: 'reports@leaddesk.test' }),
        reports: first.app.reports,
        models: new ConversionModels(sql),
        logger: first.ctx.logger,
        dashboardUrl: 'http://localhost/dashboard',
        branding: brandingOf(first.ctx),
        leaseMs: 60_000,
        now: () => NOW,
      });
    const before = smtp.mails.length;
    const results = await Promise.all([
      make().send({ clientId: tenant.client.id, month: '2026-10' }),
      make().send({ clientId: tenant.client.id, month: '2026-10' }),
    ]);
    // The loser finds the month claimed (busy) or, if the winner was quick, already sent.
    expect(results.filter((r) => r === 'sent')).toHaveLength(1);
    expect(results.filter((r) => r === 'busy' || r === 'already')).toHaveLength(1);
    await waitFor(() => smtp.mails.length >= before + 2, 5000);
    const october = smtp.mails.filter((m) => m.messageId?.startsWith('<monthly-report.2026-10.'));
    expect(october).toHaveLength(2);
    // October's one lead (31 Oct 23:30 local), answered in 100 s.
    expect(figure(october[0] as ParsedMail, 'leads')).toBe('1');
  });
});
