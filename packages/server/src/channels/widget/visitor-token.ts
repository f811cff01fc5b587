import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { deriveKey } from '../../auth/app-secret.js';

/**
 * A widget visitor's credential. Whoever presents a visitor's token reads and
 * continues their conversation, so the server only accepts tokens it issued:
 *
 *   token = `${visitorId}.${base64url(HMAC-SHA256(key, `${clientId}.${visitorId}`))}`
 *   visitorId = `v_` + 128 random bits in hex (the form stored in conversations)
 *
 * The key is derived from APP_SECRET for this purpose only, so tokens need no
 * storage and every process that shares APP_SECRET verifies them. The tag is
 * bound to the tenant: a token of one site key opens nothing on another.
 * Tokens do not expire (a visitor's open conversation is reused whatever its
 * age); rotating APP_SECRET invalidates them all.
 *
 * The visitor id alone is not a credential any more: it also appears in lead
 * handles (`web`), in the API, in webhooks and CRM exports, and a bare id,
 * a forged or tampered token, or another tenant's token gets a new visitor.
 */
export interface IssuedVisitor {
  visitorId: string;
  token: string;
}

const TOKEN_RE = /^(v_[0-9a-f]{32})\.([A-Za-z0-9_-]{43})$/;

export class VisitorTokens {
  private constructor(private readonly key: Uint8Array) {}

  /** The tokens of this deployment (every process with the same APP_SECRET agrees). */
  static fromAppSecret(appSecret: string): VisitorTokens {
    return new VisitorTokens(deriveKey(appSecret, 'widget-visitor-token-v1'));
  }

  /** A new visitor of `clientId`, with the token the widget keeps. */
  issue(clientId: string): IssuedVisitor {
    const visitorId = `v_${randomBytes(16).toString('hex')}`;
    return { visitorId, token: this.tokenFor(clientId, visitorId) };
  }

  tokenFor(clientId: string, visitorId: string): string {
    return `${visitorId}.${this.tag(clientId, visitorId)}`;
  }

  /**
   * The visitor id of a token this server issued for `clientId`, or null for
   * anything else (no reason given: the caller starts a new visitor either way,
   * so nothing tells a prober whether an id exists).
   */
  verify(clientId: string, token: unknown): string | null {
    if (typeof token !== 'string') return null;
    const match = TOKEN_RE.exec(token);
    if (!match) return null;
    const [, visitorId, tag] = match as unknown as [string, string, string];
    // Compared as text, not decoded bytes: base64url decoding ignores the spare bits
    // of the last character, so a decoded comparison would accept altered tags.
    const expected = Buffer.from(this.tag(clientId, visitorId), 'ascii');
    const given = Buffer.from(tag, 'ascii');
    return given.length === expected.length && timingSafeEqual(given, expected) ? visitorId : null;
  }

  private tag(clientId: string, visitorId: string): string {
    return createHmac('sha256', this.key).update(`${clientId}.${visitorId}`).digest('base64url');
  }
}
