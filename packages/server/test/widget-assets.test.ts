/**
 * The real server serves the widget bundles at /widget/ to other origins and,
 * outside production, the demo page at /demo/ with the demo site key.
 */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, launchChromium, type PageServer, startPageServer } from '../../widget/test/support/browser.js';
import { buildWidget } from '../../widget/test/support/build-widget.js';
import { createClient } from '../src/tenants/tenant-service.js';
import { startTestServer, type TestServer } from './support/test-server.js';

let dist: string;
let widgetFile: string;
let server: TestServer;

beforeAll(async () => {
  dist = await buildWidget();
  widgetFile = JSON.parse(await readFile(path.join(dist, 'manifest.json'), 'utf8')).widget;
  server = await startTestServer({ env: { NODE_ENV: 'development', SEED_DEMO: 'true', WIDGET_DIST_DIR: dist } });
}, 60_000);

afterAll(async () => {
  await server?.dispose();
  if (dist) await rm(dist, { recursive: true, force: true });
});

describe('widget assets on the real server', () => {
  it('serves loader.js to any origin with a short cache and a JavaScript content type', async () => {
    const res = await fetch(`${server.url}/widget/loader.js`, { headers: { origin: 'https://shop.example' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=300, must-revalidate');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    // helmet's same-origin default would stop other websites from running the script.
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(res.headers.get('etag')).toBeTruthy();
    expect(await res.text()).toContain(widgetFile);
  });

  it('caches the content-hashed widget bundle for a year', async () => {
    const res = await fetch(`${server.url}/widget/${widgetFile}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(await readFile(path.join(dist, widgetFile)));
  });

  it('answers 404 for files that are not there and never lists the folder', async () => {
    expect((await fetch(`${server.url}/widget/nope.js`)).status).toBe(404);
    expect((await fetch(`${server.url}/widget/`)).status).toBe(404);
    expect((await fetch(`${server.url}/widget/..%2Fpackage.json`)).status).toBe(404);
  });

  it('serves the demo page at /demo/ with the demo site key and this server as the snippet source', async () => {
    expect(server.demo).not.toBeNull();
    const redirect = await fetch(`${server.url}/demo`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/demo/');
    const res = await fetch(`${server.url}/demo/`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`data-site-key="${server.demo!.client.siteKey}"`);
    expect(html).toContain(`src="${server.url}/widget/loader.js"`);
    expect(html).not.toContain('pk_REPLACE_WITH_YOUR_SITE_KEY');
    expect((await fetch(`${server.url}/demo/demo.js`)).status).toBe(200);
  });

  it('does not serve /demo in production', async () => {
    const prod = await startTestServer({
      env: { NODE_ENV: 'production', APP_SECRET: 'x'.repeat(40), WIDGET_DIST_DIR: dist },
    });
    try {
      expect((await fetch(`${prod.url}/demo/`)).status).toBe(404);
      expect((await fetch(`${prod.url}/widget/loader.js`)).status).toBe(200);
    } finally {
      await prod.dispose();
    }
  });
});

describe('the snippet on another website, served by the real server', () => {
  let browser: Browser;
  let pages: PageServer;
  let siteKey: string;

  beforeAll(async () => {
    pages = await startPageServer({
      '/': () =>
        `<!doctype html><html><body><h1>Harbor View</h1><script src="${server.url}/widget/loader.js" data-site-key="${siteKey}" async></script></body></html>`,
    });
    const created = await createClient(server.db.orm.em.fork(), {
      name: 'Harbor View Hotel',
      industry: 'hotel',
      allowedOrigins: [pages.origin],
    });
    siteKey = created.client.siteKey;
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await pages?.close();
  });

  it('draws the launcher and the business name from the public config endpoint', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const errors: Error[] = [];
      page.on('pageerror', (err) => errors.push(err));
      await page.goto(`${pages.origin}/`);
      const launcher = page.locator('leaddesk-widget button[aria-controls="ld-panel"]');
      await launcher.click({ timeout: 10_000 });
      await expect
        .poll(() => page.locator('[data-testid="business-name"]').textContent(), { timeout: 10_000 })
        .toBe('Harbor View Hotel');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("works on the /demo/ page under the server's own Content Security Policy", async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (err) => problems.push(err.message));
      page.on('console', (msg) => {
        if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) problems.push(msg.text());
      });
      await page.goto(`${server.url}/demo/`);
      // demo.js wires the page's own button to LeadDesk.open().
      await page.locator('#book').click();
      await expect
        .poll(() => page.locator('[data-testid="business-name"]').textContent(), { timeout: 10_000 })
        .toBe(server.demo!.client.name);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
