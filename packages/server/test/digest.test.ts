import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AutomationClock } from '../src/automation/sequences/automation-clock.js';
import { nextLocalTime } from '../src/automation/sequences/local-time.js';
import { createClient } from '../src/tenants/tenant-service.js';
import {
  insertConversation,
  insertEscalation,
  insertFollowUps,
  insertLead,
  insertStaff,
} from './support/automation-rows.js';
import { fastAutomationTime, tenantApi } from './support/automation-scenario.js';
import { TEST_REDIS_URL } from './support/databases.js';
import { type SmtpCapture, startSmtpCapture, waitFor } from './support/fake-providers.js';
import { startTestServer, type TestServer } from './support/test-server.js';

/**
 * The staff digest arrives at a local SMTP server at the tenant's local time with the right figures, in the
 * tenant's locale, once, although two processes (sharing PostgreSQL and Redis) both schedule it.
 * Automation time runs 60 times faster (one minute = one second).
 */
const SCALE = 60;
const HOUR = 3_600_000;
const ALL_DAY = { open: '09:00', close: '18:00' };

describe('staff digest', () => {
  let first: TestServer;
  let second: TestServer;
  let smtp: SmtpCapture;
  let clock: AutomationClock;
  let tenant: Awaited<ReturnType<typeof createClient>>;
  let other: Awaited<ReturnType<typeof createClient>>;
  const exec = (sql: string, params: unknown[] = []) => first.db.orm.em.getConnection().execute(sql, params);

  beforeAll(async () => {
    smtp = await startSmtpCapture();
    const time = fastAutomationTime(SCALE);
    clock = time.clock;
    const env = {
      ...time.env,
      SMTP_URL: smtp.url,
      EMAIL_FROM: 'Lead Desk <digest@leaddesk.test>',
      FOLLOW_UP_SWEEP_INTERVAL_MS: '1000',
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: `ld-digest-${randomBytes(4).toString('hex')}:`,
    };
    first = await startTestServer({ db: 'postgres', env });
    second = await startTestServer({
      db: 'postgres',
      env,
      reuse: { databaseUrl: (first.config.database as { url: string }).url },
    });
    const hours = {
      mon: [ALL_DAY],
      tue: [ALL_DAY],
      wed: [ALL_DAY],
      thu: [ALL_DAY],
      fri: [ALL_DAY],
      sat: [ALL_DAY],
      sun: [ALL_DAY],
    };
    tenant = await createClient(first.db.orm.em.fork(), {
      name: 'Clínica Sol',
      industry: 'dental',
      timezone: 'Europe/Madrid',
      locale: 'es-ES',
      config: { businessHours: hours },
    });
    other = await createClient(first.db.orm.em.fork(), { name: 'Other Clinic', industry: 'dental' });
  }, 180_000);

  afterAll(async () => {
    await second?.stop();
    await first?.dispose();
    await smtp?.close();
  });

  it('sends the figures of the last day at the local time, once across two processes', async () => {
    const now = clock.now();
    // The digest counts the 24 h before it is sent (three minutes from now): the last 11:00 and 03:00 in Madrid
    // inside that window, whatever the hour the test runs at.
    const windowStart = new Date(now.getTime() - 24 * HOUR + 3 * 60_000 + 1000);
    const inHours = nextLocalTime('Europe/Madrid', '11:00', windowStart);
    const night = nextLocalTime('Europe/Madrid', '03:00', windowStart);
    // Four new leads in the period (one at 03:00 local: after hours), one of them hot.
    const a = await insertLead(exec, tenant.client.id, inHours, { temperature: 'hot' });
    const b = await insertLead(exec, tenant.client.id, inHours);
    await insertLead(exec, tenant.client.id, inHours);
    await insertLead(exec, tenant.client.id, night);
    // Outside the period, and another tenant's: not counted.
    await insertLead(exec, tenant.client.id, new Date(now.getTime() - 72 * HOUR), { temperature: 'hot' });
    await insertLead(exec, other.client.id, inHours, { temperature: 'hot' });
    // Answers after 30 s and 90 s: the median of two is the upper one (nearest rank), p90 90 s.
    const c1 = await insertConversation(exec, tenant.client.id, a, inHours, 30_000);
    await insertConversation(exec, tenant.client.id, b, inHours, 90_000);
    await insertEscalation(exec, tenant.client.id, c1, inHours);
    await insertFollowUps(exec, tenant.client.id, c1, inHours, 2, true);
    const reader = await insertStaff(exec, tenant.client.id, 'manager@clinica-sol.test');
    const outsider = await insertStaff(exec, other.client.id, 'someone@other.test');

    const api = tenantApi(first.url.replace('localhost', '127.0.0.1'), tenant.apiKey);
    const refused = await api('/automation/follow-ups', {
      method: 'PATCH',
      body: { digest: { frequency: 'daily', time: '08:00', recipients: [outsider] } },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details[0].path).toBe('digest.recipients');

    // Due three automation minutes from now (three real seconds), local time in Madrid.
    const due = new Date(clock.now().getTime() + 3 * 60_000);
    const local = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Madrid',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(due);
    const saved = await api('/automation/follow-ups', {
      method: 'PATCH',
      body: { digest: { frequency: 'daily', time: local, recipients: [reader] } },
    });
    expect(saved.status).toBe(200);

    const mail = await waitFor(() => smtp.mails.find((m) => m.subject?.includes('Clínica Sol')), 30_000);
    expect(mail.to && 'value' in mail.to ? mail.to.value.map((v) => v.address) : []).toEqual([
      'manager@clinica-sol.test',
    ]);
    expect(mail.subject).toMatch(/^Resumen de Lead Desk: Clínica Sol, Ayer/);
    const text = mail.text ?? '';
    expect(text).toContain('Nuevos leads: 4');
    expect(text).toContain('Leads calientes: 1');
    expect(text).toContain('Leads atendidos fuera de horario: 1');
    expect(text).toContain('Escalados sin respuesta: 1');
    expect(text).toContain('Tiempo de primera respuesta (mediana / p90): 90 s / 90 s');
    expect(text).toContain('Seguimientos enviados: 2');
    expect(text).toContain('Leads que respondieron a un seguimiento: 1');
    expect(mail.html).toContain('<td style="padding:4px 0;font-weight:600" data-figure>4</td>');

    // Both processes scheduled the slot; one email was sent and one period recorded.
    await new Promise((r) => setTimeout(r, 3000));
    expect(smtp.mails.filter((m) => m.subject?.includes('Clínica Sol'))).toHaveLength(1);
    const sends = (await exec('select period, status from digest_sends where client_id = ?', [
      tenant.client.id,
    ])) as Array<{ period: string; status: string }>;
    expect(sends).toEqual([
      { period: expect.stringMatching(new RegExp(`^daily:\\d{4}-\\d{2}-\\d{2}T${local}$`)), status: 'sent' },
    ]);
  }, 90_000);
});
