/**
 * The widget served light, in Chromium against the real server: a host page
 * view costs the loader alone; the chat bundle comes on intent (pointer or
 * focus on the launcher) and the first open loses nothing; a returning
 * visitor with a conversation gets the chat at once and sees, on the badge,
 * a reply that arrived while they were away.
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Browser,
  type BrowserContext,
  launchChromium,
  type Page,
  type PageServer,
  startPageServer,
} from '../../widget/test/support/browser.js';
import { buildWidget } from '../../widget/test/support/build-widget.js';
import { Message } from '../src/db/entities/index.js';
import { createClient } from '../src/tenants/tenant-service.js';
import { startTestServer, type TestServer } from './support/test-server.js';

let dist: string;
let server: TestServer;
let browser: Browser;
let pages: PageServer;
let siteKey: string;
let clientId: string;

const CHAT_BUNDLE = /\/widget\/widget\.[a-z]{2}\.[0-9a-f]{10}\.js$/;
const launcher = (page: Page) => page.locator('leaddesk-widget button[aria-controls="ld-panel"]');
const panel = (page: Page) => page.locator('[data-testid="panel"]');
const composer = (page: Page) => page.locator('[data-testid="composer"]');
const bubbles = (page: Page) => page.locator('[data-testid="messages"] [data-testid="message"]');

/** Every request the page makes to the widget server, and its WebSockets. */
function watch(page: Page) {
  const widgetFiles: string[] = [];
  const sockets: string[] = [];
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.origin === new URL(server.url).origin && url.pathname.startsWith('/widget/'))
      widgetFiles.push(url.pathname);
  });
  page.on('websocket', (ws) => sockets.push(ws.url()));
  return { widgetFiles, sockets, chat: () => widgetFiles.filter((f) => CHAT_BUNDLE.test(f)) };
}

async function newContext(): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  context.setDefaultTimeout(15_000);
  return context;
}

const stored = (where: Record<string, unknown>) =>
  server.db.orm.em.fork().find(Message, { client: clientId, ...where } as never, { orderBy: { seq: 'asc' } });

beforeAll(async () => {
  dist = await buildWidget();
  server = await startTestServer({ env: { WIDGET_DIST_DIR: dist, STRUCTURED_CHUNK_DELAY_MS: '40' } });
  pages = await startPageServer({
    '/': () =>
      `<!doctype html><html><body><h1>Harbor View</h1><p>Rooms by the sea.</p><script src="${server.url}/widget/loader.js" data-site-key="${siteKey}" async></script></body></html>`,
    '/other': () =>
      `<!doctype html><html><body><h1>Our rooms</h1><script src="${server.url}/widget/loader.js" data-site-key="${siteKey}" async></script></body></html>`,
  });
  const created = await createClient(server.db.orm.em.fork(), {
    name: 'Harbor View Hotel',
    industry: 'hotel',
    allowedOrigins: [pages.origin],
  });
  siteKey = created.client.siteKey;
  clientId = created.client.id;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await pages?.close();
  await server?.dispose();
  if (dist) await rm(dist, { recursive: true, force: true });
});

describe('the widget served light', { timeout: 90_000 }, () => {
  it('loads only the loader on a page view; hovering the launcher fetches the chat; the first open delivers a message sent at once', async () => {
    const context = await newContext();
    try {
      const page = await context.newPage();
      const errors: Error[] = [];
      page.on('pageerror', (err) => errors.push(err));
      const seen = watch(page);
      await page.goto(`${pages.origin}/`, { waitUntil: 'load' });
      await launcher(page).waitFor({ state: 'visible' });
      // A while on the page without touching the launcher: still the loader alone, no socket.
      await page.waitForTimeout(1500);
      expect(seen.widgetFiles).toEqual(['/widget/loader.js']);
      expect(seen.sockets).toEqual([]);
      const transfer = await page.evaluate(() =>
        performance
          .getEntriesByType('resource')
          .filter((r) => r.name.includes('/widget/'))
          .map((r) => (r as PerformanceResourceTiming).transferSize),
      );
      // Served brotli-compressed: well under the 6.5 KB of raw JavaScript (headers included).
      expect(transfer).toHaveLength(1);
      expect(transfer[0]).toBeLessThan(3 * 1024 + 600);

      // The pointer reaches the launcher: the chat bundle is fetched before any click.
      await launcher(page).hover();
      await expect.poll(() => seen.chat().length).toBe(1);
      expect(seen.chat()[0]).toMatch(/widget\.en\./);
      expect(seen.sockets).toEqual([]);

      // First open, and a message sent the moment the composer shows.
      await launcher(page).click();
      await composer(page).fill('What time is check-in?');
      await composer(page).press('Enter');
      await expect.poll(() => bubbles(page).count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
      await expect.poll(() => bubbles(page).last().innerText(), { timeout: 20_000 }).toMatch(/3 ?pm/i);
      expect((await stored({ role: 'visitor', content: 'What time is check-in?' })).length).toBe(1);
      expect(seen.chat()).toHaveLength(1);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('fetches the chat when the launcher gets keyboard focus, and a click before it arrives opens it once loaded', async () => {
    const context = await newContext();
    try {
      const page = await context.newPage();
      const seen = watch(page);
      // Hold the chat bundle back so the click lands before it arrives.
      let release!: () => void;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      await page.route(CHAT_BUNDLE, async (route) => {
        await held;
        await route.continue();
      });
      await page.goto(`${pages.origin}/`, { waitUntil: 'load' });
      await launcher(page).waitFor({ state: 'visible' });
      expect(seen.chat()).toEqual([]);
      await launcher(page).focus();
      await expect.poll(() => seen.chat().length).toBe(1);
      await page.keyboard.press('Enter');
      // Queued: the launcher shows it is loading, the panel is not there yet.
      await expect.poll(() => launcher(page).getAttribute('aria-busy')).toBe('true');
      expect(await panel(page).count()).toBe(0);
      release();
      await expect.poll(() => panel(page).isVisible()).toBe(true);
      expect(await launcher(page).getAttribute('aria-expanded')).toBe('true');
      await expect.poll(() => page.locator('[data-testid="connection"]').innerText()).toBe('Online');
      // One request for the bundle, however many intent signals there were.
      expect(seen.chat()).toHaveLength(1);
    } finally {
      await context.close();
    }
  });

  it('gives a returning visitor with a conversation the chat at once, with the reply that came while away on the badge', async () => {
    const context = await newContext();
    try {
      const first = await context.newPage();
      await first.goto(`${pages.origin}/`);
      await launcher(first).click();
      await expect.poll(() => first.locator('[data-testid="connection"]').innerText()).toBe('Online');
      const question = 'Do you have parking for guests?';
      await composer(first).fill(question);
      await composer(first).press('Enter');
      // The assistant answers while the visitor is looking: that one is seen.
      await expect.poll(() => bubbles(first).count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
      await expect.poll(() => first.locator('[data-testid="streaming"]').count(), { timeout: 20_000 }).toBe(0);
      const [asked] = await stored({ role: 'visitor', content: question });
      // The visitor closes the panel and leaves the site.
      await launcher(first).click();
      await expect.poll(() => launcher(first).getAttribute('aria-expanded')).toBe('false');
      await first.close();

      // While they are away, the front desk answers.
      const away = 'Yes: free parking behind the hotel. Ana, front desk';
      await server.app.conversation.core.appendMessage({
        clientId,
        conversationId: asked!.conversation.id,
        role: 'staff',
        content: away,
      });

      // Back on another page of the site: the chat comes with no hover, focus or click.
      const page = await context.newPage();
      const seen = watch(page);
      await page.goto(`${pages.origin}/other`);
      await expect.poll(() => seen.chat().length, { timeout: 10_000 }).toBe(1);
      await expect
        .poll(() => launcher(page).getAttribute('aria-label'), { timeout: 15_000 })
        .toBe('Open chat (1 unread)');
      expect(await launcher(page).locator('.n').innerText()).toBe('1');
      expect(
        await panel(page)
          .isVisible()
          .catch(() => false),
      ).toBe(false);
      await launcher(page).click();
      await expect
        .poll(async () => (await bubbles(page).allInnerTexts()).some((text) => text.includes(away)))
        .toBe(true);
      await expect.poll(() => launcher(page).locator('.n').isVisible()).toBe(false);
    } finally {
      await context.close();
    }
  });
});
