import { randomUUID } from 'node:crypto';
import type { Role } from '@leaddesk/shared';
import { jwtVerify, SignJWT } from 'jose';

/**
 * Short-lived HS256 JWTs. Access tokens say who (sub), which session (sid)
 * and which client (cid); the server still loads the user and session on each
 * request, so a logout or role change applies at once. MFA tokens only carry a
 * half-finished login (password accepted, second factor pending) for 5 minutes.
 */
const ISSUER = 'leaddesk';
const ACCESS_AUDIENCE = 'leaddesk:access';
const MFA_AUDIENCE = 'leaddesk:mfa';
export const MFA_TOKEN_TTL_SECONDS = 300;

export interface AccessClaims {
  userId: string;
  sessionId: string;
  clientId: string | null;
  role: Role;
}

export type MfaPurpose = 'verify' | 'setup';
export interface MfaClaims {
  userId: string;
  purpose: MfaPurpose;
}

export class TokenSigner {
  constructor(
    private readonly accessKey: Uint8Array,
    private readonly mfaKey: Uint8Array,
    private readonly accessTtlSeconds: number,
    private readonly now: () => Date,
  ) {}

  get accessTtl(): number {
    return this.accessTtlSeconds;
  }

  signAccess(claims: AccessClaims): Promise<string> {
    return this.sign(
      { sid: claims.sessionId, cid: claims.clientId, role: claims.role },
      claims.userId,
      ACCESS_AUDIENCE,
      this.accessTtlSeconds,
      this.accessKey,
    );
  }

  async verifyAccess(token: string): Promise<AccessClaims | null> {
    const payload = await this.verify(token, ACCESS_AUDIENCE, this.accessKey);
    if (!payload || typeof payload.sid !== 'string' || typeof payload.sub !== 'string') return null;
    return {
      userId: payload.sub,
      sessionId: payload.sid,
      clientId: typeof payload.cid === 'string' ? payload.cid : null,
      role: payload.role as Role,
    };
  }

  signMfa(claims: MfaClaims): Promise<string> {
    return this.sign({ purpose: claims.purpose }, claims.userId, MFA_AUDIENCE, MFA_TOKEN_TTL_SECONDS, this.mfaKey);
  }

  async verifyMfa(token: string): Promise<MfaClaims | null> {
    const payload = await this.verify(token, MFA_AUDIENCE, this.mfaKey);
    if (!payload || typeof payload.sub !== 'string') return null;
    if (payload.purpose !== 'verify' && payload.purpose !== 'setup') return null;
    return { userId: payload.sub, purpose: payload.purpose };
  }

  private sign(
    payload: Record<string, unknown>,
    subject: string,
    audience: string,
    ttl: number,
    key: Uint8Array,
  ): Promise<string> {
    const iat = Math.floor(this.now().getTime() / 1000);
    return new SignJWT(payload)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setAudience(audience)
      .setSubject(subject)
      .setJti(randomUUID())
      .setIssuedAt(iat)
      .setExpirationTime(iat + ttl)
      .sign(key);
  }

  private async verify(token: string, audience: string, key: Uint8Array) {
    try {
      const { payload } = await jwtVerify(token, key, {
        issuer: ISSUER,
        audience,
        algorithms: ['HS256'],
        currentDate: this.now(),
      });
      return payload;
    } catch {
      return null;
    }
  }
}
