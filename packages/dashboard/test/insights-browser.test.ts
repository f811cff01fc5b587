/**
 * Analytics → Insights in a real browser (Debian Chromium via playwright-core)
 * against a real server on PostgreSQL, over rows seeded this month and last
 * month (the tenant is in UTC): the best channel, the funnel chart, the
 * booking heat map and the question table show the period's rows, the period
 * switch changes them, and the CSV download starts.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
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

beforeAll(async () => {
  dist = await mkdtemp(path.join(os.tmpdir(), 'ld-dashboard-insights-'));
  await run(process.execPath, [path.join(PKG, 'scripts/build.mjs'), '--outdir', dist], { cwd: PKG });
  t = await startAuthServer({ db: 'postgres', env: { DASHBOARD_DIST_DIR: dist, REPORTS_SWEEP_INTERVAL_MS: '0' } });
  const q = (text: string, params: unknown[]) => sqlOf(t.server.db.orm).query(text, params);
  const mine = await createClient(t.server.db.orm.em.fork(), {
    name: 'Insights Dental',
    industry: 'dental',
    starterKnowledge: false,
    timezone: 'UTC',
  });
  const created = await t.createStaff({ client: mine.client, role: 'manager', name: 'Mo Manager' });
  manager = { email: created.email, password: created.password };
  const A = mine.client.id;

  const now = Date.now();
  const monthStart = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), 1);
  // This month: minutes ago, but never before the 1st; last month: three days before the 1st.
  const thisMonth = (minutes: number) => new Date(Math.max(monthStart + 60_000, now - minutes * 60_000));
  const lastMonth = new Date(monthStart - 3 * 86_400_000);
  const lead = async (source: string, status: string, at: Date) => {
    const id = randomUUID();
    await q(
      `insert into leads (id, client_id, handles, source, qualification, score_evidence, status, temperature, created_at, updated_at)
       values (?, ?, '{}', ?, '{"custom":{}}', '[]', ?, 'unscored', ?, ?)`,
      [id, A, source, status, at, at],
    );
    return id;
  };
  // This month: 10 web leads, 3 booked. Last month: 10 WhatsApp leads, 4 booked.
  for (let i = 0; i < 10; i++) await lead('web', i < 3 ? 'appointment_booked' : 'new', thisMonth(60 + i));
  for (let i = 0; i < 10; i++) await lead('whatsapp', i < 4 ? 'appointment_booked' : 'new', lastMonth);
  // Booking requests: this month for a Tuesday 10:00 (1 Jan 2030), last month for a Saturday 15:00 (5 Jan 2030).
  for (const [startsAt, at] of [
    ['2030-01-01T10:00:00Z', thisMonth(30)],
    ['2030-01-05T15:00:00Z', lastMonth],
  ] as const) {
    await q(
      `insert into bookings (id, client_id, request_key, event_type_id, starts_at, status, created_by, created_at, updated_at)
       values (?, ?, ?, 1, ?, 'booked', 'lead', ?, ?)`,
      [randomUUID(), A, randomUUID(), new Date(startsAt), at, at],
    );
  }
  // A visitor question this month.
  const conversationId = randomUUID();
  await q(
    `insert into conversations (id, client_id, channel, status, mode, last_seq, created_at, updated_at)
     values (?, ?, 'web', 'active', 'ai', 1, ?, ?)`,
    [conversationId, A, thisMonth(20), thisMonth(20)],
  );
  await q(
    `insert into messages (id, client_id, conversation_id, seq, role, content, attachments, channel, delivery_state, created_at)
     values (?, ?, ?, 1, 'visitor', 'How much is a cleaning?', '[]', 'web', 'sent', ?)`,
    [randomUUID(), A, conversationId, thisMonth(20)],
  );
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await t?.server.dispose();
  if (dist) await rm(dist, { recursive: true, force: true });
});

describe('Analytics → Insights in the browser', () => {
  it('renders the charts and heat map for the period, the period switch changes them, and the CSV downloads', async () => {
    const page = await signedInPage(browser, t.server.url, manager);
    await page.goto(`${t.server.url}/dashboard/analytics`);
    await page.getByRole('tab', { name: 'Insights' }).click();
    const best = page.getByTestId('best-channel');
    await best.waitFor();
    expect(await best.textContent()).toBe('web');
    // Two charts (best channel, funnel) drawn on canvases, and the 7 × 24 heat map.
    await expect.poll(() => page.locator('[data-testid=insights] canvas').count()).toBe(2);
    const cell = (weekday: number, hour: number) =>
      page.locator(`[data-testid=booking-heatmap] td[data-weekday="${weekday}"][data-hour="${hour}"]`);
    expect(await page.locator('[data-testid=booking-heatmap] td').count()).toBe(7 * 24);
    expect(await cell(2, 10).getAttribute('data-requested')).toBe('1');
    expect(await cell(6, 15).getAttribute('data-requested')).toBe('0');
    expect(await page.getByTestId('question-clusters').textContent()).toContain('How much is a cleaning?');
    expect(await page.locator('[data-testid=funnel-table] tr[data-step=booked] td').nth(1).textContent()).toBe('3');

    await page.getByLabel('Insights period').selectOption('last_month');
    await page.getByTestId('best-channel').getByText('whatsapp').waitFor();
    expect(await cell(6, 15).getAttribute('data-requested')).toBe('1');
    expect(await cell(2, 10).getAttribute('data-requested')).toBe('0');
    expect(await page.locator('[data-testid=funnel-table] tr[data-step=booked] td').nth(1).textContent()).toBe('4');
    expect(await page.getByTestId('question-clusters').count()).toBe(0);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^insights-\d{4}-\d{2}-01-to-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = await readFile((await download.path()) as string, 'utf8');
    expect(csv.replace(/^\uFEFF/, '').split(/\r?\n/)[0]).toBe('from,to,timezone,section,item,label,metric,value');
    expect(csv).toContain(',best_channel,whatsapp,');
    await page.context().close();
  });
});
