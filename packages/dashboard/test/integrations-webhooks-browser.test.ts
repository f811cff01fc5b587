/**
 * Settings → Integrations → Webhooks in a real browser (Debian Chromium via
 * playwright-core) against a real server: an admin connects an endpoint, sees
 * its signing secret once, sends a test event that a local receiver verifies
 * with that secret, and sees the delivery in the log. Screenshots are saved.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthTestServer, startAuthServer } from '../../server/test/auth/support.js';
import {
  startWebhookReceiver,
  verifiedBody,
  type WebhookReceiver,
} from '../../server/test/support/webhook-receiver.js';
import { launchChromium } from '../../widget/test/support/browser.js';

const PKG = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS = path.resolve(PKG, '../../test-results');
const run = promisify(execFile);

let t: AuthTestServer;
let browser: Browser;
let receiver: WebhookReceiver;
let page: Page;
let admin = { email: '', password: '' };
const dirs: string[] = [];

const shot = (name: string) => page.screenshot({ path: path.join(RESULTS, `integrations-webhooks-${name}.png`) });

beforeAll(async () => {
  await mkdir(RESULTS, { recursive: true });
  const dashboardDist = await mkdtemp(path.join(os.tmpdir(), 'ld-dashboard-'));
  dirs.push(dashboardDist);
  await run(process.execPath, [path.join(PKG, 'scripts/build.mjs'), '--outdir', dashboardDist], { cwd: PKG });
  receiver = await startWebhookReceiver();
  t = await startAuthServer({
    db: 'embedded',
    env: {
      DASHBOARD_DIST_DIR: dashboardDist,
      OUTGOING_WEBHOOKS_ALLOW_PRIVATE: 'true',
      OUTGOING_WEBHOOKS_ALLOW_HTTP: 'true',
    },
  });
  const tenant = await t.newClient('Sunset Dental');
  const s = await t.createStaff({ client: tenant.client, role: 'admin', name: 'Ada Admin' });
  admin = { email: s.email, password: s.password };
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.server.dispose();
  await receiver?.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('Settings → Integrations → Webhooks in the browser', () => {
  it('connects an endpoint, shows its secret once, sends a test event and shows the delivery', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    await page.goto(`${t.server.url}/dashboard/settings/integrations`);
    await page.fill('input[name=email]', admin.email);
    await page.fill('input[name=password]', admin.password);
    await page.click('button[type=submit]');
    const section = page.locator('[data-testid=webhooks-section]');
    await section.waitFor();
    await section.getByText('No endpoints yet.').waitFor();

    await section.locator('input[name=webhook-url]').fill(receiver.url);
    await section.locator('input[name=webhook-description]').fill('Our CRM bridge');
    await section.locator('input[name="event-message.created"]').check();
    await section.getByRole('button', { name: 'Add endpoint' }).click();

    const secretBox = section.locator('[data-testid=webhook-secret]');
    await secretBox.waitFor();
    const secret = (await secretBox.textContent())?.trim() ?? '';
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    receiver.setSecret(secret);
    const endpoint = section.locator('[data-testid=webhook-endpoint]');
    await expect.poll(() => endpoint.count()).toBe(1);
    expect(await endpoint.textContent()).toContain(receiver.url);
    expect(await endpoint.textContent()).toContain(`…${secret.slice(-4)}`);
    expect(await endpoint.textContent()).toContain('message.created');
    await shot('secret-shown');

    // Once: dismissed, and gone after a reload too (the server never sends it again).
    await section.getByRole('button', { name: 'I have copied it' }).click();
    await expect.poll(() => secretBox.count()).toBe(0);
    await page.reload();
    await section.locator('[data-testid=webhook-endpoint]').waitFor();
    expect(await page.content()).not.toContain(secret.slice(6, 30));

    await section.getByRole('button', { name: 'Send test event' }).click();
    const delivery = section.locator('[data-testid=webhook-delivery]');
    await delivery.filter({ hasText: 'succeeded' }).waitFor({ timeout: 30_000 });
    const text = (await delivery.first().textContent()) ?? '';
    expect(text).toContain('webhook.test');
    expect(text).toContain('HTTP 200');
    expect(text).toContain('1 attempt');
    // What the receiver got is what the log shows, and it verified with the secret the page showed.
    expect(receiver.received).toHaveLength(1);
    expect(verifiedBody(receiver.received[0]).type).toBe('webhook.test');

    await delivery.first().getByRole('button', { name: 'Details' }).click();
    // The message id shows in the delivery's row and again in its attempt detail.
    await delivery.first().getByText(String(receiver.received[0]?.headers['webhook-id'])).first().waitFor();
    await shot('delivery-log');
    await context.close();
  }, 120_000);
});
