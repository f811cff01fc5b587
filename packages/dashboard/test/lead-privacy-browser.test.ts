/**
 * The lead page's privacy actions in a real browser (Debian Chromium via
 * playwright-core) against a real server: "Download data" saves the lead's
 * JSON export, and "Erase lead" asks for the lead's name before it deletes
 * the lead (issue 18). A manager may download but is not offered erasure.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../server/src/tenants/tenant-service.js';
import { type AuthTestServer, startAuthServer } from '../../server/test/auth/support.js';
import { webFormLead } from '../../server/test/support/hubspot-tenant.js';
import { launchChromium } from '../../widget/test/support/browser.js';
import { signedInPage } from './support/staff-page.js';

const PKG = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = promisify(execFile);

let t: AuthTestServer;
let browser: Browser;
let admin: Page;
let manager: Page;
let lead: { leadId: string; conversationId: string };
let client: Awaited<ReturnType<typeof createClient>>;
const dirs: string[] = [];
const LEAD = { name: 'Odile Brennan', email: 'odile.brennan@example.org', message: 'Saffron-pelican: implant quote?' };

beforeAll(async () => {
  const dashboardDist = await mkdtemp(path.join(os.tmpdir(), 'ld-dashboard-'));
  dirs.push(dashboardDist);
  await run(process.execPath, [path.join(PKG, 'scripts/build.mjs'), '--outdir', dashboardDist], { cwd: PKG });
  t = await startAuthServer({ env: { DASHBOARD_DIST_DIR: dashboardDist, STRUCTURED_CHUNK_DELAY_MS: '0' } });
  client = await createClient(t.server.db.orm.em.fork(), { name: 'Birch Dental', industry: 'dental' });
  const adminUser = await t.createStaff({ client: client.client, role: 'admin' });
  const managerUser = await t.createStaff({ client: client.client, role: 'manager' });
  lead = await webFormLead(t.server.url, client.client.siteKey, LEAD);
  browser = await launchChromium();
  admin = await signedInPage(browser, t.server.url, adminUser);
  manager = await signedInPage(browser, t.server.url, managerUser);
  admin.setDefaultTimeout(60_000);
  manager.setDefaultTimeout(60_000);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await t?.server.dispose();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('lead page privacy actions', { timeout: 180_000 }, () => {
  it('downloads the lead’s data as a JSON file holding its messages', async () => {
    await admin.goto(`${t.server.url}/dashboard/leads/${lead.leadId}`);
    const panel = admin.locator('[data-testid=lead-privacy]');
    const [download] = await Promise.all([
      admin.waitForEvent('download'),
      panel.getByRole('button', { name: 'Download data' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`lead-${lead.leadId}.json`);
    const file = await download.path();
    const doc = JSON.parse(await readFile(file, 'utf8'));
    expect(doc.lead).toMatchObject({ id: lead.leadId, email: LEAD.email });
    expect(doc.messages.map((m: { content: string }) => m.content)).toContain(LEAD.message);
  });

  it('offers a manager the download but not the erasure', async () => {
    await manager.goto(`${t.server.url}/dashboard/leads/${lead.leadId}`);
    const panel = manager.locator('[data-testid=lead-privacy]');
    await panel.getByRole('button', { name: 'Download data' }).waitFor();
    await expect(panel.getByText(/Erase/).count()).resolves.toBe(0);
  });

  it('erases the lead only once its name is typed, then leaves the lead page', async () => {
    await admin.goto(`${t.server.url}/dashboard/leads/${lead.leadId}`);
    const panel = admin.locator('[data-testid=lead-privacy]');
    const disclosure = panel.getByText('Erase lead…');
    const confirm = panel.getByRole('button', { name: 'Erase permanently' });
    // Closed until opened: nothing to click by accident.
    await disclosure.waitFor();
    await expect(confirm.isVisible()).resolves.toBe(false);
    await disclosure.click();
    await expect(confirm.isDisabled()).resolves.toBe(true);
    await panel.locator('input[name=erase-confirmation]').fill('Odile');
    await expect(confirm.isDisabled()).resolves.toBe(true);
    // Closing it again erases nothing.
    await disclosure.click();
    await expect(confirm.isVisible()).resolves.toBe(false);
    expect((await t.api(`/leads/${lead.leadId}`, { token: await adminToken() })).status).toBe(200);

    await disclosure.click();
    await panel.locator('input[name=erase-confirmation]').fill(LEAD.name);
    await expect(confirm.isDisabled()).resolves.toBe(false);
    await confirm.click();
    await admin.waitForURL(`${t.server.url}/dashboard/leads`);
    await admin.getByText('No leads match.').waitFor();
    expect((await t.api(`/leads/${lead.leadId}`, { token: await adminToken() })).status).toBe(404);
    const rows = await t.server.db.orm.em
      .getConnection()
      .execute<{ n: number }[]>(
        `select (select count(*) from leads where id = ?)::int + (select count(*) from conversations where id = ?)::int as n`,
        [lead.leadId, lead.conversationId],
      );
    expect(rows[0]?.n).toBe(0);
  });
});

let token: string | undefined;
async function adminToken(): Promise<string> {
  if (!token) {
    const user = await t.createStaff({ client: client.client, role: 'admin' });
    token = (await t.login(user.email, user.password)).accessToken;
  }
  return token;
}
