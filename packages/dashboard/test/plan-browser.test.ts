/**
 * Settings → General in a real browser (Debian Chromium via playwright-core)
 * against a real server whose operator set tiers (PLAN_SEATS_STARTER=2,
 * PLAN_CHANNELS_STARTER=sms): the Plan card shows what the plan includes and
 * what is in use, and an invitation past the seats shows the server's reason
 * in the Team card and adds nobody (issue 18, plans and limits).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../server/src/tenants/tenant-service.js';
import {
  type AuthTestServer,
  type MailCatcher,
  startAuthServer,
  startMailCatcher,
} from '../../server/test/auth/support.js';
import { launchChromium } from '../../widget/test/support/browser.js';
import { signedInPage } from './support/staff-page.js';

const PKG = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = promisify(execFile);

let t: AuthTestServer;
let mail: MailCatcher;
let browser: Browser;
let admin: Page;
let dashboardDist: string;

beforeAll(async () => {
  dashboardDist = await mkdtemp(path.join(os.tmpdir(), 'ld-dashboard-'));
  await run(process.execPath, [path.join(PKG, 'scripts/build.mjs'), '--outdir', dashboardDist], { cwd: PKG });
  mail = await startMailCatcher();
  t = await startAuthServer({
    env: {
      DASHBOARD_DIST_DIR: dashboardDist,
      SMTP_URL: mail.url,
      PLAN_SEATS_STARTER: '2',
      PLAN_CHANNELS_STARTER: 'sms',
    },
  });
  const client = await createClient(t.server.db.orm.em.fork(), { name: 'Alder Dental', industry: 'dental' });
  const adminUser = await t.createStaff({ client: client.client, role: 'admin' });
  browser = await launchChromium();
  admin = await signedInPage(browser, t.server.url, adminUser);
  admin.setDefaultTimeout(60_000);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await t?.server.dispose();
  await mail?.close();
  if (dashboardDist) await rm(dashboardDist, { recursive: true, force: true });
});

describe('plan and seats in Settings', { timeout: 180_000 }, () => {
  it('shows the plan, then refuses an invitation past the seats with the server’s reason', async () => {
    await admin.goto(`${t.server.url}/dashboard/settings`);
    const plan = admin.locator('dl[aria-label="Plan and limits"]');
    await plan.waitFor();
    await expect(plan.textContent()).resolves.toMatch(/starter/i);
    await expect(plan.textContent()).resolves.toContain('1 of 2 in use');
    await expect(plan.textContent()).resolves.toContain('Web chat, Web forms, SMS, Email');
    await expect(plan.textContent()).resolves.not.toContain('WhatsApp');

    const invite = async (email: string) => {
      await admin.fill('input[type=email][placeholder="teammate@business.com"]', email);
      await admin.getByRole('button', { name: 'Invite' }).click();
    };
    await invite('second@example.com');
    await admin.getByText('Invitation sent to second@example.com').waitFor();
    await invite('third@example.com');
    await admin.getByText(/all 2 seats of the starter plan are in use/).waitFor();
    const users = await t.server.db.orm.em
      .fork()
      .execute('select email from users where email in (?, ?)', ['second@example.com', 'third@example.com']);
    expect(users).toEqual([{ email: 'second@example.com' }]);
  });
});
