import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ParsedMail } from 'mailparser';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimPeriod } from '../src/automation/digests/digest-claims.js';
import type { AutomationClock } from '../src/automation/sequences/automation-clock.js';
import { insertStaff } from './support/automation-rows.js';
import { fastAutomationTime, tenantApi } from './support/automation-scenario.js';
import { createFreshPostgresDatabase, TEST_REDIS_URL } from './support/databases.js';
import { type SmtpCapture, startSmtpCapture, waitFor } from './support/fake-providers.js';
import { type ServerProcess, startServerProcess } from './support/server-process.js';

/**
 * A staff digest reaches each recipient once: with two server processes on one PostgreSQL and Redis at
 * the digest time, and when the processes are SIGKILLed while the SMTP server holds the first email
 * (after a restart, the claim's lease runs out and the digest goes out once). Automation time runs 60
 * times faster (one minute = one second); a claim lasts 3 real seconds.
 */
const SCALE = 60;
const LEASE_MS = 3000;

describe('staff digest, once per recipient across processes and a crash', () => {
  const processes: ServerProcess[] = [];
  const cleanup: Array<() => Promise<unknown>> = [];
  let smtp: SmtpCapture;
  let clock: AutomationClock;
  let env: Record<string, string>;
  let sql: pg.Pool;
  let api: ReturnType<typeof tenantApi>;
  let clientId: string;
  let timezone: string;
  const recipients: Array<{ id: string; email: string }> = [];
  /** `?` placeholders, as the server's own SQL is written. */
  const exec = async (text: string, params: unknown[] = []) => {
    let i = 0;
    return (
      await sql.query(
        text.replace(/\?/g, () => `$${++i}`),
        params,
      )
    ).rows;
  };
  const mailsOf = (period: string) => {
    const id = period.replace(/[^A-Za-z0-9.-]/g, '.');
    return smtp.mails.filter((m) => m.messageId?.startsWith(`<digest.${id}.`));
  };
  const addressesOf = (mails: ParsedMail[]) =>
    mails.flatMap((m) => (m.to && 'value' in m.to ? m.to.value.map((v) => v.address) : [])).sort();
  /** Sets the daily digest to the local minute three automation minutes from now; returns its period. */
  const digestInThreeMinutes = async () => {
    const due = new Date(clock.now().getTime() + 3 * 60_000);
    const local = new Intl.DateTimeFormat('en-GB', {
      timeZone: timezone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(due);
    const saved = await api('/automation/follow-ups', {
      method: 'PATCH',
      body: { digest: { frequency: 'daily', time: local, recipients: recipients.map((r) => r.id) } },
    });
    expect(saved.status).toBe(200);
    return local;
  };
  const periodAt = (local: string) =>
    waitFor(async () => {
      const rows = (await exec('select period from digest_sends where client_id = ? and period like ?', [
        clientId,
        `daily:%T${local}`,
      ])) as Array<{ period: string }>;
      return rows[0]?.period;
    }, 15_000);

  beforeAll(async () => {
    smtp = await startSmtpCapture();
    const time = fastAutomationTime(SCALE);
    clock = time.clock;
    const db = await createFreshPostgresDatabase();
    cleanup.push(db.drop);
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'ld-digest-once-'));
    cleanup.push(() => fs.rm(dataDir, { recursive: true, force: true }));
    env = {
      ...time.env,
      DATABASE_URL: db.url,
      DATA_DIR: dataDir,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: `ld-digest-once-${randomBytes(4).toString('hex')}:`,
      APP_SECRET: 'digest-once-test-secret-0123456789abcdef0123',
      SMTP_URL: smtp.url,
      EMAIL_FROM: 'Lead Desk <digest@leaddesk.test>',
      FOLLOW_UP_SWEEP_INTERVAL_MS: '500',
      DIGEST_LEASE_MS: String(LEASE_MS),
    };
    // A pool: the claim race below needs queries that really run at the same time.
    sql = new pg.Pool({ connectionString: db.url, max: 6 });
    cleanup.unshift(() => sql.end());
    // Both at once on the empty database (one of them migrates and seeds the demo business).
    processes.push(...(await Promise.all([startServerProcess(env), startServerProcess(env)])));
    const apiKey = await waitFor(
      () => processes.map((p) => p.out().match(/API key:\s+(ld_live_\S+)/)?.[1]).find(Boolean),
      10_000,
    );
    api = tenantApi((processes[0] as ServerProcess).url, apiKey);
    // The demo business the first run seeded (the only tenant).
    const client = (await exec('select id, timezone from clients')) as Array<{ id: string; timezone: string }>;
    expect(client).toHaveLength(1);
    clientId = client[0]?.id as string;
    timezone = client[0]?.timezone as string;
    for (const email of ['owner@digest-once.test', 'manager@digest-once.test']) {
      recipients.push({ id: await insertStaff(exec, clientId, email), email });
    }
  }, 120_000);

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.kill('SIGKILL')));
    await smtp?.close();
    for (const c of cleanup) await c().catch(() => undefined);
  });

  it('one claim wins when many race for the same period', async () => {
    const claims = await Promise.all(
      Array.from({ length: 6 }, () =>
        claimPeriod(
          { query: exec as never },
          { clientId, period: 'daily:2020-01-01T08:00', slotAt: new Date('2020-01-01T07:00:00Z'), leaseMs: 60_000 },
        ),
      ),
    );
    expect(claims.filter((c) => c.held)).toEqual([{ held: true, attempt: 1 }]);
    expect(claims.filter((c) => !c.held)).toHaveLength(5);
    for (const c of claims) if (!c.held) expect(c.status).toBe('busy');
  });

  it('two processes at the digest time: one email per recipient', async () => {
    const local = await digestInThreeMinutes();
    const period = await periodAt(local);
    await waitFor(() => mailsOf(period).length >= 2, 15_000);
    // Both processes' sweeps and workers have had their chance to send it again.
    await new Promise((r) => setTimeout(r, 2000));
    const mails = mailsOf(period);
    expect(addressesOf(mails)).toEqual(recipients.map((r) => r.email).sort());
    // One email each (nobody sees the other's address).
    expect(mails).toHaveLength(2);
    const sends = (await exec('select status, attempts from digest_sends where client_id = ? and period = ?', [
      clientId,
      period,
    ])) as Array<{ status: string; attempts: number }>;
    expect(sends).toEqual([{ status: 'sent', attempts: 1 }]);
  }, 30_000);

  it('processes killed while the email is being sent: after a restart it arrives exactly once', async () => {
    // The SMTP server reads the first email whole and never answers: the sender hangs mid-send.
    smtp.holdNext(1);
    const local = await digestInThreeMinutes();
    const period = await periodAt(local);
    await waitFor(() => smtp.held() === 1, 15_000);
    await Promise.all(processes.splice(0).map((p) => p.kill('SIGKILL')));
    expect(mailsOf(period)).toHaveLength(0);
    const during = (await exec(
      'select status, email, attempts from digest_deliveries where client_id = ? and period = ? order by email',
      [clientId, period],
    )) as Array<{ status: string; email: string; attempts: number }>;
    // Claimed and marked sending before the email went out, then killed.
    expect(during.map((d) => d.status)).toEqual(['sending']);
    expect((await exec('select status from digest_sends where period = ?', [period]))[0]).toEqual({
      status: 'sending',
    });

    const restarted = await startServerProcess(env);
    processes.push(restarted);
    await waitFor(() => mailsOf(period).length >= 2, 20_000);
    await new Promise((r) => setTimeout(r, 2000));
    const mails = mailsOf(period);
    expect(mails).toHaveLength(2);
    expect(addressesOf(mails)).toEqual(recipients.map((r) => r.email).sort());
    const after = (await exec(
      'select status, email, attempts from digest_deliveries where client_id = ? and period = ? order by email',
      [clientId, period],
    )) as Array<{ status: string; email: string; attempts: number }>;
    expect(after.map((d) => d.status)).toEqual(['sent', 'sent']);
    const sends = (await exec('select status, attempts from digest_sends where client_id = ? and period = ?', [
      clientId,
      period,
    ])) as Array<{ status: string; attempts: number }>;
    // The dead holder's claim, then the restarted process's.
    expect(sends).toEqual([{ status: 'sent', attempts: 2 }]);
  }, 60_000);
});
