/**
 * The onboarding wizard in a real browser (Debian Chromium via
 * playwright-core) against a real server (issue 18): a super admin sets up a
 * dental clinic in six steps (template, hours, services with prices, an FAQ,
 * the widget with its live preview, channel steps), and the snippet the wizard
 * shows, pasted on the clinic's own site, gives a working widget that quotes
 * the price entered in the wizard.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthTestServer, startAuthServer } from '../../server/test/auth/support.js';
import { launchChromium, type PageServer, startPageServer } from '../../widget/test/support/browser.js';
import { buildWidget } from '../../widget/test/support/build-widget.js';
import { signInPage } from './support/staff-page.js';

const PKG = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = promisify(execFile);

let t: AuthTestServer;
let browser: Browser;
let host: PageServer;
let snippet = '';
const dirs: string[] = [];

beforeAll(async () => {
  const dashboardDist = await mkdtemp(path.join(os.tmpdir(), 'ld-dashboard-'));
  dirs.push(dashboardDist);
  const [widgetDist] = await Promise.all([
    buildWidget(),
    run(process.execPath, [path.join(PKG, 'scripts/build.mjs'), '--outdir', dashboardDist], { cwd: PKG }),
  ]);
  dirs.push(widgetDist);
  t = await startAuthServer({
    env: {
      DASHBOARD_DIST_DIR: dashboardDist,
      WIDGET_DIST_DIR: widgetDist,
      STRUCTURED_CHUNK_DELAY_MS: '0',
      PUBLIC_SIGNUP: 'true',
    },
  });
  // The clinic's own website: the snippet the wizard shows, pasted before </body>.
  host = await startPageServer({
    '/': () => `<!doctype html><html><body><h1>Juniper Dental</h1>${snippet}</body></html>`,
  });
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await host?.close();
  await t?.server.dispose();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const launcher = (page: Page) => page.locator('leaddesk-widget button[aria-controls="ld-panel"]');

describe('onboarding wizard', { timeout: 240_000 }, () => {
  it('sets up a client in six steps, ending with a working widget on its site', async () => {
    const root = await t.createStaff({ client: null, role: 'super_admin' });
    const page = await signInPage(browser, t.server.url, root);
    await page.getByRole('link', { name: 'Set up a new client' }).click();

    // 1. Business, from the dental template, without the sample knowledge base.
    await page.fill('input[name=businessName]', 'Juniper Dental');
    await page.selectOption('select[name=industry]', 'dental');
    await page.fill('input[name=timezone]', 'Europe/Madrid');
    await page.fill('input[name=website]', `${host.origin}/`);
    await page.uncheck('input[name=starterKnowledge]');
    await page.getByRole('button', { name: 'Create client' }).click();

    // 2. Hours: open on Saturday mornings too.
    await page.getByRole('region', { name: 'Hours' }).waitFor();
    await page
      .getByRole('row', { name: /Saturday/ })
      .getByRole('checkbox')
      .uncheck();
    await page.getByLabel('Saturday closes').fill('13:00');
    await page.getByRole('button', { name: 'Save hours' }).click();

    // 3. A service with its price.
    await page.getByRole('region', { name: 'Services and prices' }).waitFor();
    await page.getByLabel('Service 1').fill('Invisalign consultation');
    await page.getByLabel('Price 1').fill('149');
    await page.getByRole('button', { name: 'Save services' }).click();

    // 4. A question leads ask.
    await page.getByRole('region', { name: 'Questions leads ask' }).waitFor();
    await page.getByLabel('Question 1').fill('Is there parking at the clinic?');
    await page.getByLabel('Answer 1').fill('Yes, free parking behind the clinic.');
    await page.getByRole('button', { name: 'Save', exact: true }).click();

    // 5. The snippet, and the live preview: the real widget, connected.
    await page.getByRole('region', { name: 'Widget' }).waitFor();
    snippet = (await page.getByTestId('snippet').textContent()) ?? '';
    expect(snippet).toMatch(
      /^<script src="http:\/\/[^"]+\/widget\/loader\.js" data-site-key="pk_[^"]+" async><\/script>$/,
    );
    const preview = page.frameLocator('iframe[title="Widget preview"]');
    await launcher(preview as unknown as Page).click();
    await preview.locator('[data-testid="connection"]', { hasText: 'Online' }).waitFor();
    await page.getByRole('button', { name: 'Next' }).click();

    // 6. Channel steps name this client's webhook URLs.
    const channels = page.getByRole('region', { name: 'Channels' });
    await expect.poll(() => channels.textContent()).toContain('/webhooks/whatsapp?client=juniper-dental');

    const [row] = await t.server.db.orm.em
      .fork()
      .execute<Array<{ id: string; timezone: string; plan: string; allowed_origins: string[]; config: any }>>(
        `select id, timezone, plan, allowed_origins, config from clients where slug = 'juniper-dental'`,
      );
    expect(row).toMatchObject({ timezone: 'Europe/Madrid', plan: 'starter', allowed_origins: [host.origin] });
    expect(row!.config.businessHours.sat).toEqual([{ open: '09:00', close: '13:00' }]);
    expect(row!.config.serviceValues).toEqual({ 'Invisalign consultation': 149 });
    expect(row!.config.services).toContain('Invisalign consultation');
    expect(row!.config.faqs.map((f: { question: string }) => f.question)).toEqual(
      expect.arrayContaining(['How much does Invisalign consultation cost?', 'Is there parking at the clinic?']),
    );
    const kbs = await t.server.db.orm.em.fork().execute('select 1 from knowledge_bases where client_id = ?', [row!.id]);
    expect(kbs).toHaveLength(0);

    // The clinic's site, with the snippet: a lead asks the price and is quoted the wizard's.
    const site = await (await browser.newContext()).newPage();
    await site.goto(`${host.origin}/`);
    await launcher(site).click({ timeout: 30_000 });
    await site.locator('[data-testid="connection"]', { hasText: 'Online' }).waitFor();
    await site.locator('[data-testid="composer"]').fill('Hi, how much is an Invisalign consultation?');
    await site.locator('[data-testid="composer"]').press('Enter');
    await site.locator('[data-testid="message"]', { hasText: /149/ }).waitFor({ timeout: 30_000 });
  });

  it('lets a business sign itself up from the sign-in page and continue in the setup wizard', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.setDefaultTimeout(60_000);
    await page.goto(`${t.server.url}/dashboard/`);
    await page.getByRole('link', { name: 'Create an account for your business' }).click();
    await page.fill('input[name=businessName]', 'Cedar Lodge');
    await page.selectOption('select[name=industry]', 'hotel');
    await page.fill('input[name=name]', 'Ines Cedar');
    await page.fill('input[name=email]', 'ines@cedar.example');
    await page.fill('input[name=password]', 'Lantern-Meadow-4821-Quartz');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Set up your business' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/dashboard/setup');
    await page
      .getByRole('row', { name: /Sunday/ })
      .getByRole('checkbox')
      .uncheck();
    await page.getByRole('button', { name: 'Save hours' }).click();
    await page.getByRole('region', { name: 'Services and prices' }).waitFor();
    const [row] = await t.server.db.orm.em
      .fork()
      .execute<Array<{ industry: string; config: { businessHours: { sun: unknown[] } } }>>(
        `select industry, config from clients where slug = 'cedar-lodge'`,
      );
    expect(row!.industry).toBe('hotel');
    expect(row!.config.businessHours.sun).toEqual([{ open: '09:00', close: '18:00' }]);
  });
});
