import type { WidgetOptions, WidgetPosition, WidgetTheme } from '../api.js';
import { isHexColor } from '../dom/color.js';

/** Reads the snippet's data attributes; anything malformed is ignored, never trusted. */
export function readOptions(script: HTMLScriptElement): WidgetOptions | null {
  const d = script.dataset;
  const siteKey = d.siteKey?.trim();
  if (!siteKey) return null;
  const src = new URL(script.src, location.href);
  let server = src.origin;
  if (d.server) {
    try {
      server = new URL(d.server, location.href).origin;
    } catch {}
  }
  const position =
    d.position === 'bottom-left' || d.position === 'bottom-right' ? (d.position as WidgetPosition) : undefined;
  const theme = d.theme === 'light' || d.theme === 'dark' || d.theme === 'auto' ? (d.theme as WidgetTheme) : undefined;
  return {
    siteKey,
    server,
    assetBase: new URL('.', src).href,
    position,
    color: isHexColor(d.color) ? d.color : undefined,
    greeting: d.greeting?.slice(0, 300) || undefined,
    language: (d.language || navigator.language || 'en').toLowerCase(),
    theme,
    load: d.load === 'open' || d.load === 'idle' ? d.load : 'intent',
  };
}
