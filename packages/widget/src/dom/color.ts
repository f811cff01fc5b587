/** `#rrggbb` only: anything else (names, url(), expressions) is refused. */
export function isHexColor(value: string | null | undefined): value is string {
  return !!value && /^#[0-9a-f]{6}$/i.test(value);
}

/** Readable text colour on a brand background (YIQ brightness: small, and good enough to pick black or white). */
export function textOn(hex: string): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return ((n >> 16) * 299 + ((n >> 8) & 255) * 587 + (n & 255) * 114) / 1000 > 128 ? '#111827' : '#ffffff';
}
