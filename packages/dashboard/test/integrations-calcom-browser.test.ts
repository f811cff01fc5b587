/**
 * Settings → Integrations → Cal.com in a real browser (Debian Chromium via
 * playwright-core) against a real server whose CALCOM_BASE_URL is a local
 * Cal.com speaking the v2 wire format: an admin tests the key, connects,
 * sees only its last four characters afterwards, then books and cancels an
 * appointment from a lead's page.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../server/src/tenants/tenant-service.js';
import { type AuthTestServer, startAuthServer } from '../../server/test/auth/support.js';
import { type FakeCalcom, startFakeCalcom } from '../../server/test/support/fake-calcom.js';
import { connectVisitor, type Visitor } from '../../server/test/support/widget-client.js';
import { launchChromium } from '../../widget/test/support/browser.js';
import { signedInPage } from './support/staff-page.js';

const PKG = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS = path.resolve(PKG, '../../test-results');
const run = promisify(execFile);

let t: AuthTestServer;
let calcom: FakeCalcom;
let browser: Browser;
let dist = '';
let admin = { email: '', password: '' };
let leadId = '';
let visitor: Visitor | undefined;

beforeAll(async () => {
  await mkdir(RESULTS, { recursive: true });
  dist = await mkdtemp(path.join(os.tmpdir(), 'ld-dashboard-'));
  await run(process.execPath, [path.join(PKG, 'scripts/build.mjs'), '--outdir', dist], { cwd: PKG });
  calcom = await startFakeCalcom();
  t = await startAuthServer({ env: { DASHBOARD_DIST_DIR: dist, CALCOM_BASE_URL: calcom.url } });
  const client = await createClient(t.server.db.orm.em.fork(), {
    name: 'Sunset Dental',
    industry: 'dental',
    timezone: 'Europe/Rome',
    allowedOrigins: ['*'],
    starterKnowledge: false,
  });
  const s = await t.createStaff({ client: client.client, role: 'admin', name: 'Ada Admin' });
  admin = { email: s.email, password: s.password };
  // A lead who left their email in the chat widget.
  visitor = connectVisitor(t.server.url, { siteKey: client.client.siteKey, origin: 'https://x.example' });
  await visitor.waitFor('session:ready');
  const identified = await visitor.socket
    .timeout(10_000)
    .emitWithAck('visitor:identify', { name: 'Marta Rossi', email: 'marta@example.com' });
  if (!identified.ok) throw new Error(identified.error.message);
  leadId = identified.data.leadId;
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  visitor?.close();
  await browser?.close();
  await t?.server.dispose();
  await calcom?.close();
  if (dist) await rm(dist, { recursive: true, force: true });
});

describe('Cal.com in Settings → Integrations', () => {
  it('tests the key, connects, keeps the key write-only, and books and cancels from the lead page', async () => {
    const page = await signedInPage(browser, t.server.url, admin);
    await page.goto(`${t.server.url}/dashboard/settings/integrations`);
    const form = page.locator('form[data-integration="calcom"]');
    await form.waitFor();
    await expect.poll(() => page.locator('[data-testid=status-calcom]').innerText()).toBe('Not connected');

    // A wrong key: the test says so, nothing is stored.
    await form.locator('input[name=calcomApiKey]').fill('cal_live_wrong_key_0000');
    await form.getByRole('button', { name: 'Test connection' }).click();
    await expect
      .poll(() => page.locator('[data-testid=calcom-test-result]').innerText())
      .toBe('Cal.com refused the API key');

    await form.locator('input[name=calcomApiKey]').fill(calcom.apiKey);
    await form.getByRole('button', { name: 'Test connection' }).click();
    await expect
      .poll(() => page.locator('[data-testid=calcom-test-result]').innerText())
      .toBe('Connected to Cal.com as clinic');
    expect(calcom.calls('GET', '/v2/me').at(-1)?.headers.authorization).toBe(`Bearer ${calcom.apiKey}`);

    await form.locator('input[name=calcomDefaultEventType]').fill('100');
    await form.locator('input[name=calcomWebhookSecret]').fill('whsec_browser_secret_1234');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('[data-testid=status-calcom]').innerText()).toBe('Connected');
    await page.screenshot({ path: path.join(RESULTS, 'integrations-calcom.png') });

    // After a reload the key is not in the page: only its last four characters.
    await page.reload();
    await form.waitFor();
    expect(await form.locator('input[name=calcomApiKey]').inputValue()).toBe('');
    expect(await form.locator('input[name=calcomApiKey]').getAttribute('placeholder')).toBe(
      `•••• ${calcom.apiKey.slice(-4)}`,
    );
    expect(await page.content()).not.toContain(calcom.apiKey);
    expect(await form.locator('input[name=calcomDefaultEventType]').inputValue()).toBe('100');

    // The lead's page: book the first free slot, then cancel it.
    await page.goto(`${t.server.url}/dashboard/leads/${leadId}`);
    const panel = page.locator('[data-testid=booking-panel]');
    await panel.getByRole('button', { name: 'Book an appointment' }).click();
    const slotButtons = panel.locator('button', { hasText: /\d{1,2}:\d{2}/ });
    await expect.poll(() => slotButtons.count()).toBeGreaterThan(0);
    await slotButtons.first().click();
    await expect.poll(() => panel.locator('[data-testid=booking]').first().innerText()).toContain('booked');
    const posts = calcom.calls('POST', '/v2/bookings');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.json).toMatchObject({
      start: calcom.slotStarts[0],
      eventTypeId: 100,
      attendee: { name: 'Marta Rossi', email: 'marta@example.com', timeZone: 'Europe/Rome' },
    });

    page.once('dialog', (d) => void d.accept());
    await panel.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => panel.locator('[data-testid=booking]').first().innerText()).toContain('cancelled');
    expect([...calcom.bookings.values()][0]?.status).toBe('cancelled');
    await page.screenshot({ path: path.join(RESULTS, 'lead-booking-panel.png') });
  }, 120_000);
});
