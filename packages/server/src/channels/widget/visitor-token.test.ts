import { describe, expect, it } from 'vitest';
import { VisitorTokens } from './visitor-token.js';

const SECRET = 'a-test-app-secret-of-at-least-32-characters';
const TENANT_A = '0b6f3a52-4a43-4d55-9a4e-3f0c2d1b5a01';
const TENANT_B = '5c1e9d7a-2b8f-4e61-8c3d-7a9b0e2f4c02';

describe('VisitorTokens', () => {
  it('issues a v_ + 128-bit hex id with a token that verifies to it, on any process with the same APP_SECRET', () => {
    const { visitorId, token } = VisitorTokens.fromAppSecret(SECRET).issue(TENANT_A);
    expect(visitorId).toMatch(/^v_[0-9a-f]{32}$/);
    expect(token).toMatch(new RegExp(`^${visitorId}\\.[A-Za-z0-9_-]{43}$`));
    // Another process: a new instance from the same secret.
    expect(VisitorTokens.fromAppSecret(SECRET).verify(TENANT_A, token)).toBe(visitorId);
  });

  it('refuses a token of another tenant, of another APP_SECRET, and anything not a string', () => {
    const tokens = VisitorTokens.fromAppSecret(SECRET);
    const { token } = tokens.issue(TENANT_A);
    expect(tokens.verify(TENANT_B, token)).toBeNull();
    expect(VisitorTokens.fromAppSecret(`${SECRET}-rotated`).verify(TENANT_A, token)).toBeNull();
    for (const value of [undefined, null, 42, { token }, [token], `${token} `, ` ${token}`, `${token}.x`]) {
      expect(tokens.verify(TENANT_A, value)).toBeNull();
    }
  });

  it('gives two visitors different ids and the same visitor the same token every time', () => {
    const tokens = VisitorTokens.fromAppSecret(SECRET);
    const a = tokens.issue(TENANT_A);
    const b = tokens.issue(TENANT_A);
    expect(a.visitorId).not.toBe(b.visitorId);
    expect(tokens.tokenFor(TENANT_A, a.visitorId)).toBe(a.token);
    // Never a token that opens visitor b with a's tag.
    expect(tokens.verify(TENANT_A, `${b.visitorId}.${a.token.split('.')[1]}`)).toBeNull();
  });
});
