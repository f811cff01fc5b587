/**
 * Settings → Automation → Business hours and Follow-ups in a real browser
 * (Debian Chromium via playwright-core) against a real server on PostgreSQL:
 * an admin adds a holiday, a closure and a second period on Tuesday, saves (a
 * merge patch of only what changed), reloads and sees them, and the REST API
 * agrees, and removes the holiday again; then edits a follow-up step's delay
 * and text the same way. Invalid values
 * (a period that closes before it opens, a negative delay) show the server's
 * error next to the field and change nothing.
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
import { launchChromium } from '../../widget/test/support/browser.js';
import { signedInPage } from './support/staff-page.js';

const PKG = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS = path.resolve(PKG, '../../test-results');
const run = promisify(execFile);

let t: AuthTestServer;
let browser: Browser;
let dist: string;
let admin: { email: string; password: string };
let other: { email: string; password: string };

beforeAll(async () => {
  await mkdir(RESULTS, { recursive: true });
  dist = await mkdtemp(path.join(os.tmpdir(), 'ld-dashboard-hours-'));
  await run(process.execPath, [path.join(PKG, 'scripts/build.mjs'), '--outdir', dist], { cwd: PKG });
  t = await startAuthServer({ db: 'postgres', env: { DASHBOARD_DIST_DIR: dist } });
  const em = () => t.server.db.orm.em.fork();
  const mine = await createClient(em(), { name: 'Hours Dental', industry: 'dental', starterKnowledge: false });
  const theirs = await createClient(em(), { name: 'Other Dental', industry: 'dental', starterKnowledge: false });
  const created = await t.createStaff({ client: mine.client, role: 'admin', name: 'Ada Admin' });
  admin = { email: created.email, password: created.password };
  const otherAdmin = await t.createStaff({ client: theirs.client, role: 'admin' });
  other = { email: otherAdmin.email, password: otherAdmin.password };
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await t?.server.dispose();
  if (dist) await rm(dist, { recursive: true, force: true });
});

const tokens = new Map<string, string>();
/** A REST GET as the given staff member (signed in once per file). */
async function get(who: { email: string; password: string }, url: string) {
  let token = tokens.get(who.email);
  if (!token) {
    token = (await t.login(who.email, who.password)).accessToken;
    tokens.set(who.email, token);
  }
  const res = await t.api(url, { token });
  expect(res.status).toBe(200);
  return res.body;
}

async function signIn(): Promise<Page> {
  const page = await signedInPage(browser, t.server.url, admin);
  await page.goto(`${t.server.url}/dashboard/settings/automation`);
  return page;
}

describe('Settings → Automation → Business hours and follow-ups in the browser', () => {
  it('saves holidays, periods and a follow-up step; refuses invalid values and changes nothing', async () => {
    const page = await signIn();
    const before = await get(admin, '/client');
    expect(before.config.hours).toBeUndefined();
    expect(before.config.businessHours.tue).toEqual([{ open: '09:00', close: '18:00' }]);

    // Tuesday gets a lunch break (two periods), Christmas Eve is a holiday, no call-back task at weekends.
    const hours = page.locator('[data-testid=business-hours-form]');
    const tue = hours.locator('[data-day=tue]');
    await tue.locator('[data-period="0"] input[name=close]').fill('13:00');
    await tue.locator('[data-testid=add-period]').click();
    await tue.locator('[data-period="1"] input[name=open]').fill('14:00');
    await tue.locator('[data-period="1"] input[name=close]').fill('18:00');
    await hours.locator('[data-testid=add-holiday]').click();
    await hours.locator('[data-testid=holiday] input[name=holiday-date]').fill('2026-12-24');
    await hours.locator('[data-testid=holiday] input[name=holiday-name]').fill('Christmas Eve');
    // Open in the morning that day only.
    await hours.locator('[data-testid=holiday] [data-testid=add-special-hours]').click();
    await hours.locator('[data-testid=holiday] [data-special-period="0"] input[name=special-open]').fill('09:30');
    await hours.locator('[data-testid=holiday] [data-special-period="0"] input[name=special-close]').fill('13:00');
    await hours.locator('[data-testid=add-closure]').click();
    await hours.locator('[data-testid=closure] input[name=closure-from]').fill('2027-08-02');
    await hours.locator('[data-testid=closure] input[name=closure-to]').fill('2027-08-15');
    await hours.locator('[data-testid=flow-weekend] input[name=callback-task]').uncheck();
    const patchSent = page.waitForRequest((r) => r.method() === 'PATCH' && r.url().endsWith('/api/v1/client'));
    await hours.locator('[data-testid=save-hours]').click();
    // Only what changed: Tuesday alone of the week, no name or time zone.
    const body = (await patchSent).postDataJSON();
    expect(Object.keys(body)).toEqual(['config']);
    expect(Object.keys(body.config.businessHours)).toEqual(['tue']);
    await hours.locator('[data-testid=hours-saved]').waitFor();

    await page.reload();
    await tue.locator('[data-period="1"]').waitFor();
    expect(await tue.locator('[data-period="0"] input[name=close]').inputValue()).toBe('13:00');
    expect(await tue.locator('[data-period="1"] input[name=open]').inputValue()).toBe('14:00');
    const holiday = hours.locator('[data-testid=holiday]');
    expect(await holiday.count()).toBe(1);
    expect(await holiday.locator('input[name=holiday-date]').inputValue()).toBe('2026-12-24');
    expect(await holiday.locator('input[name=holiday-name]').inputValue()).toBe('Christmas Eve');
    expect(await holiday.locator('[data-special-period="0"] input[name=special-open]').inputValue()).toBe('09:30');
    expect(await hours.locator('[data-testid=flow-weekend] input[name=callback-task]').isChecked()).toBe(false);
    await hours.screenshot({ path: path.join(RESULTS, 'automation-hours-saved.png') });

    const saved = await get(admin, '/client');
    expect(saved.config.businessHours.tue).toEqual([
      { open: '09:00', close: '13:00' },
      { open: '14:00', close: '18:00' },
    ]);
    expect(saved.config.businessHours.mon).toEqual(before.config.businessHours.mon);
    expect(saved.config.hours.holidays).toEqual([
      { date: '2026-12-24', name: 'Christmas Eve', periods: [{ open: '09:30', close: '13:00' }] },
    ]);
    expect(saved.config.hours.closures).toEqual([{ from: '2027-08-02', to: '2027-08-15' }]);
    expect(saved.config.hours.weekend.callbackTask).toBe(false);
    expect(saved.config.hours.weekendDays).toEqual(['sat', 'sun']);
    // The other tenant's hours are untouched.
    expect((await get(other, '/client')).config.hours).toBeUndefined();

    // A period that closes before it opens: the server's error next to it, nothing stored.
    await tue.locator('[data-period="1"] input[name=open]').fill('19:00');
    await hours.locator('[data-testid=save-hours]').click();
    const periodError = tue.locator('[data-field-error="config.businessHours.tue.1"]');
    await periodError.waitFor();
    expect(await periodError.textContent()).toContain('open must be before close');
    expect((await get(admin, '/client')).config.businessHours.tue).toEqual(saved.config.businessHours.tue);

    // Special hours that close before they open: the error beside them, nothing stored.
    await holiday.locator('[data-special-period="0"] input[name=special-close]').fill('08:00');
    await hours.locator('[data-testid=save-hours]').click();
    const specialError = holiday.locator('[data-field-error="config.hours.holidays.0.periods.0"]');
    await specialError.waitFor();
    expect(await specialError.textContent()).toContain('open must be before close');
    expect((await get(admin, '/client')).config.hours.holidays).toEqual(saved.config.hours.holidays);
    await holiday.locator('[data-special-period="0"] input[name=special-close]').fill('13:00');

    // Put right and the holiday removed: saved; the closure stays.
    await tue.locator('[data-period="1"] input[name=open]').fill('14:00');
    await holiday.locator('button[aria-label="Remove holiday"]').click();
    await hours.locator('[data-testid=save-hours]').click();
    await hours.locator('[data-testid=hours-saved]').waitFor();
    expect(await periodError.count()).toBe(0);
    const afterRemove = await get(admin, '/client');
    expect(afterRemove.config.hours.holidays).toEqual([]);
    expect(afterRemove.config.hours.closures).toEqual(saved.config.hours.closures);
    expect(afterRemove.config.businessHours.tue).toEqual(saved.config.businessHours.tue);

    // Follow-ups: the first step after 3 hours with new English text.
    const step = page.locator('[data-testid=follow-up-settings] [data-step="0"]');
    await step.locator('input[name=step-delay]').fill('3');
    await step.locator('textarea[name=step-text]').fill('Still thinking about your visit? We can book you in.');
    await page.locator('[data-testid=save-follow-ups]').click();
    await page.locator('[data-testid=follow-ups-saved]').waitFor();

    await page.reload();
    await step.waitFor();
    expect(await step.locator('input[name=step-delay]').inputValue()).toBe('3');
    expect(await step.locator('textarea[name=step-text]').inputValue()).toBe(
      'Still thinking about your visit? We can book you in.',
    );
    const settings = await get(admin, '/automation/follow-ups');
    const steps = settings.followUps.sequences.default.steps;
    expect(steps[0].delayMinutes).toBe(180);
    expect(steps[0].text.en).toBe('Still thinking about your visit? We can book you in.');

    // A negative delay: the server's error next to the delay, nothing stored.
    await step.locator('input[name=step-delay]').fill('-1');
    await page.locator('[data-testid=save-follow-ups]').click();
    const delayError = step.locator('[data-field-error="followUps.sequences.default.steps.0.delayMinutes"]');
    await delayError.waitFor();
    expect(await delayError.textContent()).toBe('the delay must be at least 1 minute');
    await step.screenshot({ path: path.join(RESULTS, 'automation-follow-up-error.png') });
    expect(await get(admin, '/automation/follow-ups')).toEqual(settings);
    await page.reload();
    await step.waitFor();
    expect(await step.locator('input[name=step-delay]').inputValue()).toBe('3');
  });
});
