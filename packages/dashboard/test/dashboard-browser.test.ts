/**
 * The staff dashboard in a real browser (Debian Chromium via playwright-core)
 * against a real server on PostgreSQL, with the real widget on a host page of
 * another origin as the visitor. The server's AI is Claude through the real
 * @anthropic-ai/sdk, pointed at a local server speaking the Messages API
 * (`startFakeAnthropic`), so visitor replies and "Suggest reply" drafts are
 * text only that server could have written. One story, in order: sign in with
 * 2FA, watch a visitor arrive live, take over, reply, hand back, ask the
 * copilot, a viewer refused by the server, an escalation notification, and
 * settings that change the widget on its next load. Each page is saved as a
 * screenshot.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { generate } from 'otplib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../server/src/tenants/tenant-service.js';
import { type AuthTestServer, startAuthServer, testClock } from '../../server/test/auth/support.js';
import {
  defaultScript,
  type FakeAiServer,
  type RecordedRequest,
  type Script,
  startFakeAnthropic,
  toolName,
} from '../../server/test/support/fake-ai-servers.js';
import { launchChromium, type PageServer, startPageServer } from '../../widget/test/support/browser.js';
import { buildWidget } from '../../widget/test/support/build-widget.js';

const PKG = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS = path.resolve(PKG, '../../test-results');
const run = promisify(execFile);

let t: AuthTestServer;
let anthropic: FakeAiServer;
let browser: Browser;
let host: PageServer;
let client: Awaited<ReturnType<typeof createClient>>;
const dirs: string[] = [];
const contexts: BrowserContext[] = [];
const clock = testClock();
const people: Record<string, { email: string; password: string }> = {};
let totpSecret = '';
let staffPage: Page;
let visitorPage: Page;
let conversationId = '';
let adminToken = '';
/** The build's page chunks (`manifest.json`): lazily loaded pages. */
let pageChunks: Record<string, string> = {};
/** Dashboard scripts each page fetched. */
const scriptsOf = new WeakMap<Page, string[]>();
const recordScripts = (page: Page) => {
  const seen: string[] = [];
  scriptsOf.set(page, seen);
  page.on('request', (r) => {
    const m = /\/dashboard\/([^/?]+\.js)$/.exec(r.url());
    if (m?.[1]) seen.push(m[1]);
  });
};

/** What the fake Claude says to visitors: words the structured mode never writes. */
const VISITOR_REPLY = ['Lovely question! ', 'Our implant team ', 'would be glad to help.'];
/** The fake Claude's draft for "Suggest reply". */
const COPILOT_DRAFT = ['Yes, we place ', 'titanium implants ', 'every Tuesday; shall I book ', 'a consultation?'];
const FAQ_ANSWER = 'Implant consultations are on Tuesdays and cost 80 euros.';

/** The fake Claude's answers: the visitor reply (or a draft) for the reply tool, the default otherwise. */
function claude(replyText: string[]) {
  return (r: RecordedRequest): Script =>
    toolName(r) === 'record_qualification'
      ? { ...(defaultScript(r) as Extract<Script, { kind: 'stream' }>), text: replyText }
      : defaultScript(r);
}

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(RESULTS, `dashboard-${name}.png`) });
const launcher = (page: Page) => page.locator('leaddesk-widget button[aria-controls="ld-panel"]');
const widgetBubbles = (page: Page) => page.locator('[data-testid="messages"] [data-testid="message"]');

async function newContext(): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  contexts.push(context);
  return context;
}

/**
 * Holds the page's first request matching `url`: it is answered with what the server said when it was made, but
 * only once `release()` is called (`answered` resolves then), as a busy server can answer an older request after
 * a newer one. Later matching requests pass. `count()` says how many were made.
 */
async function holdFirstAnswer(page: Page, url: string | RegExp) {
  let release!: () => void;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let done!: () => void;
  const answered = new Promise<void>((resolve) => {
    done = resolve;
  });
  let made = 0;
  await page.route(url, async (route) => {
    if (++made !== 1) return route.continue();
    const answer = await route.fetch();
    await held;
    await route.fulfill({ response: answer });
    done();
  });
  return { release, answered, count: () => made };
}

/** A staff page signed in through the login form (without 2FA). */
async function signIn(who: string): Promise<Page> {
  const page = await (await newContext()).newPage();
  recordScripts(page);
  await page.goto(`${t.server.url}/dashboard/inbox`);
  await page.fill('input[name=email]', people[who]!.email);
  await page.fill('input[name=password]', people[who]!.password);
  await page.click('button[type=submit]');
  await page.locator('[data-testid=live-status]', { hasText: 'Live' }).waitFor();
  return page;
}

async function openWidget(page: Page) {
  await page.goto(`${host.origin}/site`);
  await launcher(page).click();
  await page.locator('[data-testid="connection"]', { hasText: 'Online' }).waitFor();
}

async function widgetSend(page: Page, text: string) {
  await page.locator('[data-testid="composer"]').fill(text);
  await page.locator('[data-testid="composer"]').press('Enter');
}

beforeAll(async () => {
  await mkdir(RESULTS, { recursive: true });
  const dashboardDist = await mkdtemp(path.join(os.tmpdir(), 'ld-dashboard-'));
  dirs.push(dashboardDist);
  const [widgetDist] = await Promise.all([
    buildWidget(),
    run(process.execPath, [path.join(PKG, 'scripts/build.mjs'), '--outdir', dashboardDist], { cwd: PKG }),
  ]);
  dirs.push(widgetDist);
  pageChunks = JSON.parse(await readFile(path.join(dashboardDist, 'manifest.json'), 'utf8')).pages;
  anthropic = await startFakeAnthropic();
  anthropic.respond(claude(VISITOR_REPLY));
  t = await startAuthServer({
    db: 'postgres',
    clock,
    env: {
      WIDGET_DIST_DIR: widgetDist,
      DASHBOARD_DIST_DIR: dashboardDist,
      ANTHROPIC_API_KEY: 'sk-ant-test-key-0123456789',
      ANTHROPIC_BASE_URL: anthropic.url,
      AI_MAX_RETRIES: '0',
      AI_REQUEST_TIMEOUT_MS: '5000',
    },
  });
  client = await createClient(t.server.db.orm.em.fork(), {
    name: 'Sunset Dental',
    industry: 'dental',
    allowedOrigins: ['*'],
  });
  for (const [key, role, name] of [
    ['anna', 'agent', 'Anna Lopez'],
    ['vic', 'viewer', 'Vic Viewer'],
    ['ada', 'admin', 'Ada Admin'],
    ['ben', 'agent', 'Ben Agent'],
  ] as const) {
    const s = await t.createStaff({ client: client.client, role, name });
    people[key] = { email: s.email, password: s.password };
  }
  const root = await t.createStaff({ client: null, role: 'super_admin', name: 'Sam Super' });
  people.sam = { email: root.email, password: root.password };
  // Anna has two-factor authentication.
  const session = await t.login(people.anna!.email, people.anna!.password);
  const setup = await t.api('/auth/2fa/setup', { token: session.accessToken, body: {} });
  totpSecret = setup.body.secret;
  const code = await generate({ secret: totpSecret, epoch: Math.floor(clock.ms / 1000) });
  expect((await t.api('/auth/2fa/enable', { token: session.accessToken, body: { code } })).status).toBe(200);
  clock.advance(30_000);

  // A knowledge base the AI retrieves from and the copilot cites.
  adminToken = (await t.login(people.ada!.email, people.ada!.password)).accessToken;
  const kb = await t.api('/knowledge-bases', { token: adminToken, body: { name: 'Implants', description: '' } });
  expect(kb.status).toBe(201);
  const faq = await t.api(`/knowledge-bases/${kb.body.id}/faqs`, {
    token: adminToken,
    body: { question: 'Do you do dental implants?', answer: FAQ_ANSWER },
  });
  expect(faq.status).toBe(201);

  host = await startPageServer({
    '/site': () =>
      `<!doctype html><html><head><meta charset="utf-8"><title>Sunset Dental</title></head><body><h1>Sunset Dental</h1><script src="${t.server.url}/widget/loader.js" data-site-key="${client.client.siteKey}" async></script></body></html>`,
  });
  browser = await launchChromium();
}, 90_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await host?.close();
  await t?.server.dispose();
  await anthropic?.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('staff dashboard in the browser', () => {
  it('signs in with a password and the authenticator code', async () => {
    const context = await newContext();
    await context.grantPermissions(['notifications'], { origin: t.server.url });
    // Observe desktop notifications: wrap the page's Notification constructor.
    await context.addInitScript(() => {
      const Real = window.Notification;
      const seen: Array<{ title: string; body?: string }> = [];
      (window as unknown as { __notifications: typeof seen }).__notifications = seen;
      class Recorded extends Real {
        constructor(title: string, options?: NotificationOptions) {
          super(title, options);
          seen.push({ title, body: options?.body });
        }
      }
      Object.defineProperty(Recorded, 'permission', { get: () => Real.permission });
      window.Notification = Recorded as typeof Notification;
    });
    staffPage = await context.newPage();
    recordScripts(staffPage);
    await staffPage.goto(`${t.server.url}/dashboard/`);
    await staffPage.fill('input[name=email]', people.anna!.email);
    await staffPage.fill('input[name=password]', people.anna!.password);
    await shot(staffPage, 'login');
    await staffPage.click('button[type=submit]');
    await staffPage.locator('input[name=code]').waitFor();
    await staffPage.fill(
      'input[name=code]',
      await generate({ secret: totpSecret, epoch: Math.floor(clock.ms / 1000) }),
    );
    await staffPage.click('button[type=submit]');
    await staffPage.locator('[data-testid=live-status]', { hasText: 'Live' }).waitFor();
    expect(staffPage.url()).toBe(`${t.server.url}/dashboard/inbox`);
    // Sign-in and the inbox come from the entry and its chunks: no page chunk was fetched.
    const fetched = scriptsOf.get(staffPage) ?? [];
    expect(fetched.length).toBeGreaterThan(0);
    expect(fetched.filter((f) => Object.values(pageChunks).includes(f))).toEqual([]);
  });

  it('shows a widget conversation from another browser live in the inbox', async () => {
    visitorPage = await (await newContext()).newPage();
    await openWidget(visitorPage);
    await widgetSend(visitorPage, 'Hello, do you do dental implants?');
    // The row's preview changes as messages arrive (the fake Claude answers
    // within milliseconds), so the row is found by its id, never by a text
    // that may already be gone: the id is read in the page, in one step.
    const rowId = await staffPage.waitForFunction(
      () =>
        document
          .querySelector('[data-testid=conversation-list] a[data-conversation-id]')
          ?.getAttribute('data-conversation-id'),
      undefined,
      { timeout: 10_000 },
    );
    conversationId = String(await rowId.jsonValue());
    const [stored] = await t.server.db.orm.em
      .getConnection()
      .execute<Array<{ conversation_id: string }>>(
        `select conversation_id from messages where content = 'Hello, do you do dental implants?'`,
      );
    expect(conversationId).toBe(stored?.conversation_id);
    const row = staffPage.locator(`[data-testid=conversation-list] a[data-conversation-id="${conversationId}"]`);
    // Live: the preview follows the conversation to the AI's reply without a reload.
    await row.filter({ hasText: VISITOR_REPLY.join('') }).waitFor({ timeout: 10_000 });
    await row.click();
    await staffPage.locator('[data-testid=timeline] [data-role=visitor]', { hasText: 'dental implants' }).waitFor();
    await staffPage
      .locator('[data-testid=timeline] [data-role=ai]', { hasText: VISITOR_REPLY.join('') })
      .waitFor({ timeout: 10_000 });
    await expect
      .poll(() => widgetBubbles(visitorPage).allInnerTexts(), { timeout: 10_000 })
      .toContain(VISITOR_REPLY.join(''));
    // The reply came from the Messages API, grounded in the knowledge base.
    const reply = anthropic.replyRequests().at(-1);
    expect(String(reply?.headers['x-api-key'] ?? reply?.headers.authorization)).toContain('sk-ant-test-key-0123456789');
    expect(JSON.stringify(reply?.body.system)).toContain(FAQ_ANSWER);
    await shot(staffPage, 'inbox');
  });

  it('takes over, and the staff message reaches the widget; then hands back', async () => {
    await staffPage.getByRole('button', { name: 'Take over' }).click();
    await staffPage.locator('[data-testid=mode]', { hasText: 'Human · Anna Lopez' }).waitFor();
    await visitorPage.getByText('Anna Lopez joined the conversation').waitFor();
    await staffPage.fill('textarea[name=composer]', 'Hi, this is Anna from Sunset Dental!');
    await staffPage.getByRole('button', { name: 'Send' }).click();
    await expect
      .poll(() => widgetBubbles(visitorPage).allInnerTexts(), { timeout: 10_000 })
      .toContain('Hi, this is Anna from Sunset Dental!');
    await staffPage.getByRole('button', { name: 'Hand back to AI' }).click();
    await staffPage.locator('[data-testid=mode]', { hasText: 'AI' }).waitFor();
    const [row] = await t.server.db.orm.em
      .getConnection()
      .execute<Array<{ mode: string }>>('select mode from conversations where id = ?', [conversationId]);
    expect(row?.mode).toBe('ai');
    // Both show on the timeline as system lines, live.
    const events = staffPage.locator('[data-testid=timeline] [data-role=event]');
    await events.filter({ hasText: 'Anna Lopez took over' }).waitFor();
    await events.filter({ hasText: 'Handed back to AI by Anna Lopez' }).waitFor();
  });

  it('keeps takeover, hand-back and assignment on the timeline, live to teammates and after a reload', async () => {
    const admin = await signIn('ada');
    await admin.goto(`${t.server.url}/dashboard/inbox/${conversationId}`);
    const adminEvents = admin.locator('[data-testid=timeline] [data-role=event]');
    // Recorded before Ada opened the conversation: from the stored history.
    await adminEvents.filter({ hasText: 'Anna Lopez took over' }).waitFor();
    await admin.getByLabel('Assign to').selectOption({ label: 'Anna Lopez' });
    await adminEvents.filter({ hasText: 'Ada Admin assigned it to Anna Lopez' }).waitFor();
    // Live on Anna's open timeline, and it survives a reload, in order.
    const annaEvents = staffPage.locator('[data-testid=timeline] [data-role=event]');
    await annaEvents.filter({ hasText: 'Ada Admin assigned it to Anna Lopez' }).waitFor();
    await staffPage.reload();
    await annaEvents.nth(2).waitFor();
    // The follow-up sequence that the AI's last word started is stopped by the takeover, and says so (issue 14).
    const lines = await annaEvents.allTextContents();
    expect(lines.filter((l) => !l.startsWith('Follow-ups stopped'))).toEqual([
      expect.stringContaining('Anna Lopez took over'),
      expect.stringContaining('Handed back to AI by Anna Lopez'),
      expect.stringContaining('Ada Admin assigned it to Anna Lopez'),
    ]);
    expect(lines.filter((l) => l.startsWith('Follow-ups stopped')).every((l) => l.includes('a person took over'))).toBe(
      true,
    );
    await shot(staffPage, 'timeline-events');
    // The visitor saw Anna join (and leave), never the staff-only history.
    const widgetText = await visitorPage.locator('leaddesk-widget').evaluate((el) => el.shadowRoot?.textContent ?? '');
    expect(widgetText).toContain('Anna Lopez joined the conversation');
    for (const hidden of ['took over', 'Handed back', 'assigned', 'Ada Admin'])
      expect(widgetText).not.toContain(hidden);
  });

  it('fills the composer with a suggested reply from the AI, with its sources', async () => {
    const before = anthropic.replyRequests().length;
    anthropic.respond(claude(COPILOT_DRAFT));
    try {
      await staffPage.getByRole('button', { name: /Suggest reply/ }).click();
      await expect
        .poll(() => staffPage.locator('textarea[name=composer]').inputValue(), { timeout: 10_000 })
        .toBe(COPILOT_DRAFT.join(''));
      await staffPage.getByRole('button', { name: /Suggest reply/ }).waitFor();
    } finally {
      anthropic.respond(claude(VISITOR_REPLY));
    }
    // One more reply-tool request, for the visitor's latest message, with the knowledge in the prompt.
    const requests = anthropic.replyRequests();
    expect(requests).toHaveLength(before + 1);
    const request = requests.at(-1)!;
    expect(request.body.messages?.at(-1)?.content).toContain('Hello, do you do dental implants?');
    expect(JSON.stringify(request.body.system)).toContain(FAQ_ANSWER);
    await expect
      .poll(() => staffPage.locator('[data-testid=citations]').textContent())
      .toContain('Do you do dental implants?');
    const [stored] = await t.server.db.orm.em
      .getConnection()
      .execute<Array<{ draft: string; engine: string }>>(
        'select draft, engine from copilot_suggestions where conversation_id = ?',
        [conversationId],
      );
    expect(stored).toEqual({ draft: COPILOT_DRAFT.join(''), engine: 'ai' });
    // A draft, not a reply: the visitor saw none of it.
    expect((await widgetBubbles(visitorPage).allInnerTexts()).join('\n')).not.toContain('titanium');
    await shot(staffPage, 'suggestion');
  });

  it('refuses a viewer on the server: no takeover, no message', async () => {
    const viewer = await signIn('vic');
    await viewer.goto(`${t.server.url}/dashboard/inbox/${conversationId}`);
    await viewer.getByRole('button', { name: 'Take over' }).click();
    await expect
      .poll(() => viewer.getByRole('alert').textContent())
      .toContain('the viewer role may not do conversations:takeover');
    await viewer.fill('textarea[name=composer]', 'viewer says hi');
    await viewer.getByRole('button', { name: 'Send' }).click();
    await expect
      .poll(() => viewer.getByRole('alert').textContent())
      .toContain('the viewer role may not do messages:send');
    const rows = await t.server.db.orm.em
      .getConnection()
      .execute<Array<{ n: string }>>(`select count(*) as n from messages where content = 'viewer says hi'`);
    expect(Number(rows[0]?.n)).toBe(0);
  });

  it('shows a desktop notification when a conversation is escalated', async () => {
    await widgetSend(visitorPage, 'I want to speak to a human please');
    await expect
      .poll(
        () =>
          staffPage.evaluate(
            () => (window as unknown as { __notifications: Array<{ title: string }> }).__notifications,
          ),
        { timeout: 10_000 },
      )
      .toContainEqual(expect.objectContaining({ title: 'Conversation escalated' }));
    // The open conversation shows it in its timeline.
    await staffPage.locator('[data-testid=timeline] [data-role=escalation]', { hasText: 'visitor request' }).waitFor();
  });

  it('changes the widget greeting and colour on its next load from the settings', async () => {
    const admin = await signIn('ada');
    await admin.goto(`${t.server.url}/dashboard/settings`);
    await admin.locator('input[name=greeting]').fill('Welcome to Sunset Dental, how can we help?');
    await admin.locator('input[name=primaryColor]').fill('#16a34a');
    await expect
      .poll(() => admin.locator('[data-testid=widget-preview]').textContent())
      .toContain('Welcome to Sunset Dental');
    await admin.getByRole('button', { name: 'Save changes' }).click();
    await admin.getByText('Saved').waitFor();
    await shot(admin, 'settings');

    const fresh = await (await newContext()).newPage();
    await openWidget(fresh);
    await fresh.getByText('Welcome to Sunset Dental, how can we help?').waitFor();
    await expect
      .poll(() =>
        fresh.evaluate(() =>
          (document.querySelector('leaddesk-widget') as HTMLElement | null)?.style.getPropertyValue('--ld-primary'),
        ),
      )
      .toBe('#16a34a');

    // Knowledge: create a base, add an FAQ, upload a document (progress to the end), find it in the search tester.
    await admin.goto(`${t.server.url}/dashboard/knowledge`);
    await admin.getByPlaceholder('New knowledge base').fill('Services');
    await admin.getByRole('button', { name: 'Add', exact: true }).click();
    await admin.getByText('Upload to Services').waitFor();
    await admin.locator('input[type=file]').setInputFiles({
      name: 'whitening.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('Teeth whitening at Sunset Dental takes one hour and costs 199 euros, with a free check-up.'),
    });
    await expect
      .poll(() => admin.getByRole('progressbar').getAttribute('aria-valuenow'), { timeout: 15_000 })
      .toBe('100');
    await admin.getByPlaceholder('What would a lead ask?').fill('how much is whitening');
    await admin.getByRole('button', { name: 'Search' }).click();
    await admin.getByText('score', { exact: false }).first().waitFor();
    expect(await admin.locator('li', { hasText: 'whitening.txt' }).count()).toBeGreaterThan(0);
    await shot(admin, 'knowledge');

    for (const page of ['leads', 'escalations', 'analytics']) {
      await admin.goto(`${t.server.url}/dashboard/${page}`);
      await admin.locator('h1').waitFor();
      await admin.waitForLoadState('networkidle');
      await shot(admin, page);
    }
    // Chart.js arrived with the analytics page's own chunk, on the visit.
    await admin.locator('canvas').first().waitFor();
    expect(scriptsOf.get(admin)).toContain(pageChunks.analytics);
    // Pipeline: drag the lead to "qualifying" (an allowed transition); the server stores it.
    await admin.goto(`${t.server.url}/dashboard/leads`);
    await admin.getByRole('button', { name: 'Pipeline' }).click();
    const card = admin.locator('[data-status=new] [draggable=true]').first();
    await card.waitFor();
    await card.dragTo(admin.locator('[data-status=qualifying]'));
    await admin.locator('[data-status=qualifying] [draggable=true]').first().waitFor();
    await shot(admin, 'pipeline');
    const [lead] = await t.server.db.orm.em
      .getConnection()
      .execute<Array<{ status: string }>>('select status from leads where client_id = ?', [client.client.id]);
    expect(lead?.status).toBe('qualifying');

    await admin.setViewportSize({ width: 390, height: 844 });
    await admin.goto(`${t.server.url}/dashboard/inbox/${conversationId}`);
    await admin.locator('[data-testid=timeline]').waitFor();
    await shot(admin, 'phone-conversation');
    // A walk through six pages and a second browser: more than the default on a loaded machine.
  }, 60_000);

  it('keeps a newly created knowledge base on screen when the page’s first list load answers late', async () => {
    const admin = await signIn('ada');
    // The first list request is answered with what the server held then, but only after the base is created
    // and the list reloaded: the order a busy server can produce.
    const first = await holdFirstAnswer(admin, '**/knowledge-bases?pageSize=100');
    await admin.goto(`${t.server.url}/dashboard/knowledge`);
    await admin.getByPlaceholder('New knowledge base').fill('Late list');
    await admin.getByRole('button', { name: 'Add', exact: true }).click();
    await admin.getByText('Upload to Late list').waitFor();
    first.release();
    await first.answered;
    // The stale list (without the new base) must not replace the newer one.
    await expect.poll(() => admin.getByText('Upload to Late list').count()).toBe(1);
    await admin.waitForTimeout(300);
    expect(await admin.getByText('Upload to Late list').count()).toBe(1);
    expect(await admin.getByRole('button', { name: /^Late list/ }).count()).toBe(1);
  });

  it('shows the leads of the filter last chosen when an earlier list answers late', async () => {
    const admin = await signIn('ada');
    const first = await holdFirstAnswer(admin, /\/api\/v1\/leads\?/);
    // A lead that is not won, so the unfiltered answer is not empty.
    const form = await fetch(`${t.server.url}/webhooks/web-form`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        siteKey: client.client.siteKey,
        name: 'Late Lister',
        email: 'late@example.com',
        message: 'Hi',
      }),
    });
    expect(form.status).toBeLessThan(300);
    await admin.goto(`${t.server.url}/dashboard/leads`);
    const filtered = admin.waitForResponse((r) => r.url().includes('status=closed_won'));
    await admin.getByLabel('Status').selectOption('closed_won');
    await filtered;
    await admin.getByText('No leads match.').waitFor();
    first.release();
    await first.answered;
    await admin.waitForTimeout(300);
    // The unfiltered answer (the tenant's leads, none of them won) arrived last and is not shown.
    expect(first.count()).toBeGreaterThanOrEqual(2);
    expect(await admin.getByText('Late Lister').count()).toBe(0);
    expect(await admin.getByText('No leads match.').count()).toBe(1);
    expect(await admin.getByText(/^0 leads$/).count()).toBe(1);
  });

  it('shows the lead last opened when the one opened before answers late', async () => {
    for (const name of ['Racer One', 'Racer Two']) {
      const form = await fetch(`${t.server.url}/webhooks/web-form`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          siteKey: client.client.siteKey,
          name,
          email: `${name.replace(' ', '.').toLowerCase()}@example.com`,
          message: 'Hello',
        }),
      });
      expect(form.status).toBeLessThan(300);
    }
    const admin = await signIn('ada');
    const first = await holdFirstAnswer(admin, /\/api\/v1\/leads\/[0-9a-f-]{36}$/);
    await admin.goto(`${t.server.url}/dashboard/leads`);
    await admin.getByRole('link', { name: 'Racer One' }).click();
    await admin.getByRole('link', { name: 'Racer Two' }).click();
    const title = admin.locator('h2', { hasText: /^Racer (One|Two)$/ });
    await title.waitFor();
    expect(await title.textContent()).toBe('Racer Two');
    first.release();
    await first.answered;
    await admin.waitForTimeout(300);
    expect(await admin.locator('h2', { hasText: /^Racer (One|Two)$/ }).allTextContents()).toEqual(['Racer Two']);
    expect(await admin.getByText('racer.one@example.com').count()).toBe(1);
  });

  it('shows the consent line with its privacy link and an agency’s “Powered by” in the widget, as set in Settings', async () => {
    const admin = await signIn('ada');
    await admin.goto(`${t.server.url}/dashboard/settings`);
    const fields = admin.locator('[data-testid=widget-footer-fields]');
    await fields.locator('input[name=privacyUrl]').fill('https://sunset-dental.example/privacy');
    await fields.locator('input[name=consent-en]').fill('By chatting you agree that we keep your messages.');
    await fields.locator('input[name=consent-es]').fill('Al chatear acepta que guardemos sus mensajes.');
    await fields.locator('select[name=poweredBy]').selectOption('custom');
    await fields.locator('input[name=poweredLabel]').fill('Chat by Bright Agency');
    await fields.locator('input[name=poweredUrl]').fill('https://bright-agency.example');
    await admin.getByRole('button', { name: 'Save changes' }).click();
    await admin.getByText('Saved').waitFor();
    const stored = (await t.api('/client', { token: adminToken })).body.config.widget;
    expect(stored.consent).toEqual({
      text: {
        en: 'By chatting you agree that we keep your messages.',
        es: 'Al chatear acepta que guardemos sus mensajes.',
      },
      privacyUrl: 'https://sunset-dental.example/privacy',
    });
    expect(stored.poweredBy).toEqual({
      hidden: false,
      label: 'Chat by Bright Agency',
      url: 'https://bright-agency.example',
    });

    const visitor = await (await newContext()).newPage();
    await openWidget(visitor);
    const consent = visitor.locator('[data-testid=consent]');
    await expect.poll(() => consent.textContent()).toContain('By chatting you agree that we keep your messages.');
    expect(await visitor.locator('[data-testid=privacy-link]').getAttribute('href')).toBe(
      'https://sunset-dental.example/privacy',
    );
    expect(await visitor.locator('[data-testid=privacy-link]').textContent()).toBe('Privacy policy');
    expect(await visitor.locator('[data-testid=powered-link]').textContent()).toBe('Chat by Bright Agency');
    expect(await visitor.locator('[data-testid=powered-by]').textContent()).not.toContain('Lead Desk');

    // White-label: no line at all. A script link is refused by the server and changes nothing.
    const hidden = await t.api('/client', {
      method: 'PATCH',
      token: adminToken,
      body: { config: { widget: { poweredBy: { hidden: true } } } },
    });
    expect(hidden.status).toBe(200);
    const script = await t.api('/client', {
      method: 'PATCH',
      token: adminToken,
      body: { config: { widget: { consent: { privacyUrl: 'javascript:alert(1)' } } } },
    });
    expect(script.status).toBe(400);
    expect(script.text).toContain('expected an http(s) link');
    const again = await (await newContext()).newPage();
    await openWidget(again);
    await expect.poll(() => again.locator('[data-testid=consent]').count()).toBe(1);
    expect(await again.locator('[data-testid=powered-by]').count()).toBe(0);
    expect(await again.locator('[data-testid=privacy-link]').getAttribute('href')).toBe(
      'https://sunset-dental.example/privacy',
    );
    // Back to ours for the tests that follow.
    await t.api('/client', {
      method: 'PATCH',
      token: adminToken,
      body: { config: { widget: { poweredBy: { hidden: false, label: null, url: null } } } },
    });
  });

  it('reorders intake questions from the keyboard, announces each move, and saves the order', async () => {
    const admin = await signIn('ada');
    await admin.goto(`${t.server.url}/dashboard/settings`);
    const questions = admin.locator('input[data-field=question]');
    await questions.first().waitFor();
    const order = () => questions.evaluateAll((els) => els.map((el) => (el as HTMLInputElement).value));
    const before = await order();
    expect(before.length).toBeGreaterThanOrEqual(3);
    const announcement = admin.getByTestId('intake-announcement');
    expect(await announcement.getAttribute('aria-live')).toBe('polite');

    // Alt+ArrowUp in the second question's text field: it becomes the first; focus stays in it.
    await questions.nth(1).focus();
    await admin.keyboard.press('Alt+ArrowUp');
    await expect.poll(order).toEqual([before[1], before[0], ...before.slice(2)]);
    await expect.poll(() => announcement.textContent()).toBe(`“${before[1]}” moved to position 1 of ${before.length}.`);
    expect(await admin.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value)).toBe(before[1]);
    // Alt+ArrowUp at the top does nothing.
    await admin.keyboard.press('Alt+ArrowUp');
    expect(await order()).toEqual([before[1], before[0], ...before.slice(2)]);

    // The move-down button, pressed with Space twice: the first question goes to position 3, keeping focus.
    const down = admin.getByRole('button', { name: `Move “${before[1]}” down` });
    await down.focus();
    await admin.keyboard.press('Space');
    await expect.poll(order).toEqual([before[0], before[1], ...before.slice(2)]);
    await admin.keyboard.press('Space');
    await expect.poll(order).toEqual([before[0], before[2], before[1], ...before.slice(3)]);
    expect(await admin.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      `Move “${before[1]}” down`,
    );
    await expect.poll(() => announcement.textContent()).toBe(`“${before[1]}” moved to position 3 of ${before.length}.`);
    await shot(admin, 'intake');

    await admin.getByRole('button', { name: 'Save changes' }).click();
    await admin.getByText('Saved').waitFor();
    const [row] = await t.server.db.orm.em
      .getConnection()
      .execute<Array<{ config: { qualificationQuestions: Array<{ question: string }> } }>>(
        'select config from clients where id = ?',
        [client.client.id],
      );
    expect(row?.config.qualificationQuestions.map((q) => q.question)).toEqual([
      before[0],
      before[2],
      before[1],
      ...before.slice(3),
    ]);
  });

  it('translates an intake question in Settings; the per-language text is saved and an emptied one removed', async () => {
    const admin = await signIn('ada');
    await admin.goto(`${t.server.url}/dashboard/settings`);
    const first = admin.locator('[data-question-id]').first();
    await first.waitFor();
    const id = await first.getAttribute('data-question-id');
    const summary = first.locator('[data-field=translations] summary');
    // The industry template ships the question in all five other languages.
    expect(await summary.textContent()).toContain('5/5');
    await summary.click();
    const spanish = first.getByLabel('Question 1 in Español', { exact: true });
    const german = first.getByLabel('Question 1 in Deutsch', { exact: true });
    expect(await german.inputValue()).not.toBe('');
    await spanish.fill('¿Qué tratamiento le interesa a usted?');
    await german.fill('');
    await expect.poll(() => summary.textContent()).toContain('4/5');
    await admin.getByRole('button', { name: 'Save changes' }).click();
    await admin.getByText('Saved').waitFor();
    const translations = async () => {
      const [row] = await t.server.db.orm.em
        .getConnection()
        .execute<
          Array<{ config: { qualificationQuestions: Array<{ id: string; translations?: Record<string, unknown> }> } }>
        >('select config from clients where id = ?', [client.client.id]);
      return row?.config.qualificationQuestions.find((q) => q.id === id)?.translations ?? {};
    };
    // Only what changed: the Spanish text, German removed (its built-in phrasing applies again), the rest kept.
    await expect.poll(async () => Object.keys(await translations()).sort()).toEqual(['es', 'fr', 'it', 'pt']);
    expect(await translations()).toMatchObject({ es: { question: '¿Qué tratamiento le interesa a usted?' } });
  });

  it('connects Twilio and WhatsApp on Settings → Channels; secrets are write-only; an agent is refused', async () => {
    const AUTH_TOKEN = 'twilio-auth-token-0f1e2d3c9999';
    const ACCESS_TOKEN = 'EAAG-meta-access-token-77aa';
    const channelSettings = async () => {
      const [row] = await t.server.db.orm.em
        .getConnection()
        .execute<Array<{ s: string | null }>>('select channel_settings::text as s from clients where id = ?', [
          client.client.id,
        ]);
      return row?.s ?? '';
    };
    const admin = await signIn('ada');
    await admin.goto(`${t.server.url}/dashboard/settings`);
    await admin.getByRole('link', { name: 'Channels' }).click();
    const twilio = admin.locator('[data-channel=twilio]');
    const whatsapp = admin.locator('[data-channel=whatsapp]');
    await admin.locator('[data-testid=status-twilio]', { hasText: 'Not connected' }).waitFor();
    expect(await whatsapp.locator('input[readonly]').first().inputValue()).toBe(
      `${t.server.url}/webhooks/whatsapp?client=${client.client.slug}`,
    );
    expect(await twilio.locator('input[readonly]').first().inputValue()).toBe(
      `${t.server.url}/webhooks/sms?client=${client.client.slug}`,
    );

    // Bad input: the server's message is shown and nothing is stored.
    const before = await channelSettings();
    await twilio.locator('input[name=accountSid]').fill('AC-not-a-sid');
    await twilio.locator('input[name=authToken]').fill(AUTH_TOKEN);
    await twilio.locator('input[name=phoneNumber]').fill('+1 415 555 2671');
    await twilio.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => twilio.getByRole('alert').textContent()).toContain('accountSid');
    expect(await channelSettings()).toBe(before);

    await twilio.locator('input[name=accountSid]').fill(`AC${'0123456789abcdef'.repeat(2)}`);
    await twilio.getByRole('button', { name: 'Save' }).click();
    await admin.locator('[data-testid=status-twilio]', { hasText: /^Connected/ }).waitFor();
    expect(await twilio.locator('input[name=authToken]').inputValue()).toBe('');

    await whatsapp.locator('input[name=phoneNumberId]').fill('1234567890');
    await whatsapp.locator('input[name=accessToken]').fill(ACCESS_TOKEN);
    await whatsapp.getByRole('button', { name: 'Generate' }).click();
    const verifyToken = await whatsapp.locator('input[name=verifyToken]').inputValue();
    expect(verifyToken).toMatch(/^[\w-]{32}$/);
    await whatsapp.getByRole('button', { name: 'Save' }).click();
    await admin.locator('[data-testid=status-whatsapp]', { hasText: /^Connected/ }).waitFor();

    // After a reload: configured, and no secret anywhere in the page, only their last 4 characters.
    await admin.reload();
    await admin.locator('[data-testid=status-twilio]', { hasText: /^Connected/ }).waitFor();
    await admin.locator('[data-testid=status-whatsapp]', { hasText: /^Connected/ }).waitFor();
    expect(await twilio.locator('input[name=authToken]').inputValue()).toBe('');
    expect(await twilio.locator('input[name=authToken]').getAttribute('placeholder')).toBe('•••• 9999');
    expect(await whatsapp.locator('input[name=phoneNumberId]').inputValue()).toBe('1234567890');
    expect(await whatsapp.textContent()).toContain(`ends in ${verifyToken.slice(-4)}`);
    const html = await admin.content();
    for (const secret of [AUTH_TOKEN, ACCESS_TOKEN, verifyToken]) {
      expect(html.includes(secret), 'secret in the page').toBe(false);
      expect((await channelSettings()).includes(secret), 'secret stored in clear').toBe(false);
    }
    // The generated token is the one Meta's verification request must carry for this client.
    const verify = await fetch(
      `${t.server.url}/webhooks/whatsapp?hub.mode=subscribe&hub.challenge=2718&hub.verify_token=${verifyToken}&client=${client.client.slug}`,
    );
    expect(await verify.text()).toBe('2718');
    await shot(admin, 'channels');

    // An agent sees the status but no form, and the server refuses their session anyway.
    const agent = await signIn('ben');
    await agent.goto(`${t.server.url}/dashboard/settings/channels`);
    await agent.locator('[data-testid=status-twilio]', { hasText: /^Connected/ }).waitFor();
    expect(await agent.getByRole('button', { name: 'Save' }).count()).toBe(0);
    expect(await agent.locator('[data-channel=twilio] input[name=accountSid]').isDisabled()).toBe(true);
    const stored = await channelSettings();
    const refused = await agent.evaluate(async () => {
      const session = await fetch('/api/v1/auth/refresh', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      const { accessToken } = (await session.json()) as { accessToken: string };
      const res = await fetch('/api/v1/channels/twilio', {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
        body: JSON.stringify({
          accountSid: `AC${'1'.repeat(32)}`,
          authToken: 'agent-token',
          phoneNumber: '+14155550000',
        }),
      });
      return { status: res.status, body: (await res.json()) as { error: { code: string } } };
    });
    expect(refused).toEqual({ status: 403, body: { error: expect.objectContaining({ code: 'forbidden' }) } });
    expect(await channelSettings()).toBe(stored);
  });

  it('downloads the filtered leads as CSV from the leads page; an agent has no export', async () => {
    const admin = await signIn('ada');
    await admin.goto(`${t.server.url}/dashboard/leads`);
    await admin.getByRole('heading', { name: 'Leads' }).waitFor();
    await admin.selectOption('select[aria-label=Channel]', 'web');
    const [download] = await Promise.all([
      admin.waitForEvent('download'),
      admin.locator('[data-testid=export-leads]').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^leads-sunset-dental-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = await readFile((await download.path()) as string, 'utf8');
    const [header, ...lines] = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
      .join('\n')
      .split('\n');
    expect(header?.startsWith('id,created_at,name,email,phone,source,status')).toBe(true);
    // The same leads the API lists for that filter (none of the rows' fields spans lines here).
    const listed = await t.api('/leads?source=web&pageSize=100', { token: adminToken });
    expect(listed.body.total).toBeGreaterThan(0);
    expect(lines).toHaveLength(listed.body.total);
    for (const lead of listed.body.data as Array<{ id: string }>) {
      expect(lines.some((l) => l.startsWith(`${lead.id},`))).toBe(true);
    }

    const agent = await signIn('ben');
    await agent.goto(`${t.server.url}/dashboard/leads`);
    await agent.getByRole('heading', { name: 'Leads' }).waitFor();
    expect(await agent.locator('[data-testid=export-leads]').count()).toBe(0);
  });

  it('shows a super admin the clients page, loaded as its own chunk', async () => {
    const page = await (await newContext()).newPage();
    recordScripts(page);
    await page.goto(`${t.server.url}/dashboard/`);
    await page.fill('input[name=email]', people.sam!.email);
    await page.fill('input[name=password]', people.sam!.password);
    await page.click('button[type=submit]');
    await page.getByRole('heading', { name: 'Clients' }).waitFor();
    await page.locator('li, tr', { hasText: 'Sunset Dental' }).first().waitFor();
    expect(page.url()).toBe(`${t.server.url}/dashboard/clients`);
    expect(scriptsOf.get(page)).toContain(pageChunks.clients);
    expect(scriptsOf.get(page)).not.toContain(pageChunks.analytics);
    await shot(page, 'clients');
  });
});
