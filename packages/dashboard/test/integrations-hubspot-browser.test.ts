/**
 * Settings → Integrations → HubSpot in a real browser (Debian Chromium via
 * playwright-core) against a real server on PostgreSQL and a local HubSpot
 * speaking CRM v3: an admin connects HubSpot with a private-app token, tests
 * the connection, and a lead that arrives afterwards shows its sync state,
 * with a link to its HubSpot deal, on the lead's page.
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
import { type FakeHubSpot, startFakeHubSpot } from '../../server/test/support/fake-hubspot.js';
import { waitFor } from '../../server/test/support/fake-providers.js';
import { webFormLead } from '../../server/test/support/hubspot-tenant.js';
import { launchChromium } from '../../widget/test/support/browser.js';

const PKG = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS = path.resolve(PKG, '../../test-results');
const run = promisify(execFile);
const TOKEN = 'pat-na1-dddddddd-0000-1111-2222-33334444abcd';
const SECRET = 'browser-client-secret-9f8e7d6c';

let t: AuthTestServer;
let hubspot: FakeHubSpot;
let browser: Browser;
let page: Page;
let client: Awaited<ReturnType<typeof createClient>>;
const dirs: string[] = [];

beforeAll(async () => {
  await mkdir(RESULTS, { recursive: true });
  const dashboardDist = await mkdtemp(path.join(os.tmpdir(), 'ld-dashboard-'));
  dirs.push(dashboardDist);
  await run(process.execPath, [path.join(PKG, 'scripts/build.mjs'), '--outdir', dashboardDist], { cwd: PKG });
  hubspot = await startFakeHubSpot();
  hubspot.addPortal(TOKEN, '45006');
  t = await startAuthServer({
    db: 'postgres',
    env: { DASHBOARD_DIST_DIR: dashboardDist, HUBSPOT_BASE_URL: hubspot.url, HUBSPOT_SYNC_DELAY_MS: '100' },
  });
  client = await createClient(t.server.db.orm.em.fork(), { name: 'Sunset Dental', industry: 'dental' });
  const admin = await t.createStaff({ client: client.client, role: 'admin', name: 'Ada Admin' });
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  // A loaded two-core machine: generous waits for the page, never fixed sleeps.
  page.setDefaultTimeout(90_000);
  await page.goto(`${t.server.url}/dashboard/inbox`);
  await page.fill('input[name=email]', admin.email);
  await page.fill('input[name=password]', admin.password);
  await page.click('button[type=submit]');
  await page.locator('[data-testid=live-status]', { hasText: 'Live' }).waitFor();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await t?.server.dispose();
  await hubspot?.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('HubSpot in Settings → Integrations', { timeout: 300_000 }, () => {
  it('connects HubSpot, tests the connection, and shows a lead’s sync state with a link to its deal', async () => {
    await page.goto(`${t.server.url}/dashboard/settings/integrations`);
    const form = page.locator('form[data-integration=hubspot]');
    await form.waitFor();
    await expect(page.locator('[data-testid=status-hubspot]').textContent()).resolves.toBe('Not connected');
    await form.locator('input[name=hubspotAccessToken]').fill(TOKEN);
    await form.locator('input[name=hubspotClientSecret]').fill(SECRET);
    await form.locator('input[name=hubspotPortalId]').fill('45006');
    await form.getByRole('button', { name: 'Connect HubSpot' }).click();
    await page.locator('[data-testid=status-hubspot]', { hasText: /^Connected$/ }).waitFor();
    // Write-only: the fields are empty again and only the last 4 characters are shown.
    await expect(form.locator('input[name=hubspotAccessToken]').inputValue()).resolves.toBe('');
    await expect(form.locator('input[name=hubspotAccessToken]').getAttribute('placeholder')).resolves.toBe('•••• abcd');
    await expect(form.locator('input[readonly]').inputValue()).resolves.toBe(
      `${t.server.url}/webhooks/hubspot?client=${client.client.slug}`,
    );

    await form.getByRole('button', { name: 'Test connection' }).click();
    const result = page.locator('[data-testid=hubspot-test]');
    await result.waitFor();
    await expect(result.textContent()).resolves.toBe('connected: pipeline "Sales Pipeline" with 7 stages');
    // The test listed the pipeline's stages: the mapping is now chosen from them.
    await form.locator('summary').click();
    await expect(form.locator('select[name=stage-closed_won] option:checked').textContent()).resolves.toBe(
      'Closed Won',
    );
    await form.locator('select[name=stage-qualified]').selectOption('contractsent');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.locator('[data-testid=hubspot-note]', { hasText: 'Saved' }).waitFor();
    await page.screenshot({ path: path.join(RESULTS, 'dashboard-integrations-hubspot.png') });

    // The token reached HubSpot and created the Lead Desk properties; the mapping was stored.
    const portal = hubspot.portal(TOKEN);
    await waitFor(() => (portal.properties.deals ?? []).includes('leaddesk_score'));

    // A lead arrives: its page shows it synced, with links to the HubSpot records.
    const { leadId } = await webFormLead(t.server.url, client.client.siteKey, {
      name: 'Lea Lead',
      email: 'lea@example.org',
    });
    await waitFor(() => [...portal.deals.values()].some((d) => d.properties.leaddesk_lead_id === leadId), 30_000);
    await page.goto(`${t.server.url}/dashboard/leads/${leadId}`);
    const panel = page.locator('[data-testid=crm-sync]');
    await panel.locator('text=synced').first().waitFor({ timeout: 30_000 });
    const deal = [...portal.deals.values()].find((d) => d.properties.leaddesk_lead_id === leadId);
    await expect(panel.getByRole('link', { name: 'Deal' }).getAttribute('href')).resolves.toBe(
      `https://app.hubspot.com/contacts/45006/record/0-3/${deal?.id}`,
    );
    // Moving the lead on its page moves the deal to the stage chosen above.
    await panel
      .locator('xpath=ancestor::section')
      .locator('label', { hasText: 'Status' })
      .locator('select')
      .selectOption('qualified');
    await waitFor(() => deal?.properties.dealstage === 'contractsent', 30_000);
    await page.screenshot({ path: path.join(RESULTS, 'dashboard-lead-crm-sync.png') });
  });
});
