import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Meta signs every webhook POST with `X-Hub-Signature-256: sha256=<hex>`, the
 * HMAC-SHA256 of the raw body bytes keyed by the app secret. We check it on
 * the bytes as received (Meta escapes non-ASCII as \uXXXX; re-serialising the
 * parsed JSON would change them), in constant time, after checking the length.
 */
export function verifyMetaSignature(rawBody: Buffer, header: string | undefined, appSecrets: string[]): boolean {
  if (!header?.startsWith('sha256=')) return false;
  const given = Buffer.from(header.slice('sha256='.length), 'hex');
  // A hex decode stops at the first bad character; a short buffer is forged.
  if (given.length !== 32 || header.length !== 'sha256='.length + 64) return false;
  let ok = false;
  for (const secret of appSecrets) {
    const expected = createHmac('sha256', secret).update(rawBody).digest();
    // Every secret is tried (no early exit), so timing says nothing about which one matched.
    if (timingSafeEqual(expected, given)) ok = true;
  }
  return ok;
}

export function signMetaBody(rawBody: Buffer | string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}
