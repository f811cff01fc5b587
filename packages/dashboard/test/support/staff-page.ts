import type { Browser, Page } from 'playwright-core';

/**
 * A new page signed in to the dashboard as `who`, returned once the staff
 * socket is live (so what a test does next reaches the server at once).
 */
export async function signedInPage(
  browser: Browser,
  baseUrl: string,
  who: { email: string; password: string },
): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await page.goto(`${baseUrl}/dashboard/inbox`);
  await page.fill('input[name=email]', who.email);
  await page.fill('input[name=password]', who.password);
  await page.click('button[type=submit]');
  await page.locator('[data-testid=live-status]', { hasText: 'Live' }).waitFor();
  return page;
}
