/**
 * The real server serves the widget bundles at /widget/ to other origins and,
 * outside production, the demo page at /demo/ with the demo site key.
 */
import { readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, launchChromium, type PageServer, startPageServer } from '../../widget/test/support/browser.js';
import { buildWidget } from '../../widget/test/support/build-widget.js';
import { createClient } from '../src/tenants/tenant-service.js';
import { startTestServer, type TestServer } from './support/test-server.js';
import { requestWithHost } from './support/white-label.js';

let dist: string;
let widgetFile: string;
let server: TestServer;

/** node:http, not fetch: fetch sends its own Accept-Encoding and decompresses behind our back. */
function rawGet(
  url: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  dist = await buildWidget();
  widgetFile = JSON.parse(await readFile(path.join(dist, 'manifest.json'), 'utf8')).chat.en;
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
    expect(await res.text()).toContain(widgetFile.split('.')[2]);
  });

  it('caches the content-hashed widget bundle for a year', async () => {
    const res = await fetch(`${server.url}/widget/${widgetFile}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(await readFile(path.join(dist, widgetFile)));
  });

  it('sends the brotli twin to a browser that accepts br, with its own length, ETag and Vary', async () => {
    const raw = await readFile(path.join(dist, widgetFile));
    const res = await rawGet(`${server.url}/widget/${widgetFile}`, { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers.vary).toMatch(/Accept-Encoding/i);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(Number(res.headers['content-length'])).toBe(res.body.length);
    expect(res.body).toEqual(await readFile(path.join(dist, `${widgetFile}.br`)));
    expect(brotliDecompressSync(res.body).equals(raw)).toBe(true);
    expect(res.body.length).toBeLessThan(raw.length / 3);
  });

  it('sends gzip when br is not accepted (or refused with q=0), and identity when nothing is', async () => {
    // The deployment's own host of an unbranded deployment gets the legacy build (see below).
    const raw = await readFile(path.join(dist, 'loader.legacy.js'));
    const gz = await rawGet(`${server.url}/widget/loader.js`, { 'accept-encoding': 'gzip, deflate' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).equals(raw)).toBe(true);
    expect(Number(gz.headers['content-length'])).toBe(gz.body.length);
    const refused = await rawGet(`${server.url}/widget/loader.js`, { 'accept-encoding': 'br;q=0, gzip;q=0.5' });
    expect(refused.headers['content-encoding']).toBe('gzip');
    const preferred = await rawGet(`${server.url}/widget/loader.js`, { 'accept-encoding': 'gzip;q=1, br;q=0.8' });
    expect(preferred.headers['content-encoding']).toBe('gzip');
    const plain = await rawGet(`${server.url}/widget/loader.js`);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toMatch(/Accept-Encoding/i);
    expect(plain.body.equals(raw)).toBe(true);
    expect(Number(plain.headers['content-length'])).toBe(raw.length);
    const identity = await rawGet(`${server.url}/widget/loader.js`, { 'accept-encoding': 'identity' });
    expect(identity.headers['content-encoding']).toBeUndefined();
    // Three encodings, three different strong ETags.
    const br = await rawGet(`${server.url}/widget/loader.js`, { 'accept-encoding': 'br' });
    const tags = new Set([br.headers.etag, gz.headers.etag, plain.headers.etag]);
    expect(tags.size).toBe(3);
    for (const tag of tags) expect(tag).toMatch(/^"[^"]+"$/);
    const none = await rawGet(`${server.url}/widget/loader.js`, {
      'accept-encoding': 'br;q=0, gzip;q=0, identity;q=0',
    });
    expect(none.status).toBe(406);
  });

  it('answers 304 to If-None-Match with the ETag of the same encoding, and 200 with another', async () => {
    for (const [file, cache] of [
      ['loader.js', 'public, max-age=300, must-revalidate'],
      [widgetFile, 'public, max-age=31536000, immutable'],
    ] as const) {
      const first = await rawGet(`${server.url}/widget/${file}`, { 'accept-encoding': 'br' });
      const again = await rawGet(`${server.url}/widget/${file}`, {
        'accept-encoding': 'br',
        'if-none-match': first.headers.etag!,
      });
      expect(again.status).toBe(304);
      expect(again.body.length).toBe(0);
      expect(again.headers.etag).toBe(first.headers.etag);
      expect(again.headers['cache-control']).toBe(cache);
      expect(again.headers.vary).toMatch(/Accept-Encoding/i);
      // The brotli tag does not validate the gzip bytes.
      const otherEncoding = await rawGet(`${server.url}/widget/${file}`, {
        'accept-encoding': 'gzip',
        'if-none-match': first.headers.etag!,
      });
      expect(otherEncoding.status).toBe(200);
      expect(otherEncoding.headers['content-encoding']).toBe('gzip');
    }
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const head = await rawGet(`${server.url}/widget/loader.js`, { 'accept-encoding': 'br' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-encoding']).toBe('br');
    expect(Number(head.headers['content-length'])).toBe(
      (await readFile(path.join(dist, 'loader.legacy.js.br'))).length,
    );
    expect(head.body.length).toBe(0);
  });

  it('answers loader.js with the legacy build on its own host and the neutral one on a brand domain, varying by Host', async () => {
    const legacy = await readFile(path.join(dist, 'loader.legacy.js'));
    const neutral = await readFile(path.join(dist, 'loader.js'));
    expect(legacy.toString()).toMatch(/\.LeadDesk=/);
    const own = await rawGet(`${server.url}/widget/loader.js`);
    expect(own.body.equals(legacy)).toBe(true);
    expect(own.headers.vary).toMatch(/Accept-Encoding, Host/i);
    const clientId = (
      await server.db.orm.em.getConnection().execute<Array<{ id: string }>>('select id from clients limit 1')
    )[0]!.id;
    await server.db.orm.em
      .getConnection()
      // Verified: a pending claim is not a brand domain yet (docs/white-label.md, "Domains").
      .execute(`insert into brand_domains (host, client_id, status, verified_at) values (?, ?, 'verified', now())`, [
        'chat.sunset.example',
        clientId,
      ]);
    const port = new URL(server.url).port;
    const branded = await requestWithHost(`${server.url}/widget/loader.js`, `chat.sunset.example:${port}`);
    expect(branded.status).toBe(200);
    expect(branded.text).toBe(neutral.toString('utf8'));
    expect(/lead\s?desk/i.test(branded.text)).toBe(false);
    expect(branded.headers.vary).toMatch(/Host/);
    // Only loader.js varies: the chat bundles are the same everywhere.
    expect((await rawGet(`${server.url}/widget/${widgetFile}`)).headers.vary).toBe('Accept-Encoding');
  });

  it('answers 404 for files that are not there and never lists the folder', async () => {
    expect((await fetch(`${server.url}/widget/nope.js`)).status).toBe(404);
    expect((await fetch(`${server.url}/widget/`)).status).toBe(404);
    expect((await fetch(`${server.url}/widget/..%2Fpackage.json`)).status).toBe(404);
    expect((await fetch(`${server.url}/widget/%2e%2e%2fmanifest.json`)).status).toBe(404);
    expect((await fetch(`${server.url}/widget/.loader.js`)).status).toBe(404);
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
