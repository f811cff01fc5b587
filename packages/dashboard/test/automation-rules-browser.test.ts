/**
 * Settings → Automation in a real browser (Debian Chromium via playwright-core)
 * against a real server on PostgreSQL: an admin builds a rule in the form
 * ("a message says refund" → tag the lead), a visitor on the widget socket
 * writes "refund", and the firing log on the page shows what was done. The
 * lead page shows the rule's tag as a chip; staff add one that survives a
 * reload and remove it; a call-back task is marked done from the list.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCallbackTask } from '../../server/src/automation/business-hours/callback-tasks.js';
import { sqlOf } from '../../server/src/db/sql.js';
import { createClient } from '../../server/src/tenants/tenant-service.js';
import { type AuthTestServer, startAuthServer } from '../../server/test/auth/support.js';
import { waitFor } from '../../server/test/support/fake-providers.js';
import { connectVisitor, type Visitor } from '../../server/test/support/widget-client.js';
import { launchChromium } from '../../widget/test/support/browser.js';
import { signedInPage } from './support/staff-page.js';

const PKG = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS = path.resolve(PKG, '../../test-results');
const run = promisify(execFile);

let t: AuthTestServer;
let browser: Browser;
let dist: string;
let client: Awaited<ReturnType<typeof createClient>>;
let admin: { email: string; password: string; id: string };
const visitors: Visitor[] = [];
/** The lead and conversation the refund visitor created (the later tests use them). */
let refundLead: { leadId: string; conversationId: string } | undefined;

beforeAll(async () => {
  await mkdir(RESULTS, { recursive: true });
  dist = await mkdtemp(path.join(os.tmpdir(), 'ld-dashboard-rules-'));
  await run(process.execPath, [path.join(PKG, 'scripts/build.mjs'), '--outdir', dist], { cwd: PKG });
  t = await startAuthServer({ db: 'postgres', env: { DASHBOARD_DIST_DIR: dist, STRUCTURED_CHUNK_DELAY_MS: '0' } });
  client = await createClient(t.server.db.orm.em.fork(), {
    name: 'Rules Dental',
    industry: 'dental',
    allowedOrigins: ['*'],
    starterKnowledge: false,
  });
  const created = await t.createStaff({ client: client.client, role: 'admin', name: 'Ada Admin' });
  admin = { email: created.email, password: created.password, id: created.user.id };
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  for (const v of visitors) v.close();
  await browser?.close();
  await t?.server.dispose();
  if (dist) await rm(dist, { recursive: true, force: true });
});

describe('Settings → Automation → Rules in the browser', () => {
  it('builds a rule in the form and sees it fire in the firing log', async () => {
    const page = await signedInPage(browser, t.server.url, admin);
    await page.goto(`${t.server.url}/dashboard/settings/automation`);

    // The industry template's rules are there from the start.
    await page.locator('[data-testid=rule][data-rule-name="Urgent: alert staff"]').waitFor();
    await expect.poll(() => page.locator('[data-testid=rule]').count()).toBe(3);
    await page.locator('[data-testid=hours-mode]').waitFor();

    await page.click('[data-testid=new-rule]');
    const form = page.locator('[data-testid=rule-form]');
    await form.locator('input[name=rule-name]').fill('Refunds get a tag');
    await form.locator('select[name=trigger-kind]').selectOption('keyword');
    await form.locator('input[name=keywords]').fill('refund, reembolso');
    await form.locator('select[name=action-type]').selectOption('add_tag');
    await form.locator('input[name=tag]').fill('refund');
    // The server refuses a rule without a name… the browser does first; with a name it is saved.
    await form.locator('[data-testid=save-rule]').click();
    const row = page.locator('[data-testid=rule][data-rule-name="Refunds get a tag"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('tag “refund”');
    await page.screenshot({ path: path.join(RESULTS, 'automation-rules-built.png') });

    // A visitor asks for a refund on the widget socket.
    const v = connectVisitor(t.server.url, { siteKey: client.client.siteKey, origin: 'https://site.example' });
    visitors.push(v);
    await v.waitFor('session:ready');
    const identified = await v.socket.timeout(10_000).emitWithAck('visitor:identify', { email: 'refund@example.com' });
    if (!identified.ok) throw new Error(identified.error.message);
    const ack = await v.send('Hello, I would like a REFUND for my last visit');
    if (!ack.ok) throw new Error(ack.error.message);
    refundLead = { leadId: identified.data.leadId, conversationId: ack.data.message.conversationId };

    const firing = page.locator('[data-testid=firing]', { hasText: 'Refunds get a tag' });
    await firing.waitFor({ timeout: 20_000 });
    await expect.poll(() => firing.textContent(), { timeout: 10_000 }).toContain('add tag: tagged refund');
    expect(await firing.textContent()).toMatch(/In hours|After hours|Weekend|Holiday/);
    await page.screenshot({ path: path.join(RESULTS, 'automation-rules-fired.png') });
    const tags = await waitFor(async () => {
      const rows = await t.server.db.orm.em
        .getConnection()
        .execute<{ tag: string }[]>('select tag from lead_tags where lead_id = ?', [identified.data.leadId]);
      return rows.length ? rows : undefined;
    });
    expect(tags).toEqual([{ tag: 'refund' }]);

    // Switched off in the list: the next refund does not fire.
    await row.locator('input[type=checkbox]').uncheck();
    await expect
      .poll(
        async () =>
          (
            await t.api('/automation/rules', { token: (await t.login(admin.email, admin.password)).accessToken })
          ).body.data.find((r: { name: string }) => r.name === 'Refunds get a tag')?.enabled,
      )
      .toBe(false);
  });

  it('shows the tag on the lead page; a tag added there survives a reload and can be removed', async () => {
    if (!refundLead) throw new Error('needs the refund lead of the previous test');
    const page = await signedInPage(browser, t.server.url, admin);
    await page.goto(`${t.server.url}/dashboard/leads/${refundLead.leadId}`);
    const tags = page.locator('[data-testid=lead-tags]');
    await tags.locator('[data-testid=lead-tag][data-tag=refund]').waitFor();

    // Too long for the server: its message is shown and nothing is added.
    await tags.locator('input[name=new-tag]').evaluate((el) => el.removeAttribute('maxlength'));
    await tags.locator('input[name=new-tag]').fill('x'.repeat(41));
    await tags.locator('button[type=submit]').click();
    await tags.locator('[role=alert]', { hasText: 'at most 40 characters' }).waitFor();

    await tags.locator('input[name=new-tag]').fill('  call first  ');
    await tags.locator('button[type=submit]').click();
    await tags.locator('[data-testid=lead-tag][data-tag="call first"]').waitFor();
    await page.reload();
    await tags.locator('[data-testid=lead-tag][data-tag="call first"]').waitFor();
    expect(await tags.locator('[data-testid=lead-tag]').evaluateAll((els) => els.map((e) => e.dataset.tag))).toEqual([
      'call first',
      'refund',
    ]);
    await page.screenshot({ path: path.join(RESULTS, 'lead-tags.png') });

    await tags.getByRole('button', { name: 'Remove tag call first' }).click();
    await expect.poll(() => tags.locator('[data-testid=lead-tag]').count()).toBe(1);
    await page.reload();
    await tags.locator('[data-testid=lead-tag][data-tag=refund]').waitFor();
    expect(await tags.locator('[data-testid=lead-tag]').count()).toBe(1);
  });

  it('marks a call-back task done from the list; it stays gone after a reload', async () => {
    if (!refundLead) throw new Error('needs the refund lead of the first test');
    await createCallbackTask(sqlOf(t.server.db.orm), {
      clientId: client.client.id,
      conversationId: refundLead.conversationId,
      leadId: refundLead.leadId,
      mode: 'after_hours',
      dueAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    const page = await signedInPage(browser, t.server.url, admin);
    await page.goto(`${t.server.url}/dashboard/settings/automation`);
    const task = page.locator('[data-testid=callback-task]');
    await task.waitFor();
    expect(await task.count()).toBe(1);
    await task.getByRole('button', { name: 'Mark call-back done' }).click();
    await expect.poll(() => task.count()).toBe(0);
    await page.reload();
    await page.locator('[data-testid=hours-mode]').waitFor();
    expect(await task.count()).toBe(0);
    const rows = await t.server.db.orm.em
      .getConnection()
      .execute<{ status: string; done_by: string; completed: boolean }[]>(
        'select status, done_by, done_at is not null as completed from callback_tasks where conversation_id = ?',
        [refundLead.conversationId],
      );
    expect(rows).toEqual([{ status: 'done', done_by: admin.id, completed: true }]);
  });
});
