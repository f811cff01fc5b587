import type { Request } from 'express';
// The webhooks module alone: the full SDK is not needed to check a signature.
import * as webhooks from 'twilio/lib/webhooks/webhooks.js';

export type TwilioParams = Record<string, string | string[]>;

/**
 * `X-Twilio-Signature`: base64 HMAC-SHA1 over the full public URL followed by
 * the POST parameters sorted by name. Checked with twilio-node's own
 * `validateRequest`, which also accepts the URL with and without the default
 * port and with the legacy query-string encoding, as Twilio's servers may
 * sign either.
 */
export function verifyTwilioSignature(
  authToken: string,
  signature: string | undefined,
  url: string,
  params: TwilioParams,
): boolean {
  if (!signature) return false;
  return webhooks.validateRequest(authToken, signature, url, params as Record<string, string>);
}

export function signTwilioRequest(authToken: string, url: string, params: TwilioParams): string {
  return webhooks.getExpectedTwilioSignature(authToken, url, params as Record<string, string>);
}

/**
 * The URL Twilio called: PUBLIC_URL (behind a proxy, the address Twilio was
 * given) plus the path and query, else what the request says.
 */
export function publicRequestUrl(req: Request, publicUrl: string | undefined): string {
  const base = publicUrl ?? `${req.protocol}://${req.get('host')}`;
  return `${base}${req.originalUrl}`;
}

/** `application/x-www-form-urlencoded` bytes → params, repeated names as arrays (as Twilio signs them). */
export function parseForm(raw: Buffer): TwilioParams {
  const out: TwilioParams = {};
  for (const [key, value] of new URLSearchParams(raw.toString('utf8'))) {
    const prev = out[key];
    out[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

export function param(params: TwilioParams, name: string): string | undefined {
  const v = params[name];
  return Array.isArray(v) ? v[0] : v;
}
