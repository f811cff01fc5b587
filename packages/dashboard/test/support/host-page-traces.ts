import type { BrowserContext, Page } from 'playwright-core';

/**
 * Everything a widget leaves on a host page that the page (or its visitor) can observe, as named texts to
 * search for the platform's name (docs/white-label.md): the document's HTML with every open shadow root
 * inlined, the window's own property names, localStorage and sessionStorage (keys and values), cookies
 * (names and values) and the console. Request URLs and response bodies are recorded by the caller.
 */
export async function hostPageTraces(
  page: Page,
  context: BrowserContext,
  consoleLines: string[],
): Promise<Array<{ url: string; text: string }>> {
  const seen = await page.evaluate(() => {
    const serialize = (root: Document | ShadowRoot | Element): string => {
      let html = root instanceof Document ? root.documentElement.outerHTML : (root as Element | ShadowRoot).innerHTML;
      for (const el of root.querySelectorAll('*')) {
        // Open roots only: a closed one is out of the page's reach too.
        if (el.shadowRoot) html += `\n<#shadow-root of ${el.tagName.toLowerCase()}>${serialize(el.shadowRoot)}`;
      }
      return html;
    };
    const storage = (s: Storage) =>
      Object.keys(s)
        .map((k) => `${k}=${s.getItem(k)}`)
        .join('\n');
    return {
      html: serialize(document),
      globals: Object.getOwnPropertyNames(window).join(' '),
      local: storage(localStorage),
      session: storage(sessionStorage),
      cookies: document.cookie,
    };
  });
  const cookies = (await context.cookies()).map((c) => `${c.domain} ${c.name}=${c.value}`).join('\n');
  return [
    { url: 'document and shadow roots', text: seen.html },
    { url: 'window own properties', text: seen.globals },
    { url: 'localStorage', text: seen.local },
    { url: 'sessionStorage', text: seen.session },
    { url: 'document.cookie', text: seen.cookies },
    { url: 'cookies', text: cookies },
    { url: 'console', text: consoleLines.join('\n') },
  ];
}
