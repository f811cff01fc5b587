/**
 * Analytics → Reports → lead scoring in a real browser (Debian Chromium via
 * playwright-core) against a real server on PostgreSQL, over rows seeded with
 * explicit times in a UTC tenant: this month two leads, last month forty
 * closed leads whose outcome follows how fast they were answered. The section
 * shows the period's figures and the "heuristic" label, the period switch
 * changes them, an admin's "Refit now" fits the model, and the lead page then
 * shows the model's probability.
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
let admin: { email: string; password: string; id: string };
let openLead = '';

/** A lead and its conversation: the visitor's first message at `at`, the AI's answer `replySeconds` later. */
async function seedLead(
  clientId: string,
  at: Date,
  replySeconds: number,
  lead: { status: string; temperature: string; score: number },
): Promise<string> {
  const q = (text: string, params: unknown[]) => sqlOf(t.server.db.orm).query(text, params);
  const leadId = randomUUID();
  const conversationId = randomUUID();
  await q(
    `insert into leads (id, client_id, handles, source, qualification, score, score_evidence, status, temperature, created_at, updated_at)
     values (?, ?, '{}', 'web', '{"custom":{}}'::jsonb, ?, '[]', ?, ?, ?, ?)`,
    [leadId, clientId, lead.score, lead.status, lead.temperature, at, at],
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
  return leadId;
}

beforeAll(async () => {
  dist = await mkdtemp(path.join(os.tmpdir(), 'ld-dashboard-scoring-'));
  await run(process.execPath, [path.join(PKG, 'scripts/build.mjs'), '--outdir', dist], { cwd: PKG });
  t = await startAuthServer({ db: 'postgres', env: { DASHBOARD_DIST_DIR: dist, REPORTS_SWEEP_INTERVAL_MS: '0' } });
  const em = () => t.server.db.orm.em.fork();
  const mine = await createClient(em(), {
    name: 'Scoring Dental',
    industry: 'dental',
    starterKnowledge: false,
    timezone: 'UTC',
  });
  const created = await t.createStaff({ client: mine.client, role: 'manager', name: 'Mo Manager' });
  manager = { email: created.email, password: created.password };
  const adminUser = await t.createStaff({ client: mine.client, role: 'admin', name: 'Ada Admin' });
  admin = { email: adminUser.email, password: adminUser.password, id: adminUser.user.id };
  const id = mine.client.id;

  const now = Date.now();
  const monthStart = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), 1);
  const thisMonth = (minutes: number) => new Date(Math.max(monthStart + 1000, now - minutes * 60_000));
  // This month: a hot lead answered in 20 s and won, a cold one still open (answered in 20 s too). Every lead
  // scores 50, so the model's answer for the open one turns on its response time.
  await seedLead(id, thisMonth(60), 20, { status: 'closed_won', temperature: 'hot', score: 50 });
  openLead = await seedLead(id, thisMonth(50), 20, { status: 'new', temperature: 'cold', score: 50 });
  // Last month (from ten days before this month began): 20 answered within a minute (17 won), 20 after
  // 3–5 hours (3 won).
  for (let i = 0; i < 40; i++) {
    const fast = i < 20;
    const won = fast ? i % 7 !== 0 : i % 7 === 0;
    await seedLead(id, new Date(monthStart - 10 * 86_400_000 + i * 600_000), fast ? 15 + i : 3 * 3600 + i * 300, {
      status: won ? 'closed_won' : 'closed_lost',
      temperature: fast ? 'hot' : 'warm',
      score: 50,
    });
  }
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await t?.server.dispose();
  if (dist) await rm(dist, { recursive: true, force: true });
});

describe('Reports → lead scoring in the browser', () => {
  it('shows the period’s temperatures, the response-time effect and the heuristic label; the period switch changes them', async () => {
    const page = await signedInPage(browser, t.server.url, manager);
    await page.goto(`${t.server.url}/dashboard/analytics`);
    await page.getByRole('tab', { name: 'Reports' }).click();
    const summary = page.getByTestId('scoring-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toBe('2 leads: 1 hot, 0 warm, 1 cold, 0 unscored · 1 qualified · 1 won');
    const fastRow = page.locator('[data-testid=response-effect] tr[data-bucket=under_1_min] td');
    expect(await fastRow.allTextContents()).toEqual(['< 1 min', '1', '1', '100 %']);
    // Two charts in the section: temperature by week and the response-time effect.
    expect(await page.getByTestId('scoring').locator('canvas').count()).toBe(2);
    const status = page.getByTestId('model-status');
    expect(await status.getAttribute('data-source')).toBe('heuristic');
    expect(await status.textContent()).toContain('Heuristic');
    // Managers read; refitting is the admins'.
    expect(await page.getByTestId('refit-model').count()).toBe(0);

    await page.getByLabel('Report period').selectOption('last_month');
    await page.getByText('40 leads: 20 hot, 20 warm, 0 cold, 0 unscored · 20 qualified · 20 won').waitFor();
    expect(await fastRow.allTextContents()).toEqual(['< 1 min', '20', '17', '85 %']);
    const slowRow = page.locator('[data-testid=response-effect] tr[data-bucket="2_24_h"] td');
    expect(await slowRow.allTextContents()).toEqual(['2–24 h', '20', '3', '15 %']);
    await page.context().close();
  });

  it('lets an admin refit the model (the lead page then shows its probability) and choose who gets the monthly email', async () => {
    const page = await signedInPage(browser, t.server.url, admin);
    await page.goto(`${t.server.url}/dashboard/leads/${openLead}`);
    const conversion = page.getByTestId('conversion');
    await conversion.waitFor();
    expect(await conversion.getAttribute('data-source')).toBe('heuristic');
    expect(await page.getByTestId('conversion-probability').textContent()).toBe('score 50 / 100');

    await page.goto(`${t.server.url}/dashboard/analytics`);
    await page.getByRole('tab', { name: 'Reports' }).click();
    await page.getByTestId('refit-model').click();
    await page.locator('[data-testid=model-status][data-source=model]').waitFor();
    expect(await page.getByTestId('model-status').textContent()).toContain('on 41 closed leads (21 won, 20 lost)');
    expect(await page.getByTestId('model-calibration').textContent()).toMatch(/AUC 0\.\d\d, Brier score 0\.\d{3}/);

    // The monthly report email goes to the staff chosen here.
    const monthly = page.getByTestId('monthly-email');
    await monthly.locator(`input[name="monthly-${admin.email}"]`).check();
    await monthly.locator('input[name=monthlySendHour]').fill('7');
    await page.getByTestId('save-monthly-email').click();
    await monthly.getByText('Saved').waitFor();
    const token = (await t.login(admin.email, admin.password)).accessToken;
    expect((await t.api('/reports/monthly-email', { token })).body.settings).toEqual({
      recipients: [admin.id],
      sendHour: 7,
    });

    await page.goto(`${t.server.url}/dashboard/leads/${openLead}`);
    await page.locator('[data-testid=conversion][data-source=model]').waitFor();
    // Answered in 20 s, like the leads that were mostly won.
    const shown = (await page.getByTestId('conversion-probability').textContent()) ?? '';
    expect(Number(shown.replace(/\D/g, ''))).toBeGreaterThan(60);
    await page.context().close();
  });
});
