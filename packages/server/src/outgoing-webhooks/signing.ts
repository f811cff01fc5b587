import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): the secret is
 * `whsec_` + base64 of 32 random bytes; each request carries `webhook-id`,
 * `webhook-timestamp` (Unix seconds) and `webhook-signature`
 * (`v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`), computed by the
 * reference library so receivers can verify with any Standard Webhooks
 * library.
 */
export function generateSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export function signatureHeaders(secret: string, messageId: string, at: Date, body: string): Record<string, string> {
  // The library signs with whole seconds, like the header it goes with.
  const seconds = Math.floor(at.getTime() / 1000);
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(seconds),
    'webhook-signature': new Webhook(secret).sign(messageId, new Date(seconds * 1000), body),
  };
}
