import type { EffectiveBranding } from '@leaddesk/shared';

/**
 * The dashboard's index.html in a brand (docs/white-label.md). The build leaves the head without a title,
 * icon or theme; here they are filled in for the Host's brand: the <title>, the favicon link, the theme
 * colours as CSS variables (inline styles are allowed by the CSP, inline scripts are not), and the brand
 * itself as a JSON data block the app reads (`<script type="application/json">` is data, never executed).
 */
export function brandedIndexHtml(html: string, brand: EffectiveBranding): string {
  const data = {
    productName: brand.productName,
    logoUrl: brand.logoUrl,
    supportUrl: brand.supportUrl ?? null,
    primaryColor: brand.primaryColor,
    accentColor: brand.accentColor,
  };
  const head = [
    `<title>${escapeHtml(brand.productName)}</title>`,
    `<meta name="theme-color" content="${escapeHtml(brand.primaryColor)}">`,
    brand.faviconUrl ? `<link rel="icon" href="${escapeHtml(brand.faviconUrl)}">` : '',
    `<style>:root{--brand-primary:${cssColor(brand.primaryColor)};--brand-accent:${cssColor(brand.accentColor)}}</style>`,
    `<script type="application/json" id="brand">${JSON.stringify(data).replace(/</g, '\\u003c')}</script>`,
  ]
    .filter(Boolean)
    .join('\n');
  return html
    .replace(/<title>[^<]*<\/title>\n?/, '')
    .replace(/<meta name="theme-color"[^>]*>\n?/, '')
    .replace('</head>', `${head}\n</head>`);
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Colours are validated hex; anything else (a hand-edited row) falls back rather than reaching CSS. */
function cssColor(value: string): string {
  return /^#[0-9a-fA-F]{3,6}$/.test(value) ? value : '#0f172a';
}
