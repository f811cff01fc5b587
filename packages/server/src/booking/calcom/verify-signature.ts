import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Cal.com signs each webhook delivery with the subscription's secret:
 * `X-Cal-Signature-256` is the hex HMAC-SHA256 of the raw body. Compared in
 * constant time, on the bytes as received (never a re-serialised JSON).
 */
export function verifyCalcomSignature(rawBody: Buffer, header: string | undefined, secret: string): boolean {
  if (!header) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  const given = Buffer.from(header.trim().replace(/^sha256=/, ''), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function signCalcomBody(rawBody: string | Buffer, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('hex');
}
