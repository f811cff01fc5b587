/**
 * The widget against the real server, in Chromium, on a page from another
 * origin: the conversation core, structured replies, replay and the outbox
 * working together as a visitor would use them.
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Browser,
  launchChromium,
  type Page,
  type PageServer,
  startPageServer,
} from '../../widget/test/support/browser.js';
import { buildWidget } from '../../widget/test/support/build-widget.js';
import { Message } from '../src/db/entities/index.js';
import { createClient } from '../src/tenants/tenant-service.js';
import { freePort } from './support/free-port.js';
import { startTestServer, type TestServer } from './support/test-server.js';

let dist: string;
let server: TestServer;
let browser: Browser;
let pages: PageServer;
let siteKey: string;
let clientId: string;

const launcher = (page: Page) => page.locator('leaddesk-widget button[aria-controls="ld-panel"]');
const composer = (page: Page) => page.locator('[data-testid="composer"]');
const bubbles = (page: Page) => page.locator('[data-testid="messages"] [data-testid="message"]');
const connection = (page: Page) => page.locator('[data-testid="connection"]').innerText();

async function openChat(page: Page) {
  await page.goto(`${pages.origin}/`);
  await launcher(page).click({ timeout: 15_000 });
  await expect.poll(() => connection(page), { timeout: 15_000 }).toBe('Online');
}

async function send(page: Page, text: string) {
  await composer(page).fill(text);
  await composer(page).press('Enter');
}

async function storedVisitorMessages(content: string) {
  return server.db.orm.em.fork().count(Message, { client: clientId, role: 'visitor', content });
}

beforeAll(async () => {
  dist = await buildWidget();
  // A fixed port, so the page's snippet still points at the server after a restart.
  const port = await freePort();
  server = await startTestServer({
    env: { PORT: String(port), WIDGET_DIST_DIR: dist, STRUCTURED_CHUNK_DELAY_MS: '30' },
  });
  pages = await startPageServer({
    '/': () =>
      `<!doctype html><html><body><h1>Harbor View</h1><script src="${server.url.replace('localhost', '127.0.0.1')}/widget/loader.js" data-site-key="${siteKey}" async></script></body></html>`,
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

describe('the widget on a customer website with the real server', () => {
  it('streams an answer, keeps the history across a reload, keeps HTML inert, and delivers offline messages once', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const dialogs: string[] = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      await openChat(page);

      // A question the hotel's FAQ answers: the reply streams in, then settles as a message.
      await send(page, 'What time is check-in?');
      await page.locator('[data-testid="streaming"]').waitFor({ state: 'visible', timeout: 15_000 });
      await expect.poll(() => bubbles(page).count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
      await expect.poll(() => bubbles(page).last().innerText(), { timeout: 15_000 }).toMatch(/3 ?pm/i);
      expect(await page.locator('[data-testid="streaming"]').count()).toBe(0);
      expect(await storedVisitorMessages('What time is check-in?')).toBe(1);

      // A reload shows the same conversation.
      const before = await bubbles(page).allInnerTexts();
      await page.reload();
      // The widget remembers that it was open; click the launcher only if it did not reopen.
      const panel = page.locator('[data-testid="panel"]');
      await panel.waitFor({ state: 'attached', timeout: 15_000 });
      if (!(await panel.isVisible())) await launcher(page).click();
      await expect.poll(() => panel.isVisible(), { timeout: 15_000 }).toBe(true);
      await expect.poll(() => connection(page), { timeout: 15_000 }).toBe('Online');
      await expect.poll(() => bubbles(page).allInnerTexts(), { timeout: 15_000 }).toEqual(before);

      // Markup from a visitor stays text and never runs.
      const hostile = '<img src=x onerror=alert(1)>';
      await send(page, hostile);
      await expect.poll(() => page.locator('[data-testid="message"]', { hasText: hostile }).count()).toBe(1);
      expect(await page.locator('[data-testid="messages"] img').count()).toBe(0);
      await expect.poll(() => bubbles(page).count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(before.length + 2);

      // The server goes down; the visitor keeps typing; both messages arrive once when it is back.
      await server.stop();
      await expect.poll(() => connection(page), { timeout: 15_000 }).not.toBe('Online');
      await send(page, 'Do you allow pets?');
      await send(page, 'And is breakfast included?');
      server = await server.restart();
      await expect.poll(() => connection(page), { timeout: 30_000 }).toBe('Online');
      await expect
        .poll(
          async () => [
            await storedVisitorMessages('Do you allow pets?'),
            await storedVisitorMessages('And is breakfast included?'),
          ],
          {
            timeout: 30_000,
          },
        )
        .toEqual([1, 1]);
      await expect
        .poll(() => page.locator('[data-testid="message"]', { hasText: 'And is breakfast included?' }).count())
        .toBe(1);
      // They are answered too, and no message was duplicated on screen.
      await expect
        .poll(() => page.locator('[data-testid="message"]', { hasText: /\$30|pets/i }).count(), { timeout: 20_000 })
        .toBeGreaterThan(0);
      const texts = await bubbles(page).allInnerTexts();
      expect(texts.filter((t) => t.includes('Do you allow pets?'))).toHaveLength(1);
      expect(dialogs).toEqual([]);
    } finally {
      await context.close();
    }
  }, 180_000);
});
