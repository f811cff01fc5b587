/**
 * The ROI section of Analytics → Reports, the reports' CSV buttons and the
 * agency overview on the Clients page, in a real browser (Debian Chromium via
 * playwright-core) against a real server on PostgreSQL over rows seeded with
 * explicit times. The tenant is in UTC; this month the AI answered an
 * implants lead first and staff a whitening lead; last month the AI answered
 * a whitening lead. An admin sets the plan cost where the targets are set.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
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
let admin: { email: string; password: string };
let root: { email: string; password: string };

async function seedLead(clientId: string, at: Date, firstAnswer: 'ai' | 'staff', status: string, service?: string) {
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
    [2, firstAnswer, new Date(at.getTime() + 6000)],
  ] as const) {
    await q(
      `insert into messages (id, client_id, conversation_id, seq, role, content, attachments, channel, delivery_state, created_at)
       values (?, ?, ?, ?, ?, 'text', '[]', 'web', 'sent', ?)`,
      [randomUUID(), clientId, conversationId, seq, role, when],
    );
  }
}

// This month (in UTC): an hour ago, or its first minute on the 1st just after midnight.
const now = Date.now();
const monthStart = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), 1);
const thisMonth = (minutes: number) => new Date(Math.max(monthStart + 1000, now - minutes * 60_000));
const today = new Date(now).toISOString().slice(0, 10);
const lastMonthEnd = new Date(monthStart - 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  dist = await mkdtemp(path.join(os.tmpdir(), 'ld-dashboard-roi-'));
  await run(process.execPath, [path.join(PKG, 'scripts/build.mjs'), '--outdir', dist], { cwd: PKG });
  t = await startAuthServer({ db: 'postgres', env: { DASHBOARD_DIST_DIR: dist, REPORTS_SWEEP_INTERVAL_MS: '0' } });
  const em = () => t.server.db.orm.em.fork();
  const closed = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
  const mine = await createClient(em(), {
    name: 'ROI Dental',
    industry: 'dental',
    starterKnowledge: false,
    timezone: 'UTC',
    config: {
      businessHours: closed,
      services: ['Implants', 'Whitening'],
      serviceValues: { Implants: 3000, Whitening: 300 },
    },
  });
  const other = await createClient(em(), {
    name: 'Zed Clinic',
    industry: 'dental',
    starterKnowledge: false,
    timezone: 'UTC',
  });
  const adminUser = await t.createStaff({ client: mine.client, role: 'admin', name: 'Ada Admin' });
  admin = { email: adminUser.email, password: adminUser.password };
  const rootUser = await t.createStaff({ client: null, role: 'super_admin', name: 'Sam Super' });
  root = { email: rootUser.email, password: rootUser.password };

  await seedLead(mine.client.id, thisMonth(60), 'ai', 'qualified', 'Implants');
  await seedLead(mine.client.id, thisMonth(50), 'staff', 'qualified', 'Whitening');
  await seedLead(mine.client.id, new Date(monthStart - 3 * 86_400_000), 'ai', 'qualified', 'Whitening');
  await sqlOf(t.server.db.orm).query(
    `insert into usage_logs (id, client_id, model, day, requests, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens)
     values (?, ?, 'claude-sonnet-4-6', ?::date, 3, 1000000, 0, 0, 0)`,
    [randomUUID(), mine.client.id, today],
  );
  // The other client has more leads this month, none qualified.
  for (const minutes of [40, 30, 20]) await seedLead(other.client.id, thisMonth(minutes), 'ai', 'new');
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await t?.server.dispose();
  if (dist) await rm(dist, { recursive: true, force: true });
});

/** Clicks an export button and returns the file's name and text. */
async function download(page: Page, testId: string): Promise<{ name: string; text: string }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  const saved = await file.path();
  return { name: file.suggestedFilename(), text: await readFile(saved, 'utf8') };
}

describe('ROI report and CSV exports in the browser', () => {
  it('shows the ROI for the period, takes the plan cost from an admin and exports each report', async () => {
    const page = await signedInPage(browser, t.server.url, admin);
    await page.goto(`${t.server.url}/dashboard/analytics`);
    await page.getByRole('tab', { name: 'Reports' }).click();
    const headline = page.getByTestId('roi-headline');
    await headline.waitFor();
    // Only the implants lead was answered first by the AI.
    expect(await headline.textContent()).toBe('Lead Desk generated 1 qualified lead worth €3,000 this month');
    expect(await page.getByTestId('roi-qualified').textContent()).toBe('1 of 2');
    expect(await page.getByTestId('roi-ratio').textContent()).toBe('—');
    expect(await page.getByTestId('roi-ai-spend').textContent()).toContain('$3.00 for 1,000,000 tokens');

    // The plan: 100 a month, prorated to the days of this month so far.
    await page.locator('input[name=planMonthlyCost]').fill('100');
    await page.getByTestId('save-report-targets').click();
    const day = new Date(now).getUTCDate();
    const monthDays = new Date(
      Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth() + 1, 0),
    ).getUTCDate();
    const planCost = Math.round(((100 * day) / monthDays) * 100) / 100;
    await expect
      .poll(() => page.getByTestId('roi-ratio').textContent(), { timeout: 10_000 })
      .toBe(`${Math.round((3000 / planCost) * 100) / 100}×`);

    // Last month: the whitening lead, against a whole month's plan: 300 ÷ 100.
    await page.getByLabel('Report period').selectOption('last_month');
    await page.getByText('Lead Desk generated 1 qualified lead worth €300 last month').waitFor();
    await expect.poll(() => page.getByTestId('roi-ratio').textContent(), { timeout: 10_000 }).toBe('3×');
    const roiCsv = await download(page, 'export-roi');
    const from = `${lastMonthEnd.slice(0, 8)}01`;
    expect(roiCsv.name).toBe(`roi-roi-dental-${from}-to-${lastMonthEnd}.csv`);
    expect(roiCsv.text).toContain(`${from},${lastMonthEnd},UTC,attributed_qualified_value,,300,EUR`);
    expect(roiCsv.text).toContain(`${from},${lastMonthEnd},UTC,roi,,3,ratio`);
    const times = await download(page, 'export-response-times');
    expect(times.name).toBe(`response-times-roi-dental-${from}-to-${lastMonthEnd}.csv`);
    expect(times.text).toContain(`${from},${lastMonthEnd},UTC,first_response,all,1,6,`);
    const missed = await download(page, 'export-missed-revenue');
    expect(missed.text).toContain('total,1,1,0,0,300,EUR');
    await page.context().close();
  });

  it('lets a super admin compare the clients, sort the table and download it', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    await page.goto(`${t.server.url}/dashboard/`);
    await page.fill('input[name=email]', root.email);
    await page.fill('input[name=password]', root.password);
    await page.click('button[type=submit]');
    const table = page.getByTestId('agency-overview');
    const order = () => table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-client')));
    await table.locator('tbody tr').first().waitFor();
    await expect.poll(order, { timeout: 10_000 }).toEqual(['ROI Dental', 'Zed Clinic']);
    const cells = table.locator('tr[data-client="ROI Dental"] td');
    // Leads, hot, qualified this month; the attributed value.
    expect(await cells.nth(1).textContent()).toBe('2');
    expect(await cells.nth(3).textContent()).toBe('2');
    expect(await cells.nth(8).textContent()).toBe('€3,000');

    await table.getByRole('button', { name: 'Leads' }).click();
    await expect.poll(order, { timeout: 10_000 }).toEqual(['Zed Clinic', 'ROI Dental']);
    expect(await table.locator('th[aria-sort=descending]').textContent()).toBe('Leads ▼');
    await table.getByRole('button', { name: 'Leads' }).click();
    await expect.poll(order, { timeout: 10_000 }).toEqual(['ROI Dental', 'Zed Clinic']);

    const csv = await download(page, 'export-overview');
    expect(csv.name).toBe('clients-overview-this_month.csv');
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(lines.map((l) => l.split(',')[1])).toEqual(['name', 'ROI Dental', 'Zed Clinic']);
    await page.context().close();
  });
});
