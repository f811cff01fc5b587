import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AuthTestServer,
  logCapture,
  type MailCatcher,
  refreshCookie,
  startAuthServer,
  startMailCatcher,
  strongPassword,
  tokenFromMail,
} from './support.js';

/**
 * Runs every auth flow with the server logging at trace level into a buffer,
 * then checks that no password, token, code, secret or stored hash appears in
 * any log line, nor in any API response other than the one that hands it out.
 */
describe('secrets never reach logs or API responses', () => {
  const logs = logCapture();
  let mail: MailCatcher;
  let t: AuthTestServer;
  const issued = new Map<string, string>(); // secret → the response path allowed to carry it
  const passwords: string[] = [];

  beforeAll(async () => {
    mail = await startMailCatcher();
    t = await startAuthServer({ logStream: logs.stream, env: { LOG_LEVEL: 'trace', SMTP_URL: mail.url } });
  });
  afterAll(async () => {
    await t?.server.dispose();
    await mail?.close();
  });

  it('runs the auth flows', async () => {
    const a = await t.newClient('Secret Dental');
    issued.set(a.apiKey, 'created in-process');
    const admin = await t.createStaff({ client: a.client, role: 'admin' });
    passwords.push(admin.password, 'Wrong-Password-123456', 'password123');

    await t.api('/auth/login', { body: { email: admin.email, password: 'Wrong-Password-123456' } });
    await t.api('/auth/login', { body: { email: 'ghost@example.com', password: 'Wrong-Password-123456' } });
    const cookieLogin = await t.api('/auth/login', { body: { email: admin.email, password: admin.password } });
    const cookie = refreshCookie(cookieLogin.headers)!.value;
    issued.set(cookie, 'set-cookie');
    issued.set(cookieLogin.body.accessToken, '/auth/login');
    const refreshed = await t.api('/auth/refresh', { method: 'POST', headers: { cookie: `ld_refresh=${cookie}` } });
    issued.set(refreshCookie(refreshed.headers)!.value, 'set-cookie');
    issued.set(refreshed.body.accessToken, '/auth/refresh');
    const token = refreshed.body.accessToken as string;

    const setup = await t.api('/auth/2fa/setup', { token, body: {} });
    issued.set(setup.body.secret, '/auth/2fa/setup');
    const enable = await t.api('/auth/2fa/enable', {
      token,
      body: { code: await generate({ secret: setup.body.secret }) },
    });
    for (const c of enable.body.backupCodes) issued.set(c, '/auth/2fa/enable');
    const step = await t.api('/auth/login', {
      body: { email: admin.email, password: admin.password, tokenTransport: 'body' },
    });
    issued.set(step.body.mfaToken, '/auth/login');
    const mfa = await t.api('/auth/login/2fa', {
      body: { mfaToken: step.body.mfaToken, backupCode: enable.body.backupCodes[0], tokenTransport: 'body' },
    });
    issued.set(mfa.body.accessToken, '/auth/login/2fa');
    issued.set(mfa.body.refreshToken, '/auth/login/2fa');
    const bodyRefresh = await t.api('/auth/refresh', { body: { refreshToken: mfa.body.refreshToken } });
    issued.set(bodyRefresh.body.refreshToken, '/auth/refresh');
    issued.set(bodyRefresh.body.accessToken, '/auth/refresh');
    await t.api('/auth/refresh', { body: { refreshToken: mfa.body.refreshToken } }); // reuse → family revoked

    const adminToken = (await (async () => {
      const s = await t.api('/auth/login', { body: { email: admin.email, password: admin.password } });
      issued.set(s.body.mfaToken, '/auth/login');
      const done = await t.api('/auth/login/2fa', {
        body: { mfaToken: s.body.mfaToken, backupCode: enable.body.backupCodes[1] },
      });
      issued.set(done.body.accessToken, '/auth/login/2fa');
      issued.set(refreshCookie(done.headers)!.value, 'set-cookie');
      return done.body.accessToken;
    })()) as string;

    await t.api('/users/invitations', { token: adminToken, body: { email: 'ivy@example.com', role: 'agent' } });
    const invite = tokenFromMail(await mail.waitFor((m) => m.to.includes('ivy@example.com')));
    issued.set(invite, 'email');
    const ivyPassword = strongPassword();
    passwords.push(ivyPassword);
    await t.api('/auth/invitations/accept', { body: { token: invite, password: 'password123' } });
    await t.api('/auth/invitations/accept', { body: { token: invite, password: ivyPassword } });

    await t.api('/auth/password/forgot', { body: { email: 'ivy@example.com' } });
    const reset = tokenFromMail(
      await mail.waitFor((m) => m.to.includes('ivy@example.com') && /reset/i.test(m.subject)),
    );
    issued.set(reset, 'email');
    const newPassword = strongPassword();
    passwords.push(newPassword);
    await t.api('/auth/password/reset', { body: { token: reset, password: newPassword } });
    const ivy = await t.login('ivy@example.com', newPassword);
    issued.set(ivy.accessToken, '/auth/login');
    issued.set(ivy.refreshToken, '/auth/login');
    await t.api('/auth/email/verification', { method: 'POST', token: ivy.accessToken });

    const rotated = await t.api('/client/api-key/rotate', { method: 'POST', token: adminToken });
    issued.set(rotated.body.apiKey, '/client/api-key/rotate');
    await t.api('/auth/logout', { method: 'POST', token: ivy.accessToken });

    // The read endpoints, whose answers must carry no secret at all:
    for (const path of ['/auth/me', '/auth/sessions', '/users', '/audit-logs?pageSize=100', '/client']) {
      const res = await t.api(path, { token: adminToken });
      expect(res.status, path).toBe(200);
    }
    expect(issued.size).toBeGreaterThan(20);
  });

  it('finds none of them, nor any stored hash, in the log', async () => {
    const conn = t.server.db.orm.em.getConnection();
    const hashes = [
      ...(await conn.execute<{ v: string }[]>('select password_hash as v from users where password_hash is not null')),
      ...(await conn.execute<{ v: string }[]>('select totp_secret as v from users where totp_secret is not null')),
      ...(await conn.execute<{ v: string }[]>('select jsonb_array_elements_text(backup_code_hashes) as v from users')),
      ...(await conn.execute<{ v: string }[]>('select refresh_token_hash as v from user_sessions')),
      ...(await conn.execute<{ v: string }[]>('select token_hash as v from auth_tokens')),
      ...(await conn.execute<{ v: string }[]>('select api_key_hash as v from clients')),
    ].map((r) => r.v);
    expect(hashes.length).toBeGreaterThanOrEqual(15);
    const secrets = [...issued.keys(), ...passwords, ...hashes, t.server.config.appSecret!];
    expect(logs.lines.length).toBeGreaterThan(20);
    const leaks = logs.lines.flatMap((line) => secrets.filter((s) => line.includes(s)).map((s) => `${s} in ${line}`));
    expect(leaks).toEqual([]);
    // The log did record the work (so the check above looked at something).
    expect(logs.lines.some((l) => l.includes('/api/v1/auth/login'))).toBe(true);
    expect(logs.lines.some((l) => l.includes('refresh token reuse'))).toBe(true);
    expect(logs.lines.some((l) => l.includes('"authorization":"[redacted]"'))).toBe(true);

    // Responses: hashes and passwords never; issued secrets only in the response that hands them out.
    const neverInResponses = [...passwords, ...hashes, t.server.config.appSecret!];
    expect(t.responses.flatMap((r) => neverInResponses.filter((s) => r.includes(s)))).toEqual([]);
    for (const [secret] of issued) {
      const carrying = t.responses.filter((r) => r.includes(secret));
      expect(carrying.length, `secret from ${issued.get(secret)}`).toBeLessThanOrEqual(1);
    }
  });
});
