/**
 * Upgrading to the neutral names (issue 18, docs/white-label.md), in a real browser against
 * test/support/contract-server.ts: a returning visitor whose widget stored its token, conversation and
 * messages under the old `leaddesk:<siteKey>:` keys keeps them with either loader (the neutral loader.js a
 * brand's site gets, and loader.legacy.js on the platform's own unbranded host), and the legacy loader keeps
 * the old embed API working (`<leaddesk-widget>`, `window.LeadDesk`, `leaddesk:ready`).
 */
import { rm } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type PageServer, startPageServer } from './support/browser.js';
import { buildWidget } from './support/build-widget.js';
import { type ContractServer, startContractServer } from './support/contract-server.js';

let dist: string;
let browser: Browser;
let pages: PageServer;
let server: ContractServer;
const contexts: BrowserContext[] = [];

const html = (body: string) => `<!doctype html><html><head><meta charset="utf-8"></head><body>${body}</body></html>`;
const snippet = (file: string) =>
  `<script src="${server.url}/widget/${file}" data-site-key="${server.siteKey}" async></script>`;
/** An embed written against the old API: it waits for `leaddesk:ready`, then listens through window.LeadDesk. */
const OLD_EMBED = `<ol id="log"></ol><script>
  addEventListener('leaddesk:ready', () => {
    document.body.dataset.ready = 'yes';
    LeadDesk.on('message', (m) => {
      const li = document.createElement('li');
      li.textContent = m.role + ': ' + m.content;
      document.getElementById('log').append(li);
    });
  });
</script>`;

beforeAll(async () => {
  dist = await buildWidget();
  pages = await startPageServer({
    '/neutral': () => html(`<h1>Sunset Dental</h1>${snippet('loader.js')}`),
    '/legacy': () => html(`<h1>Sunset Dental</h1>${OLD_EMBED}${snippet('loader.legacy.js')}`),
  });
  server = await startContractServer({ distDir: dist, allowedOrigins: [pages.origin] });
  browser = await launchChromium();
}, 60_000);

afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
});

afterAll(async () => {
  await browser?.close();
  await server?.dispose();
  await pages?.close();
  if (dist) await rm(dist, { recursive: true, force: true });
});

async function newPage(): Promise<{ page: Page; errors: Error[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  contexts.push(context);
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const errors: Error[] = [];
  page.on('pageerror', (err) => errors.push(err));
  return { page, errors };
}

const bubbles = (page: Page) => page.locator('[data-testid="messages"] [data-testid="message"]');
const storageKeys = (page: Page) => page.evaluate(() => Object.keys(localStorage).sort());

/**
 * Chats with the neutral loader, then rewrites the visitor's storage as the widget before the neutral names
 * kept it (the same values under `leaddesk:<siteKey>:`), as a visitor from before the upgrade has it.
 */
async function visitorFromBeforeTheUpgrade(page: Page, text: string) {
  await page.goto(`${pages.origin}/neutral`);
  await page.locator('chat-widget button[aria-controls="ld-panel"]').click();
  await page.locator('[data-testid="composer"]').fill(text);
  await page.locator('[data-testid="composer"]').press('Enter');
  await expect.poll(() => bubbles(page).count()).toBe(2);
  const conv = server.conversations().find((c) => c.messages[0]?.content === text)!;
  // Closed: the returning visit must find the conversation by its stored keys, not by an open panel.
  await page.locator('chat-widget button[aria-controls="ld-panel"]').click();
  const token = await page.evaluate((siteKey) => {
    const prefix = `chatwidget:${siteKey}:`;
    for (const key of Object.keys(localStorage).filter((k) => k.startsWith(prefix))) {
      localStorage.setItem(`leaddesk:${siteKey}:${key.slice(prefix.length)}`, localStorage.getItem(key)!);
      localStorage.removeItem(key);
    }
    return JSON.parse(localStorage.getItem(`leaddesk:${siteKey}:visitorToken`) ?? 'null') as string | null;
  }, server.siteKey);
  expect(server.visitorOf(token ?? undefined)).toBe(conv.visitorId);
  const oldKeys = await storageKeys(page);
  expect(oldKeys).toEqual(
    expect.arrayContaining([
      `leaddesk:${server.siteKey}:visitorToken`,
      `leaddesk:${server.siteKey}:conversation`,
      `leaddesk:${server.siteKey}:messages`,
    ]),
  );
  expect(oldKeys.some((k) => k.startsWith('chatwidget:'))).toBe(false);
  return { conv, token: token! };
}

describe('upgrading a returning visitor to the neutral names', () => {
  it.each([
    ['the neutral loader (a brand’s site)', 'neutral', 'chat-widget'],
    ['the legacy loader (the platform’s own host)', 'legacy', 'leaddesk-widget'],
  ])('keeps the visitor and their conversation with %s, and moves the old keys', async (_what, path, element) => {
    const { page, errors } = await newPage();
    const text = `before the upgrade via ${path}`;
    const { conv, token } = await visitorFromBeforeTheUpgrade(page, text);
    const handshakesBefore = server.handshakes.length;

    await page.goto(`${pages.origin}/${path}`);
    const launcher = page.locator(`${element} button[aria-controls="ld-panel"]`);
    await launcher.click();
    // The cached history shows, and the handshake presents the same visitor.
    await expect.poll(() => bubbles(page).count()).toBe(2);
    expect(await bubbles(page).first().innerText()).toContain(text);
    await expect.poll(() => server.handshakes.length).toBeGreaterThan(handshakesBefore);
    const handshake = server.handshakes.at(-1)!;
    expect(handshake.visitorToken).toBe(token);
    expect(server.visitorOf(handshake.visitorToken)).toBe(conv.visitorId);
    // Old keys are gone, the same values live under the new ones.
    const keys = await storageKeys(page);
    expect(keys.filter((k) => /lead\s?desk/i.test(k))).toEqual([]);
    expect(keys).toEqual(
      expect.arrayContaining([
        `chatwidget:${server.siteKey}:visitorToken`,
        `chatwidget:${server.siteKey}:conversation`,
        `chatwidget:${server.siteKey}:messages`,
      ]),
    );
    expect(
      await page.evaluate(
        (k) => JSON.parse(localStorage.getItem(k) ?? 'null'),
        `chatwidget:${server.siteKey}:visitorToken`,
      ),
    ).toBe(token);

    // The conversation goes on where it was.
    await page.locator('[data-testid="composer"]').fill('after the upgrade');
    await page.locator('[data-testid="composer"]').press('Enter');
    await expect.poll(() => bubbles(page).count()).toBe(4);
    expect(server.conversationOf(conv.visitorId)?.messages.map((m) => m.content)).toEqual([
      text,
      expect.any(String),
      'after the upgrade',
      expect.any(String),
    ]);
    // And survives a reload under the new keys only.
    await page.reload();
    await page.locator(`${element} button[aria-controls="ld-panel"]`).waitFor();
    await expect.poll(() => bubbles(page).count()).toBe(4);
    expect(errors).toEqual([]);
  });

  it('keeps the old embed API working with the legacy loader: element, window.LeadDesk, leaddesk:ready', async () => {
    const { page, errors } = await newPage();
    await page.goto(`${pages.origin}/legacy`);
    await page.waitForFunction(() => document.body.dataset.ready === 'yes');
    expect(await page.locator('leaddesk-widget').count()).toBe(1);
    expect(await page.locator('chat-widget').count()).toBe(0);
    expect(await page.evaluate(() => window.LeadDesk === window.ChatWidget && !!window.LeadDesk?.open)).toBe(true);
    await page.evaluate(() => window.LeadDesk!.open());
    await page.locator('[data-testid="composer"]').fill('hi through the old api');
    await page.locator('[data-testid="composer"]').press('Enter');
    await expect
      .poll(() => page.locator('#log li').allInnerTexts())
      .toEqual(['visitor: hi through the old api', expect.stringMatching(/^ai: /)]);
    expect(errors).toEqual([]);
  });

  it('the neutral loader leaves no platform-named global, element or event', async () => {
    const { page } = await newPage();
    const fired: string[] = [];
    await page.exposeFunction('recordEvent', (name: string) => fired.push(name));
    await page.addInitScript(() => {
      for (const name of ['chatwidget:ready', 'leaddesk:ready'])
        addEventListener(name, () => (window as unknown as { recordEvent(n: string): void }).recordEvent(name));
    });
    await page.goto(`${pages.origin}/neutral`);
    await page.locator('chat-widget button[aria-controls="ld-panel"]').waitFor();
    await expect.poll(() => fired).toEqual(['chatwidget:ready']);
    expect(await page.evaluate(() => 'LeadDesk' in window)).toBe(false);
    expect(await page.evaluate(() => typeof window.ChatWidget?.open)).toBe('function');
    expect(await page.locator('leaddesk-widget').count()).toBe(0);
  });
});
