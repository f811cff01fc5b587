import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Tenant keys. The secret API key (`ld_live_…`) is shown once and stored only
 * as a SHA-256 hash: it is 32 random bytes, so a fast hash is enough (there is
 * nothing to brute-force). The site key (`pk_…`) is public by design.
 */
export const API_KEY_PREFIX = 'ld_live_';
export const SITE_KEY_PREFIX = 'pk_';

export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(32).toString('base64url');
}

export function generateSiteKey(): string {
  return SITE_KEY_PREFIX + randomBytes(18).toString('base64url');
}

export function generateSecret(): string {
  return randomBytes(32).toString('hex');
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The part of a key safe to display to recognise it. */
export function displayPrefix(key: string): string {
  return key.slice(0, API_KEY_PREFIX.length + 4);
}

export function safeEqualHex(a: string, b: string): boolean {
  const ab = Buffer.from(a, 'hex');
  const bb = Buffer.from(b, 'hex');
  return ab.length === bb.length && ab.length > 0 && timingSafeEqual(ab, bb);
}
