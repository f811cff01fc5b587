/**
 * Puts CSS inside a shadow root. Constructable stylesheets first: they are
 * shared, parsed once, and not blocked by a host page's CSP `style-src`;
 * a <style> element where they are not supported.
 */
export function adoptCss(root: ShadowRoot, css: string): void {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  } catch {
    const style = document.createElement('style');
    style.textContent = css;
    root.prepend(style);
  }
}
