import { createHash, randomBytes } from 'node:crypto';

/**
 * Opaque bearer secrets (refresh tokens, mailed links, backup codes). They
 * carry 256 bits (backup codes 80) of randomness, so a fast SHA-256 is enough
 * to store them: there is nothing to brute-force, unlike a password.
 */
export function generateOpaqueToken(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** `XXXX-XXXX-XXXX-XXXX`: 16 base32 characters, 80 bits. */
export function generateBackupCode(): string {
  const bytes = randomBytes(16);
  let out = '';
  for (let i = 0; i < 16; i++) {
    out += BASE32[bytes[i]! & 31];
    if (i % 4 === 3 && i < 15) out += '-';
  }
  return out;
}

/** Users type codes in any case, with or without dashes and spaces. */
export function normaliseBackupCode(code: string): string {
  const c = code.toUpperCase().replace(/[^A-Z2-7]/g, '');
  return c.replace(/(.{4})(?=.)/g, '$1-');
}
