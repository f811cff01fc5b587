/**
 * The widget in a real browser (Debian Chromium via playwright-core), embedded
 * in pages served from another origin than the widget's server. Live chat runs
 * against test/support/contract-server.ts, which speaks the shared /widget
 * contract.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type PageServer, startPageServer } from './support/browser.js';
import { buildWidget, WIDGET_PKG } from './support/build-widget.js';
import { type ContractServer, LOGO, startContractServer } from './support/contract-server.js';

const RESULTS = path.resolve(WIDGET_PKG, '../../test-results');

let dist: string;
let browser: Browser;
let pages: PageServer;
let server: ContractServer;
const contexts: BrowserContext[] = [];

const snippet = (attrs = '') =>
  `<script src="${server.url}/widget/loader.js" data-site-key="${server.siteKey}" ${attrs} async></script>`;
const html = (body: string, head = '') =>
  `<!doctype html><html><head><meta charset="utf-8"><title>Host</title>${head}</head><body>${body}</body></html>`;
const article = '<main><h1>Sunset Dental</h1><p>Same-week appointments for the whole family.</p></main>';

const HOSTILE_CSS = `<style>
  * { all: unset !important; }
  html { font-size: 40px !important; }
  body { font: 60px/3 "Comic Sans MS", cursive !important; color: red !important; letter-spacing: 9px !important; }
  div, span, button, p, section, header, form, textarea, svg, h2 { display: none !important; margin: 50px !important; padding: 40px !important; box-sizing: content-box !important; color: lime !important; }
  div { display: none !important; }
  chat-widget { display: none !important; position: static !important; font-size: 80px !important; }
  button { background: red !important; width: 300px !important; }
</style>`;

beforeAll(async () => {
  dist = await buildWidget();
  pages = await startPageServer({
    '/clean': () => html(article + snippet()),
    '/plain': () => html(article),
    '/wrong-key': () =>
      html(`${article}<script src="${server.url}/widget/loader.js" data-site-key="pk_not_a_real_key" async></script>`),
    '/hostile': () => html(article + snippet(), HOSTILE_CSS),
    '/twice': () => html(article + snippet() + snippet()),
    '/lazy': () => html(article + snippet('data-load="open"')),
    '/idle': () => html(article + snippet('data-load="idle"')),
    '/spanish': () => html(article + snippet('data-language="es"')),
    '/dark': () => html(article + snippet('data-theme="dark" data-color="#fbbf24" data-position="bottom-left"')),
    '/api': () =>
      html(
        `${article}<ol id="log"></ol>${snippet()}<script>
          addEventListener('chatwidget:ready', () => {
            ChatWidget.on('message', (m) => {
              const li = document.createElement('li');
              li.textContent = m.role + ': ' + m.content;
              document.getElementById('log').append(li);
            });
          });
        </script>`,
      ),
  });
  server = await startContractServer({ distDir: dist, allowedOrigins: [pages.origin] });
  browser = await launchChromium();
}, 60_000);

afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
  // A test that failed mid-outage must not take the next ones down with it.
  if (!server.running) await server.start();
});

afterAll(async () => {
  await browser?.close();
  await server?.dispose();
  await pages?.close();
  if (dist) await rm(dist, { recursive: true, force: true });
});

async function newPage(
  options: { viewport?: { width: number; height: number }; locale?: string } = {},
): Promise<{ page: Page; errors: Error[]; dialogs: string[] }> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 800 },
    locale: options.locale ?? 'en-US',
  });
  contexts.push(context);
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const errors: Error[] = [];
  const dialogs: string[] = [];
  page.on('pageerror', (err) => errors.push(err));
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return { page, errors, dialogs };
}

// Playwright's CSS engine pierces open shadow roots.
const launcher = (page: Page) => page.locator('chat-widget button[aria-controls="ld-panel"]');
const panel = (page: Page) => page.locator('[data-testid="panel"]');
const composer = (page: Page) => page.locator('[data-testid="composer"]');
const bubbles = (page: Page) => page.locator('[data-testid="messages"] [data-testid="message"]');

async function openChat(page: Page, url: string) {
  await page.goto(url);
  await launcher(page).click();
  await expect.poll(() => panel(page).isVisible()).toBe(true);
  await expect.poll(() => page.locator('[data-testid="connection"]').innerText()).toBe('Online');
}

async function send(page: Page, text: string) {
  await composer(page).fill(text);
  await composer(page).press('Enter');
}

const lastHandshake = () => server.handshakes.at(-1)!;

describe('widget in the browser', () => {
  it('draws the launcher on a page from another origin and, with data-load="idle", loads the chat once the page is idle', async () => {
    const { page, errors } = await newPage();
    const widgetRequests: string[] = [];
    page.on('request', (req) => {
      if (/\/widget\/widget\.[a-z]{2}\.[0-9a-f]+\.js$/.test(req.url())) widgetRequests.push(req.url());
    });
    await page.goto(`${pages.origin}/idle`);
    await expect.poll(() => launcher(page).isVisible()).toBe(true);
    expect(new URL(page.url()).origin).not.toBe(new URL(server.url).origin);
    await expect.poll(() => widgetRequests.length).toBe(1);
    // The resource entry is recorded when the download ends: wait for it.
    await page.waitForFunction(() =>
      performance.getEntriesByType('resource').some((r) => /widget\.[a-z]{2}\.[0-9a-f]+\.js$/.test(r.name)),
    );
    const timing = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const widget = performance
        .getEntriesByType('resource')
        .find((r) => /widget\.[a-z]{2}\.[0-9a-f]+\.js$/.test(r.name));
      return { loadEnd: nav.loadEventEnd, widgetStart: widget?.startTime ?? -1 };
    });
    expect(timing.widgetStart).toBeGreaterThanOrEqual(timing.loadEnd);
    // Nobody opened the chat and there is no history: no socket yet.
    expect(server.handshakes.filter((h) => h.origin === pages.origin && !h.visitorToken).length).toBe(0);
    expect(errors).toEqual([]);
  });

  it("leaves the page's own elements exactly as they were", async () => {
    const pageStyles = () =>
      [...document.querySelectorAll('html, body, main, h1, p')].map((el) => {
        const s = getComputedStyle(el);
        const r = el.getBoundingClientRect();
        return [
          el.tagName,
          s.fontFamily,
          s.fontSize,
          s.lineHeight,
          s.color,
          s.margin,
          s.boxSizing,
          r.x,
          r.y,
          r.width,
          r.height,
        ];
      });
    const plain = await newPage();
    await plain.page.goto(`${pages.origin}/plain`);
    const before = await plain.page.evaluate(pageStyles);
    const withWidget = await newPage();
    await openChat(withWidget.page, `${pages.origin}/clean`);
    expect(await withWidget.page.evaluate(pageStyles)).toEqual(before);
    // Nothing added to the page's own <head> styles, and no global message handler.
    expect(await withWidget.page.evaluate(() => document.querySelectorAll('style, link[rel=stylesheet]').length)).toBe(
      0,
    );
    expect(await withWidget.page.evaluate(() => window.onmessage)).toBeNull();
  });

  it('by default fetches the chat on intent: nothing while the visitor reads, then on hover', async () => {
    const { page } = await newPage();
    const widgetRequests: string[] = [];
    page.on('request', (req) => {
      if (/\/widget\/widget\.[a-z]{2}\.[0-9a-f]+\.js$/.test(req.url())) widgetRequests.push(req.url());
    });
    await page.goto(`${pages.origin}/clean`, { waitUntil: 'load' });
    await expect.poll(() => launcher(page).isVisible()).toBe(true);
    await page.waitForTimeout(1200);
    expect(widgetRequests).toEqual([]);
    await launcher(page).hover();
    await expect.poll(() => widgetRequests.length).toBe(1);
    expect(widgetRequests[0]).toMatch(/widget\.en\./);
  });

  it('with data-load="open" fetches nothing until the visitor opens the chat', async () => {
    const { page } = await newPage();
    const widgetRequests: string[] = [];
    page.on('request', (req) => {
      if (/\/widget\/widget\.[a-z]{2}\.[0-9a-f]+\.js$/.test(req.url())) widgetRequests.push(req.url());
    });
    await page.goto(`${pages.origin}/lazy`);
    await expect.poll(() => launcher(page).isVisible()).toBe(true);
    await page.waitForTimeout(600);
    expect(widgetRequests).toEqual([]);
    await launcher(page).click();
    await expect.poll(() => panel(page).isVisible()).toBe(true);
    expect(widgetRequests).toHaveLength(1);
    expect(await launcher(page).getAttribute('aria-expanded')).toBe('true');
  });

  it('loading the snippet twice gives one launcher and one chat', async () => {
    const { page, errors } = await newPage();
    const widgetRequests: string[] = [];
    page.on('request', (req) => {
      if (/\/widget\/widget\.[a-z]{2}\.[0-9a-f]+\.js$/.test(req.url())) widgetRequests.push(req.url());
    });
    await page.goto(`${pages.origin}/twice`);
    await expect.poll(() => launcher(page).count()).toBe(1);
    await launcher(page).hover();
    await expect.poll(() => widgetRequests.length).toBe(1);
    await page.waitForTimeout(300);
    expect(await page.locator('chat-widget').count()).toBe(1);
    expect(await launcher(page).count()).toBe(1);
    expect(widgetRequests).toHaveLength(1);
    expect(await page.evaluate(() => window.ChatWidget?.version)).toMatch(/^\d+\.\d+\.\d+$/);
    expect(errors).toEqual([]);
  });

  it('opens, sends, streams the reply in, and keeps the history over a reload', async () => {
    const { page, errors } = await newPage();
    await openChat(page, `${pages.origin}/clean`);
    expect(await page.locator('[data-testid="business-name"]').innerText()).toBe('Sunset Dental');
    // The composer has the focus when the panel opens.
    expect(await page.evaluate(() => document.querySelector('chat-widget')?.shadowRoot?.activeElement?.tagName)).toBe(
      'TEXTAREA',
    );

    // Record every AI status line and every partial streamed text the widget renders: both
    // last a few hundred milliseconds, which a polling locator can miss on a loaded machine.
    await page.evaluate(() => {
      const root = document.querySelector('chat-widget')?.shadowRoot;
      const seen: string[] = [];
      const partials: string[] = [];
      Object.assign(window, { statusesSeen: seen, partialsSeen: partials });
      if (!root) return;
      new MutationObserver(() => {
        const text = root.querySelector('[data-testid="ai-status"]')?.textContent;
        if (text && seen.at(-1) !== text) seen.push(text);
        const partial = root.querySelector('[data-testid="streaming"]')?.textContent;
        if (partial && partials.at(-1) !== partial) partials.push(partial);
      }).observe(root, { subtree: true, childList: true, characterData: true });
    });
    await send(page, 'Hello there');
    // The AI status line shows while the assistant thinks.
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { statusesSeen: string[] }).statusesSeen))
      .toContain('Thinking…');
    // The streamed text shows up, growing, before the stored message replaces it.
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { partialsSeen: string[] }).partialsSeen.length))
      .toBeGreaterThan(1);
    const partials = await page.evaluate(() => (window as unknown as { partialsSeen: string[] }).partialsSeen);
    expect(partials[0]!.length).toBeLessThan(partials.at(-1)!.length);
    expect(partials[0]!.trim().length).toBeGreaterThan(0);
    expect('Thanks! You said: Hello there.'.startsWith(partials[0]!.trim())).toBe(true);
    await expect
      .poll(() => bubbles(page).allInnerTexts())
      .toEqual([
        'Hello there',
        'Thanks! You said: Hello there. Our prices are at https://example.com/prices, or email hello@example.com.',
      ]);
    expect(await page.locator('[data-testid="streaming"]').count()).toBe(0);

    // Links are auto-linked safely.
    const link = page.locator('[data-testid="message"] a[href="https://example.com/prices"]');
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer nofollow');
    expect(await page.locator('[data-testid="message"] a[href="mailto:hello@example.com"]').count()).toBe(1);

    // Quick-reply chips send their label.
    await page.locator('[data-testid="quick-reply"]', { hasText: 'Book a visit' }).click();
    await expect.poll(() => bubbles(page).count()).toBe(4);
    expect(await page.locator('[data-testid="quick-reply"]').count()).toBe(0);

    // Shift+Enter is a new line, Enter sends.
    await composer(page).fill('');
    await composer(page).type('line one');
    await composer(page).press('Shift+Enter');
    await composer(page).type('line two');
    await composer(page).press('Enter');
    await expect.poll(() => server.sends.at(-1)?.content).toBe('line one\nline two');
    await expect.poll(() => bubbles(page).count()).toBe(6);

    // The screen-reader announcer has the latest reply.
    expect(await page.locator('[data-testid="announcer"]').innerText()).toContain('You said: line one');

    const visitorId = server.visitorOf(lastHandshake().visitorToken) ?? server.conversations().at(-1)!.visitorId;
    const conv = server.conversationOf(visitorId)!;
    expect(conv.messages.map((m) => m.role)).toEqual(['visitor', 'ai', 'visitor', 'ai', 'visitor', 'ai']);

    await mkdir(RESULTS, { recursive: true });
    await page.screenshot({ path: path.join(RESULTS, 'widget-open.png') });

    const before = await bubbles(page).allInnerTexts();
    const sendsBefore = server.sends.length;
    await page.reload();
    // The panel was open, so it opens again, with the same history and no resend.
    await expect.poll(() => panel(page).isVisible()).toBe(true);
    await expect.poll(() => bubbles(page).allInnerTexts()).toEqual(before);
    await expect.poll(() => lastHandshake().lastSeq).toBe(6);
    // The token the server issued, kept across the reload, resumes the same visitor.
    expect(server.visitorOf(lastHandshake().visitorToken)).toBe(visitorId);
    expect(server.sends.length).toBe(sendsBefore);
    expect(errors).toEqual([]);
  });

  it('switches to the new conversation when the server starts one, without mixing in the old messages', async () => {
    const { page } = await newPage();
    await openChat(page, `${pages.origin}/clean`);
    await send(page, 'my old question');
    await expect.poll(() => bubbles(page).count()).toBe(2);
    const visitorId = server.conversations().find((c) => c.messages[0]?.content === 'my old question')!.visitorId;
    // The visitor leaves; meanwhile the old conversation ends and a new one starts.
    await page.goto(`${pages.origin}/plain`);
    const fresh = server.newConversation(visitorId);
    server.pushMessage(visitorId, 'staff', 'Welcome back! Anything new?');
    server.pushMessage(visitorId, 'staff', 'We have openings on Friday.');
    await page.goto(`${pages.origin}/clean`);
    // The handshake still says lastSeq 2 (old conversation); the widget notices the
    // new conversation id and fetches it from the start.
    await expect
      .poll(() => bubbles(page).allTextContents())
      .toEqual(['Welcome back! Anything new?', 'We have openings on Friday.']);
    expect(fresh.messages).toHaveLength(2);
  });

  it('keeps HTML and script in messages inert text', async () => {
    const { page, dialogs, errors } = await newPage();
    await openChat(page, `${pages.origin}/clean`);
    const evil = '<img src=x onerror=alert(1)>';
    await send(page, evil);
    await expect.poll(() => bubbles(page).first().innerText()).toBe(evil);
    await expect.poll(() => bubbles(page).count()).toBe(2);
    const visitorId = server.conversations().find((c) => c.messages[0]?.content === evil)!.visitorId;
    server.pushMessage(
      visitorId,
      'staff',
      '<script>alert(2)</script> <a href="javascript:alert(3)">click</a> javascript:alert(4)',
    );
    await expect.poll(() => bubbles(page).count()).toBe(3);
    expect(await bubbles(page).nth(2).innerText()).toBe(
      '<script>alert(2)</script> <a href="javascript:alert(3)">click</a> javascript:alert(4)',
    );
    const inShadow = await page.evaluate(() => {
      const root = document.querySelector('chat-widget')!.shadowRoot!;
      return {
        imgs: root.querySelectorAll('[data-testid="messages"] img').length,
        scripts: root.querySelectorAll('script').length,
        hrefs: [...root.querySelectorAll('a')].map((a) => a.getAttribute('href')),
      };
    });
    expect(inShadow.imgs).toBe(0);
    expect(inShadow.scripts).toBe(0);
    expect(inShadow.hrefs.every((h) => /^(https?:|mailto:)/.test(h ?? ''))).toBe(true);
    await page.waitForTimeout(200);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('looks the same on a page with hostile CSS as on a clean one', async () => {
    const PROPS = [
      'display',
      'position',
      'font-size',
      'font-family',
      'font-weight',
      'line-height',
      'letter-spacing',
      'color',
      'background-color',
      'width',
      'height',
      'padding-top',
      'padding-left',
      'margin-top',
      'border-radius',
      'box-shadow',
      'box-sizing',
      'z-index',
    ];
    const snapshot = async (url: string) => {
      const { page } = await newPage();
      // No hover transitions mid-measurement.
      await page.emulateMedia({ reducedMotion: 'reduce' });
      await page.goto(url);
      await launcher(page).waitFor();
      // Intent loads the chat; the pointer then leaves so no hover style is measured.
      await launcher(page).hover();
      await page.mouse.move(0, 0);
      await panel(page).waitFor({ state: 'attached' });
      // The business config (brand colour, logo) arrives after the first paint; compare both pages with it applied.
      await expect
        .poll(() => launcher(page).evaluate((el) => getComputedStyle(el).backgroundColor))
        .toBe('rgb(15, 118, 110)');
      await panel(page).locator('header img').waitFor({ state: 'attached' });
      const closed = await page.evaluate(computedStyles, PROPS);
      await launcher(page).click();
      await expect.poll(() => panel(page).isVisible()).toBe(true);
      await expect.poll(() => page.locator('[data-testid="connection"]').innerText()).toBe('Online');
      await page.mouse.move(0, 0);
      const open = await page.evaluate(computedStyles, PROPS);
      // The rounded corners blend with whatever the page paints behind them, so
      // compare the panel without its top and bottom 16 px rows.
      const box = (await panel(page).boundingBox())!;
      const shot = await page.screenshot({
        animations: 'disabled',
        caret: 'hide',
        clip: { x: box.x, y: box.y + 16, width: box.width, height: box.height - 32 },
      });
      return { closed, open, shot };
    };
    const clean = await snapshot(`${pages.origin}/clean`);
    const hostile = await snapshot(`${pages.origin}/hostile`);
    expect(Object.keys(clean.open).length).toBeGreaterThan(15);
    expect(hostile.closed).toEqual(clean.closed);
    expect(hostile.open).toEqual(clean.open);
    await mkdir(RESULTS, { recursive: true });
    await writeFile(path.join(RESULTS, 'widget-clean.png'), clean.shot);
    await writeFile(path.join(RESULTS, 'widget-hostile.png'), hostile.shot);
    expect(hostile.shot.equals(clean.shot)).toBe(true);
  });

  it('sends messages typed while the server is down exactly once when it returns', async () => {
    const { page, errors } = await newPage();
    await openChat(page, `${pages.origin}/clean`);
    await send(page, 'before the outage');
    await expect.poll(() => bubbles(page).count()).toBe(2);
    const visitorId = server.conversations().find((c) => c.messages[0]?.content === 'before the outage')!.visitorId;
    const storedVisitorTexts = () =>
      server
        .conversationOf(visitorId)!
        .messages.filter((m) => m.role === 'visitor')
        .map((m) => m.content);

    await server.stop();
    await page.locator('[data-testid="banner"]').waitFor();
    await send(page, 'queued one');
    await send(page, 'queued two');
    await expect.poll(() => page.locator('[data-pending="queued"]').count()).toBe(2);
    // Persisted before any send, each with its one clientMessageId.
    const outbox = await page.evaluate(
      (key) => JSON.parse(localStorage.getItem(`chatwidget:${key}:outbox`) ?? '[]'),
      server.siteKey,
    );
    expect(outbox.map((o: { content: string }) => o.content)).toEqual(['queued one', 'queued two']);

    await server.start();
    await expect.poll(() => page.locator('[data-pending]').count(), { timeout: 15_000 }).toBe(0);
    expect(storedVisitorTexts()).toEqual(['before the outage', 'queued one', 'queued two']);
    const sent = server.sends.filter((s) => s.content.startsWith('queued'));
    expect(sent.map((s) => s.clientMessageId)).toEqual(
      outbox.map((o: { clientMessageId: string }) => o.clientMessageId),
    );
    await expect.poll(() => bubbles(page).count()).toBe(6);

    // Queued, then the tab is closed during the outage: the next visit sends it.
    await server.stop();
    await page.locator('[data-testid="banner"]').waitFor();
    await send(page, 'queued three');
    await expect.poll(() => page.locator('[data-pending="queued"]').count()).toBe(1);
    const context = page.context();
    await page.close();
    await server.start();
    const next = await context.newPage();
    await next.goto(`${pages.origin}/clean`);
    await expect
      .poll(() => storedVisitorTexts(), { timeout: 15_000 })
      .toEqual(['before the outage', 'queued one', 'queued two', 'queued three']);
    await next.waitForTimeout(300);
    expect(server.sends.filter((s) => s.content === 'queued three')).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it('a message queued in a tab that closes during an outage is sent by another open tab, once', async () => {
    const { page: tabA } = await newPage();
    await openChat(tabA, `${pages.origin}/clean`);
    await send(tabA, 'hello from two tabs');
    await expect.poll(() => bubbles(tabA).count()).toBe(2);
    const visitorId = server.conversations().find((c) => c.messages[0]?.content === 'hello from two tabs')!.visitorId;
    const tabB = await tabA.context().newPage();
    await tabB.goto(`${pages.origin}/clean`);
    await expect.poll(() => bubbles(tabB).count()).toBe(2);

    await server.stop();
    await tabA.locator('[data-testid="banner"]').waitFor();
    await send(tabA, 'typed in tab A');
    await expect.poll(() => tabA.locator('[data-pending="queued"]').count()).toBe(1);
    await tabA.close();
    await server.start();
    await expect
      .poll(
        () =>
          server
            .conversationOf(visitorId)!
            .messages.filter((m) => m.role === 'visitor')
            .map((m) => m.content),
        {
          timeout: 15_000,
        },
      )
      .toEqual(['hello from two tabs', 'typed in tab A']);
    await expect.poll(() => tabB.locator('[data-pending]').count()).toBe(0);
    expect(server.sends.filter((s) => s.content === 'typed in tab A')).toHaveLength(1);
  });

  it('resends a message whose ack was lost and the server keeps it once', async () => {
    const { page } = await newPage();
    await openChat(page, `${pages.origin}/clean`);
    server.dropAckFor = 'is anyone there?';
    await send(page, 'is anyone there?');
    await expect.poll(() => page.locator('[data-pending]').count(), { timeout: 15_000 }).toBe(0);
    const attempts = server.sends.filter((s) => s.content === 'is anyone there?');
    expect(attempts.length).toBe(2);
    expect(attempts[0]!.clientMessageId).toBe(attempts[1]!.clientMessageId);
    const conv = server.conversations().find((c) => c.messages[0]?.content === 'is anyone there?')!;
    expect(conv.messages.filter((m) => m.content === 'is anyone there?')).toHaveLength(1);
    await expect.poll(() => bubbles(page).allInnerTexts()).toContain('is anyone there?');
    expect((await bubbles(page).allInnerTexts()).filter((t) => t === 'is anyone there?')).toHaveLength(1);
  });

  it('waits and retries when the server says rate_limited, and the message is stored once', async () => {
    const { page } = await newPage();
    await openChat(page, `${pages.origin}/clean`);
    server.rateLimitFor = 'quick question';
    await send(page, 'quick question');
    await page.locator('[data-testid="banner"]', { hasText: 'sending messages quickly' }).waitFor();
    await expect.poll(() => page.locator('[data-pending]').count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => page.locator('[data-testid="banner"]').count()).toBe(0);
    const attempts = server.sends.filter((s) => s.content === 'quick question');
    expect(attempts).toHaveLength(2);
    expect(new Set(attempts.map((a) => a.clientMessageId)).size).toBe(1);
    const conv = server.conversations().find((c) => c.messages[0]?.content === 'quick question')!;
    expect(conv.messages.filter((m) => m.role === 'visitor')).toHaveLength(1);
  });

  it.each([
    ['a bare visitor id kept by a widget from before signed tokens', 'visitor', () => ''],
    ['a visitor token the server did not issue', 'visitorToken', () => 'v_0123.not-issued'],
    ['a visitor token the server refuses as malformed', 'visitorToken', () => 'x'.repeat(300)],
  ])('starts as a new visitor, without the old cached conversation, from %s', async (what, key, value) => {
    const old = server.legacyVisitor(['my old private question']);
    const { page, errors } = await newPage();
    await page.context().addInitScript(
      ({ siteKey, key, value, old }) => {
        // Only on the first load: later loads keep what the widget stored.
        if (localStorage.getItem(`chatwidget:${siteKey}:seeded`)) return;
        localStorage.setItem(`chatwidget:${siteKey}:seeded`, '1');
        localStorage.setItem(`chatwidget:${siteKey}:${key}`, JSON.stringify(value || old.visitorId));
        localStorage.setItem(`chatwidget:${siteKey}:conversation`, JSON.stringify(old.id));
        localStorage.setItem(`chatwidget:${siteKey}:messages`, JSON.stringify(old.messages));
      },
      {
        siteKey: server.siteKey,
        key,
        value: value(),
        old: { id: old.id, visitorId: old.visitorId, messages: old.messages },
      },
    );
    const handshakesBefore = server.handshakes.length;
    await openChat(page, `${pages.origin}/clean`);
    // The old visitor's messages are not shown, and nothing in the handshake opens their conversation.
    await expect.poll(() => bubbles(page).count()).toBe(0);
    const sent = server.handshakes.slice(handshakesBefore);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((h) => server.visitorOf(h.visitorToken) === undefined)).toBe(true);
    expect(JSON.stringify(sent)).not.toContain(old.visitorId);

    await send(page, `fresh start after ${what}`);
    await expect.poll(() => bubbles(page).allInnerTexts()).toHaveLength(2);
    const conv = server.conversations().find((c) => c.messages[0]?.content === `fresh start after ${what}`)!;
    expect(conv.visitorId).not.toBe(old.visitorId);
    expect(old.messages.map((m) => m.content)).toEqual(['my old private question']);
    // The widget keeps the token the server issued (and no bare id), and presents it after a reload.
    const stored = await page.evaluate(
      (siteKey) => [
        localStorage.getItem(`chatwidget:${siteKey}:visitor`),
        JSON.parse(localStorage.getItem(`chatwidget:${siteKey}:visitorToken`) ?? 'null'),
      ],
      server.siteKey,
    );
    expect(stored[0]).toBeNull();
    expect(server.visitorOf(stored[1] as string)).toBe(conv.visitorId);
    await page.reload();
    await expect.poll(() => bubbles(page).allInnerTexts()).toHaveLength(2);
    // The reload shows the cached bubbles before its handshake: wait for the handshake itself.
    await expect.poll(() => server.visitorOf(lastHandshake()?.visitorToken)).toBe(conv.visitorId);
    expect(errors).toEqual([]);
  });

  it('says the chat is unavailable for an unknown site key or an origin the business did not allow', async () => {
    const wrongKey = await newPage();
    const warnings: string[] = [];
    wrongKey.page.on('console', (msg) => {
      if (msg.type() === 'warning') warnings.push(msg.text());
    });
    await wrongKey.page.goto(`${pages.origin}/wrong-key`);
    await launcher(wrongKey.page).click();
    await expect
      .poll(() => wrongKey.page.locator('[data-testid="banner"]').textContent())
      .toBe('Chat is unavailable right now');
    // The reason goes to the developer console, not to the visitor.
    expect(warnings.join('\n')).toContain('invalid_site_key');
    // identify() says so instead of waiting forever.
    expect(
      await wrongKey.page.evaluate(() =>
        window.ChatWidget!.identify({ name: 'Ana' }).then(
          () => 'resolved',
          (err: Error & { code?: string }) => err.code,
        ),
      ),
    ).toBe('invalid_site_key');
    expect(await composer(wrongKey.page).isDisabled()).toBe(true);

    // Same page, but reached as http://localhost:PORT: not in the allowed origins.
    const otherOrigin = pages.origin.replace('127.0.0.1', 'localhost');
    const handshakes = server.handshakes.length;
    const refused = await newPage();
    // Listen before the page loads: the warning can come as soon as the launcher opens.
    const refusedWarnings: string[] = [];
    refused.page.on('console', (msg) => {
      if (msg.type() === 'warning') refusedWarnings.push(msg.text());
    });
    await refused.page.goto(`${otherOrigin}/clean`);
    await launcher(refused.page).click();
    await expect
      .poll(() => refused.page.locator('[data-testid="banner"]').textContent())
      .toBe('Chat is unavailable right now');
    await expect.poll(() => refusedWarnings.join('\n')).toContain('origin_not_allowed');
    expect(await composer(refused.page).isDisabled()).toBe(true);
    expect(server.handshakes.length).toBe(handshakes);
  });

  it('works from memory when storage is blocked', async () => {
    const { page, errors } = await newPage();
    await page.context().addInitScript(() => {
      Object.defineProperty(window, 'localStorage', {
        get() {
          throw new DOMException('storage is blocked', 'SecurityError');
        },
      });
    });
    await openChat(page, `${pages.origin}/clean`);
    expect(
      await page.evaluate(() => {
        try {
          return typeof localStorage;
        } catch {
          return 'blocked';
        }
      }),
    ).toBe('blocked');
    await send(page, 'no storage here');
    await expect.poll(() => bubbles(page).count()).toBe(2);
    const visitorId = server.conversations().find((c) => c.messages[0]?.content === 'no storage here')!.visitorId;

    // A reconnect within the page still knows the visitor and the last seq (kept in memory).
    const handshakesBefore = server.handshakes.length;
    await server.stop();
    await server.start();
    await expect.poll(() => server.handshakes.length, { timeout: 10_000 }).toBeGreaterThan(handshakesBefore);
    expect(server.visitorOf(lastHandshake().visitorToken)).toBe(visitorId);
    expect(lastHandshake().lastSeq).toBe(2);
    expect(errors).toEqual([]);
  });

  it('is keyboard and screen-reader friendly: Escape closes and focus returns to the launcher', async () => {
    const { page } = await newPage();
    await page.goto(`${pages.origin}/clean`);
    await launcher(page).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => panel(page).isVisible()).toBe(true);
    expect(await launcher(page).getAttribute('aria-expanded')).toBe('true');
    expect(await panel(page).getAttribute('role')).toBe('dialog');
    expect(await page.locator('[data-testid="messages"]').getAttribute('role')).toBe('log');
    expect(await page.locator('[data-testid="announcer"]').getAttribute('aria-live')).toBe('polite');
    await expect
      .poll(() => page.evaluate(() => document.querySelector('chat-widget')?.shadowRoot?.activeElement?.tagName))
      .toBe('TEXTAREA');
    await page.keyboard.press('Escape');
    await expect.poll(() => panel(page).isVisible()).toBe(false);
    expect(await launcher(page).getAttribute('aria-expanded')).toBe('false');
    expect(await page.evaluate(() => document.querySelector('chat-widget')?.shadowRoot?.activeElement?.tagName)).toBe(
      'BUTTON',
    );
  });

  it("speaks the visitor's language (data-language or the browser's)", async () => {
    const es = await newPage();
    await es.page.goto(`${pages.origin}/spanish`);
    expect(await launcher(es.page).getAttribute('aria-label')).toBe('Abrir chat');
    await launcher(es.page).click();
    expect(await composer(es.page).getAttribute('placeholder')).toBe('Escribe tu mensaje…');
    await expect.poll(() => lastHandshake()?.language, { timeout: 10_000 }).toBe('es');

    const fr = await newPage({ locale: 'fr-FR' });
    await fr.page.goto(`${pages.origin}/clean`);
    expect(await launcher(fr.page).getAttribute('aria-label')).toBe('Ouvrir le chat');
    await launcher(fr.page).click();
    expect(await composer(fr.page).getAttribute('placeholder')).toBe('Écrivez votre message…');
  });

  it('draws Tailwind shadows and rings inside the shadow root, in the brand colour and theme asked for', async () => {
    const light = await newPage();
    await openChat(light.page, `${pages.origin}/clean`);
    const lightPanel = await panel(light.page).evaluate((el) => {
      const s = getComputedStyle(el);
      return { boxShadow: s.boxShadow, background: s.backgroundColor };
    });
    // Without the @property rewrite, ring/shadow utilities compute to "none" in a shadow root.
    expect(lightPanel.boxShadow).not.toBe('none');
    expect(lightPanel.boxShadow).toContain('0px 25px 50px -12px');
    expect(lightPanel.background).toBe('rgb(255, 255, 255)');
    // The business config's colour (#0f766e) with white text on it.
    const lightHeader = await light.page.locator('[data-testid="panel"] header').evaluate((el) => {
      const s = getComputedStyle(el);
      return [s.backgroundColor, s.color];
    });
    expect(lightHeader).toEqual(['rgb(15, 118, 110)', 'rgb(255, 255, 255)']);
    // The business logo from the config, decorative (the name is right beside it).
    const logo = light.page.locator('[data-testid="panel"] header img');
    expect(await logo.getAttribute('src')).toBe(LOGO);
    expect(await logo.getAttribute('alt')).toBe('');
    await expect.poll(() => logo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);

    const dark = await newPage();
    await openChat(dark.page, `${pages.origin}/dark`);
    const darkPanel = await panel(dark.page).evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(darkPanel).not.toBe('rgb(255, 255, 255)');
    // data-color wins over the config; a light brand colour gets dark text.
    const darkHeader = await dark.page.locator('[data-testid="panel"] header').evaluate((el) => {
      const s = getComputedStyle(el);
      return [s.backgroundColor, s.color];
    });
    expect(darkHeader).toEqual(['rgb(251, 191, 36)', 'rgb(17, 24, 39)']);
    const box = (await launcher(dark.page).boundingBox())!;
    expect(box.x).toBeLessThan(100);
    await mkdir(RESULTS, { recursive: true });
    await dark.page.screenshot({ path: path.join(RESULTS, 'widget-dark.png') });
  });

  it('goes full screen on a phone', async () => {
    const { page } = await newPage({ viewport: { width: 375, height: 700 } });
    await openChat(page, `${pages.origin}/clean`);
    expect(await panel(page).boundingBox()).toEqual({ x: 0, y: 0, width: 375, height: 700 });
  });

  it('exposes ChatWidget.open/close/identify/on and counts unread messages on the launcher', async () => {
    const { page } = await newPage();
    await page.goto(`${pages.origin}/api`);
    await page.waitForFunction(() => !!window.ChatWidget);
    await page.evaluate(() => window.ChatWidget!.open());
    await expect.poll(() => panel(page).isVisible()).toBe(true);
    await page.evaluate(() => window.ChatWidget!.identify({ name: 'Ana Ruiz', email: 'ana@example.com' }));
    expect(server.identifies.at(-1)).toEqual({ name: 'Ana Ruiz', email: 'ana@example.com' });

    await send(page, 'hi from the api page');
    await expect
      .poll(() => page.locator('#log li').allInnerTexts())
      .toEqual(['visitor: hi from the api page', expect.stringMatching(/^ai: Thanks! You said: hi from the api page/)]);
    await page.evaluate(() => window.ChatWidget!.close());
    await expect.poll(() => panel(page).isVisible()).toBe(false);

    const visitorId = server.conversations().find((c) => c.messages[0]?.content === 'hi from the api page')!.visitorId;
    server.pushMessage(visitorId, 'staff', 'Hi Ana, this is Maria from the front desk.');
    server.pushMessage(visitorId, 'staff', 'Would Tuesday at 10 work?');
    const badge = page.locator('chat-widget .n');
    await expect.poll(() => badge.innerText()).toBe('2');
    expect(await launcher(page).getAttribute('aria-label')).toBe('Open chat (2 unread)');
    await launcher(page).click();
    await expect.poll(() => badge.isVisible()).toBe(false);

    // Staff presence, typing and read receipts reach the visitor.
    server.emitTo(visitorId, 'staff:joined', { name: 'Maria' });
    await page.getByText('Maria joined the conversation').waitFor();
    server.emitTo(visitorId, 'staff:typing', { name: 'Maria', typing: true });
    await expect.poll(() => page.locator('[data-testid="ai-status"]').textContent()).toBe('Maria is typing…');
    server.emitTo(visitorId, 'staff:typing', { name: 'Maria', typing: false });
    await expect.poll(() => page.locator('[data-testid="ai-status"]').count()).toBe(0);
    server.emitTo(visitorId, 'message:read', { upToSeq: 1, by: 'staff' });
    await expect
      .poll(() => page.locator('[data-role="visitor"]').first().textContent())
      .toBe('hi from the api pageRead');
  });
});

/** Computed styles of every element in the widget's shadow root, keyed by position. */
function computedStyles(props: string[]): Record<string, Record<string, string> & { rect: string }> {
  const host = document.querySelector('chat-widget');
  const root = host?.shadowRoot;
  const out: Record<string, Record<string, string> & { rect: string }> = {};
  if (!root) return out;
  const hostStyle = getComputedStyle(host);
  out.host = { display: hostStyle.display, position: hostStyle.position, rect: '' };
  root.querySelectorAll('*').forEach((el, i) => {
    const style = getComputedStyle(el);
    const entry: Record<string, string> = {};
    for (const p of props) entry[p] = style.getPropertyValue(p);
    const r = el.getBoundingClientRect();
    out[`${i}:${el.tagName}`] = { ...entry, rect: `${r.x},${r.y},${r.width},${r.height}` };
  });
  return out;
}
