import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Server-signed visitor identity: the tenant's backend signs its user id with
 * the client's identity secret so a visitor cannot claim to be someone else.
 *
 *   token = `${userId}.${expiresAtUnixSeconds}.${hex(HMAC-SHA256(secret, `${userId}.${expiresAt}`))}`
 *
 * Verification recomputes the HMAC, compares it in constant time (lengths
 * checked first) and refuses expired tokens.
 */
export function signIdentity(secret: string, userId: string, expiresAtUnix: number): string {
  const payload = `${userId}.${expiresAtUnix}`;
  return `${payload}.${createHmac('sha256', secret).update(payload).digest('hex')}`;
}

export type IdentityCheck = { ok: true; userId: string } | { ok: false; reason: string };

export function verifyIdentity(secret: string, token: string, now = Date.now()): IdentityCheck {
  const lastDot = token.lastIndexOf('.');
  const secondDot = token.lastIndexOf('.', lastDot - 1);
  if (lastDot < 0 || secondDot <= 0) return { ok: false, reason: 'malformed identity token' };
  const userId = token.slice(0, secondDot);
  const expiry = token.slice(secondDot + 1, lastDot);
  const signature = token.slice(lastDot + 1);
  if (!/^\d{1,12}$/.test(expiry) || !/^[0-9a-f]{64}$/.test(signature)) {
    return { ok: false, reason: 'malformed identity token' };
  }
  const expected = createHmac('sha256', secret).update(`${userId}.${expiry}`).digest();
  const given = Buffer.from(signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'identity signature does not match' };
  }
  if (Number(expiry) * 1000 < now) return { ok: false, reason: 'identity token expired' };
  return { ok: true, userId };
}
