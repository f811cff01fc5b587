import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * HubSpot's v3 request signature: `X-HubSpot-Signature-v3` is the base64
 * HMAC-SHA256, keyed by the app's client secret, of
 * `method + uri + body + timestamp`, where `uri` is the full URL HubSpot
 * called (with a few URL-encoded characters decoded) and the timestamp is
 * `X-HubSpot-Request-Timestamp` (epoch ms). Older than 5 minutes: refused,
 * so a captured request cannot be replayed later.
 */
export const MAX_SIGNATURE_AGE_MS = 5 * 60 * 1000;

/** HubSpot decodes these in the URI before signing. */
const DECODED: Record<string, string> = {
  '%3A': ':',
  '%2F': '/',
  '%3F': '?',
  '%40': '@',
  '%21': '!',
  '%24': '$',
  '%27': "'",
  '%28': '(',
  '%29': ')',
  '%2A': '*',
  '%2C': ',',
  '%3B': ';',
};

export function signingUri(uri: string): string {
  return uri.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (m) => DECODED[m.toUpperCase()] ?? m);
}

export function signHubSpotV3(secret: string, method: string, uri: string, body: string, timestamp: string): string {
  return createHmac('sha256', secret)
    .update(`${method.toUpperCase()}${signingUri(uri)}${body}${timestamp}`, 'utf8')
    .digest('base64');
}

export function verifyHubSpotV3(input: {
  secret: string;
  method: string;
  uri: string;
  body: string;
  signature: string | undefined;
  timestamp: string | undefined;
  now: number;
}): { ok: true } | { ok: false; reason: string } {
  if (!input.signature || !input.timestamp)
    return { ok: false, reason: 'X-HubSpot-Signature-v3 or its timestamp is missing' };
  const at = Number(input.timestamp);
  if (!Number.isFinite(at) || Math.abs(input.now - at) > MAX_SIGNATURE_AGE_MS) {
    return { ok: false, reason: 'X-HubSpot-Request-Timestamp is older than 5 minutes' };
  }
  const expected = Buffer.from(signHubSpotV3(input.secret, input.method, input.uri, input.body, input.timestamp));
  const given = Buffer.from(input.signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { ok: false, reason: 'X-HubSpot-Signature-v3 does not match' };
  }
  return { ok: true };
}
