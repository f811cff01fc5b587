/**
 * Analytics → Reports in a real browser (Debian Chromium via playwright-core)
 * against a real server on PostgreSQL, over rows seeded with explicit times:
 * this month and last month (the tenant is in UTC and never open, so every
 * inquiry is after hours). The headlines show the seeded numbers, the SLA
 * table the AI's first responses, and the period switch changes them.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlOf } from '../../server/src/db/sql.js';
import { createClient } from '../../server/src/tenants/tenant-service.js';
import { type AuthTestServer, startAuthServer } from '../../server/test/auth/support.js';
import { launchChromium } from '../../widget/test/support/browser.js';
import { signedInPage } from './support/staff-page.js';

const PKG = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = promisify(execFile);

let t: AuthTestServer;
let browser: Browser;
let dist: string;
let manager: { email: string; password: string };
let admin: { email: string; password: string };

/** A lead and its conversation: the visitor's first message at `at`, the AI's answer `replySeconds` later. */
async function seedThread(clientId: string, at: Date, replySeconds: number, status: string, service?: string) {
  const q = (text: string, params: unknown[]) => sqlOf(t.server.db.orm).query(text, params);
  const leadId = randomUUID();
  const conversationId = randomUUID();
  await q(
    `insert into leads (id, client_id, handles, source, qualification, score_evidence, status, temperature, created_at, updated_at)
     values (?, ?, '{}', 'web', ?::jsonb, '[]', ?, 'unscored', ?, ?)`,
    [leadId, clientId, JSON.stringify({ serviceInterest: service, custom: {} }), status, at, at],
  );
  await q(
    `insert into conversations (id, client_id, lead_id, channel, status, mode, last_seq, created_at, updated_at)
     values (?, ?, ?, 'web', 'active', 'ai', 2, ?, ?)`,
    [conversationId, clientId, leadId, at, at],
  );
  for (const [seq, role, when] of [
    [1, 'visitor', at],
    [2, 'ai', new Date(at.getTime() + replySeconds * 1000)],
  ] as const) {
    await q(
      `insert into messages (id, client_id, conversation_id, seq, role, content, attachments, channel, delivery_state, created_at)
       values (?, ?, ?, ?, ?, 'text', '[]', 'web', 'sent', ?)`,
      [randomUUID(), clientId, conversationId, seq, role, when],
    );
  }
}

beforeAll(async () => {
  dist = await mkdtemp(path.join(os.tmpdir(), 'ld-dashboard-reports-'));
  await run(process.execPath, [path.join(PKG, 'scripts/build.mjs'), '--outdir', dist], { cwd: PKG });
  t = await startAuthServer({ db: 'postgres', env: { DASHBOARD_DIST_DIR: dist, REPORTS_SWEEP_INTERVAL_MS: '0' } });
  const em = () => t.server.db.orm.em.fork();
  const closed = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
  const mine = await createClient(em(), {
    name: 'Reports Dental',
    industry: 'dental',
    starterKnowledge: false,
    timezone: 'UTC',
    config: {
      businessHours: closed,
      services: ['Implants', 'Whitening'],
      serviceValues: { Implants: 3000, Whitening: 300 },
    },
  });
  const theirs = await createClient(em(), { name: 'Other Dental', industry: 'dental', starterKnowledge: false });
  const created = await t.createStaff({ client: mine.client, role: 'manager', name: 'Mo Manager' });
  manager = { email: created.email, password: created.password };
  const adminUser = await t.createStaff({ client: mine.client, role: 'admin', name: 'Ada Admin' });
  admin = { email: adminUser.email, password: adminUser.password };

  // This month (in UTC): an hour ago, or its first minute on the 1st just after midnight.
  const now = Date.now();
  const monthStart = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), 1);
  const thisMonth = (minutes: number) => new Date(Math.max(monthStart + 1000, now - minutes * 60_000));
  await seedThread(mine.client.id, thisMonth(60), 4, 'qualified', 'Implants');
  await seedThread(mine.client.id, thisMonth(50), 10, 'new');
  // Last month: three days before this month began.
  await seedThread(mine.client.id, new Date(monthStart - 3 * 86_400_000), 30, 'qualified', 'Whitening');
  // Another tenant's rows this month never count.
  await seedThread(theirs.client.id, thisMonth(40), 500, 'qualified', 'Implants');
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await t?.server.dispose();
  if (dist) await rm(dist, { recursive: true, force: true });
});

describe('Analytics → Reports in the browser', () => {
  it('shows the headlines and the SLA table for the period, and the period switch changes them', async () => {
    const page = await signedInPage(browser, t.server.url, manager);
    await page.goto(`${t.server.url}/dashboard/analytics`);
    await page.getByRole('tab', { name: 'Reports' }).click();
    const sla = page.getByTestId('sla-headline');
    const missed = page.getByTestId('missed-revenue-headline');
    await sla.waitFor();
    // This month: first responses of 4 s and 10 s; two after-hours inquiries, one qualified implant case.
    expect(await sla.textContent()).toBe('Average response time: 7 s');
    expect(await missed.textContent()).toBe('You had 2 after-hours inquiries this month; 1 qualified, worth €3,000');
    const allRow = page.locator('[data-testid=sla-table] tr[data-metric=first_response][data-channel=all] td');
    expect(await allRow.nth(2).textContent()).toBe('2');
    expect(await allRow.nth(3).textContent()).toBe('7 s');
    // p50 is the 4 s reply, p90 the 10 s one (histogram values within 2 %, shown to the second).
    expect(await allRow.nth(6).textContent()).toBe('4 s / 10 s');
    expect(await allRow.nth(5).textContent()).toBe('—');
    expect(await allRow.nth(8).textContent()).toBe('✓ met');
    // The after-hours chart and the ROI report's (reports-roi-browser.test.ts); the lead scoring section below has
    // its own (reports-scoring-browser.test.ts).
    await expect
      .poll(
        () =>
          page.locator('canvas').evaluateAll((els) => els.filter((e) => !e.closest('[data-testid=scoring]')).length),
        {
          timeout: 10_000,
        },
      )
      .toBe(2);

    await page.getByLabel('Report period').selectOption('last_month');
    await page.getByText('Average response time: 30 s').waitFor();
    expect(await missed.textContent()).toBe('You had 1 after-hours inquiry last month; 1 qualified, worth €300');
    expect(await allRow.nth(2).textContent()).toBe('1');
    // Targets and values are the admins' to set: a manager reads the reports only.
    expect(await page.getByTestId('report-targets').count()).toBe(0);
    await page.context().close();
  });

  it('lets an admin set the targets and service values, and reads the report again against them', async () => {
    const page = await signedInPage(browser, t.server.url, admin);
    await page.goto(`${t.server.url}/dashboard/analytics`);
    await page.getByRole('tab', { name: 'Reports' }).click();
    const form = page.getByTestId('report-targets');
    await form.locator('input[name="value-Implants"]').waitFor();
    expect(await form.locator('input[name="value-Implants"]').inputValue()).toBe('3000');
    await form.locator('input[name=firstResponseSeconds]').fill('5');
    await form.locator('input[name="value-Implants"]').fill('4000');
    await form.locator('input[name="value-Whitening"]').fill('');
    await page.getByTestId('save-report-targets').click();
    await page.getByText('You had 2 after-hours inquiries this month; 1 qualified, worth €4,000').waitFor();
    const allRow = page.locator('[data-testid=sla-table] tr[data-metric=first_response][data-channel=all] td');
    // p90 of 10 s against the new 5 s target.
    await expect.poll(() => allRow.nth(8).textContent()).toBe('✗ missed');
    expect(await allRow.nth(7).textContent()).toBe('5 s');
    const stored = await t.api('/client', { token: (await t.login(admin.email, admin.password)).accessToken });
    expect(stored.body.config.serviceValues).toEqual({ Implants: 4000 });
    expect(stored.body.config.reports).toMatchObject({ firstResponseSeconds: 5, takeoverSeconds: 900 });
    await page.context().close();
  });
});
