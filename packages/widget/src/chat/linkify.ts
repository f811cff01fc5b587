/**
 * Splits message text into plain text and links. Only http(s) and mailto
 * links are produced; everything else (including `javascript:` or HTML) stays
 * text, which Preact renders as text nodes, never as markup.
 */
export type Segment = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

const CANDIDATE =
  /\b(?:https?:\/\/|www\.)[^\s<>"']+|\bmailto:[^\s<>"']+|\b[\w.%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b/gi;
const SAFE = new Set(['http:', 'https:', 'mailto:']);

function trimTrailing(url: string): string {
  let end = url.length;
  while (end > 0) {
    const ch = url[end - 1]!;
    if ('.,;:!?\'"]}'.includes(ch)) end--;
    else if (ch === ')' && url.slice(0, end).split('(').length <= url.slice(0, end).split(')').length - 1) end--;
    else break;
  }
  return url.slice(0, end);
}

export function safeHref(candidate: string): string | null {
  let href = candidate;
  if (/^www\./i.test(href)) href = `https://${href}`;
  else if (/^[\w.%+-]+@/.test(href)) href = `mailto:${href}`;
  try {
    const url = new URL(href);
    return SAFE.has(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

export function linkify(text: string): Segment[] {
  const out: Segment[] = [];
  let last = 0;
  for (const match of text.matchAll(CANDIDATE)) {
    const raw = trimTrailing(match[0]);
    const start = match.index ?? 0;
    const href = raw ? safeHref(raw) : null;
    if (!href) continue;
    if (start > last) out.push({ kind: 'text', text: text.slice(last, start) });
    out.push({ kind: 'link', text: raw, href });
    last = start + raw.length;
  }
  if (last < text.length) out.push({ kind: 'text', text: text.slice(last) });
  return out;
}
