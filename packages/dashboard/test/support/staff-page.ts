import type { Browser, Page } from 'playwright-core';

/**
 * A new page on which `who` has just submitted the sign-in form at `path`
 * (staff with no client yet, such as super admins and agency staff, have no
 * live socket to wait for).
 */
export async function signInPage(
  browser: Browser,
  baseUrl: string,
  who: { email: string; password: string },
  path = '/dashboard/',
): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  page.setDefaultTimeout(60_000);
  await page.goto(`${baseUrl}${path}`);
  await page.fill('input[name=email]', who.email);
  await page.fill('input[name=password]', who.password);
  await page.click('button[type=submit]');
  return page;
}

/**
 * A new page signed in to the dashboard as `who`, returned once the staff
 * socket is live (so what a test does next reaches the server at once).
 */
export async function signedInPage(
  browser: Browser,
  baseUrl: string,
  who: { email: string; password: string },
): Promise<Page> {
  const page = await signInPage(browser, baseUrl, who, '/dashboard/inbox');
  page.setDefaultTimeout(30_000);
  await page.locator('[data-testid=live-status]', { hasText: 'Live' }).waitFor();
  return page;
}
