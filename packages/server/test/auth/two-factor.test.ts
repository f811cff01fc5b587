import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveKey } from '../../src/auth/app-secret.js';
import { SecretBox } from '../../src/auth/secret-box.js';
import { User } from '../../src/db/entities/index.js';
import type { createClient } from '../../src/tenants/tenant-service.js';
import { DB_KINDS } from '../support/databases.js';
import { type AuthTestServer, startAuthServer, testClock } from './support.js';

/** RFC 6238 appendix B: the SHA-1 seed "12345678901234567890" in base32, and its codes (last 6 digits). */
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const RFC_VECTORS: Array<[number, string]> = [
  [1111111109, '081804'],
  [1234567890, '005924'],
  [2000000000, '279037'],
];

describe.each(DB_KINDS)('two-factor authentication on %s', (kind) => {
  const clock = testClock();
  let t: AuthTestServer;
  let a: Awaited<ReturnType<typeof createClient>>;
  const codeNow = (secret: string) => generate({ secret, epoch: Math.floor(clock.ms / 1000) });
  const nextStep = () => clock.advance(30_000);

  async function enrol(email: string, password: string) {
    const s = await t.login(email, password);
    const setup = await t.api('/auth/2fa/setup', { token: s.accessToken, body: {} });
    expect(setup.status).toBe(200);
    const enabled = await t.api('/auth/2fa/enable', {
      token: s.accessToken,
      body: { code: await codeNow(setup.body.secret) },
    });
    expect(enabled.status).toBe(200);
    nextStep();
    return { secret: setup.body.secret as string, backupCodes: enabled.body.backupCodes as string[] };
  }
  async function passwordStep(email: string, password: string) {
    const res = await t.api('/auth/login', { body: { email, password, tokenTransport: 'body' } });
    expect(res.status).toBe(200);
    return res.body as { status: string; mfaToken: string; accessToken?: string };
  }

  beforeAll(async () => {
    t = await startAuthServer({ db: kind, clock });
    a = await t.newClient('Two Factor Dental');
  });
  afterAll(async () => {
    await t?.server.dispose();
  });

  it('enrols with a confirmed first code and returns 10 backup codes once', async () => {
    const staff = await t.createStaff({ client: a.client, role: 'agent' });
    const s = await t.login(staff.email, staff.password);
    const setup = await t.api('/auth/2fa/setup', { token: s.accessToken, body: {} });
    expect(setup.body.secret).toMatch(/^[A-Z2-7]{16,}$/);
    expect(setup.body.otpauthUrl).toMatch(/^otpauth:\/\/totp\/Lead%20Desk:/);
    expect(setup.body.otpauthUrl).toContain(`secret=${setup.body.secret}`);
    const wrong = await t.api('/auth/2fa/enable', { token: s.accessToken, body: { code: '000000' } });
    expect(wrong.status).toBe(400);
    const ok = await t.api('/auth/2fa/enable', {
      token: s.accessToken,
      body: { code: await codeNow(setup.body.secret) },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.backupCodes).toHaveLength(10);
    expect(new Set(ok.body.backupCodes).size).toBe(10);
    for (const c of ok.body.backupCodes) expect(c).toMatch(/^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$/);
    const row = await t.server.db.orm.em.fork().findOneOrFail(User, { id: staff.user.id });
    expect(row.totpEnabled).toBe(true);
    expect(row.totpSecret).not.toContain(setup.body.secret); // sealed at rest
    expect(row.backupCodeHashes).toHaveLength(10);
    expect(row.backupCodeHashes.join()).not.toContain(ok.body.backupCodes[0]);
    const me = await t.api('/auth/me', { token: s.accessToken });
    expect(me.body.user.twoFactorEnabled).toBe(true);
  });

  it('checks codes against a known secret and clock (RFC 6238 vectors), once each, within one step', async () => {
    const staff = await t.createStaff({ client: a.client, role: 'manager' });
    await enrol(staff.email, staff.password);
    // Put the RFC seed in place of the generated one, sealed as the server seals it.
    const box = new SecretBox(deriveKey(t.server.config.appSecret!, 'totp-secret-v1'));
    await t.server.db.orm.em
      .fork()
      .nativeUpdate(User, { id: staff.user.id }, { totpSecret: box.seal(RFC_SECRET), totpLastStep: null });

    for (const [epoch, code] of RFC_VECTORS) {
      clock.set(epoch * 1000);
      const step = await passwordStep(staff.email, staff.password);
      expect(step.status).toBe('mfa_required');
      expect(step.accessToken).toBeUndefined();
      const done = await t.api('/auth/login/2fa', { body: { mfaToken: step.mfaToken, code } });
      expect(done.status, `code ${code} at ${epoch}`).toBe(200);
      expect(done.body.status).toBe('authenticated');
      // The same code again (a replay) is refused.
      const again = await passwordStep(staff.email, staff.password);
      const replay = await t.api('/auth/login/2fa', { body: { mfaToken: again.mfaToken, code } });
      expect(replay.status).toBe(401);
    }
    // Three steps (90 s) later a code is stale.
    clock.set((1234567890 + 90) * 1000);
    await t.server.db.orm.em.fork().nativeUpdate(User, { id: staff.user.id }, { totpLastStep: null });
    const late = await passwordStep(staff.email, staff.password);
    expect((await t.api('/auth/login/2fa', { body: { mfaToken: late.mfaToken, code: '005924' } })).status).toBe(401);
    // An earlier step than the last accepted one is refused even inside the window.
    clock.set((1111111109 + 30) * 1000);
    await t.server.db.orm.em.fork().nativeUpdate(User, { id: staff.user.id }, { totpLastStep: 99_999_999 });
    const old = await passwordStep(staff.email, staff.password);
    expect((await t.api('/auth/login/2fa', { body: { mfaToken: old.mfaToken, code: '081804' } })).status).toBe(401);
    clock.set(Date.now());
  });

  it('accepts each backup code once, in any case and spacing', async () => {
    const staff = await t.createStaff({ client: a.client, role: 'agent' });
    const { backupCodes } = await enrol(staff.email, staff.password);
    const first = backupCodes[0]!;
    const step1 = await passwordStep(staff.email, staff.password);
    const used = await t.api('/auth/login/2fa', {
      body: { mfaToken: step1.mfaToken, backupCode: first.toLowerCase().replaceAll('-', ' ') },
    });
    expect(used.status).toBe(200);
    const step2 = await passwordStep(staff.email, staff.password);
    const reused = await t.api('/auth/login/2fa', { body: { mfaToken: step2.mfaToken, backupCode: first } });
    expect(reused.status).toBe(401);
    const second = await t.api('/auth/login/2fa', { body: { mfaToken: step2.mfaToken, backupCode: backupCodes[1] } });
    expect(second.status).toBe(200);
    const row = await t.server.db.orm.em.fork().findOneOrFail(User, { id: staff.user.id });
    expect(row.backupCodeHashes).toHaveLength(8);
  });

  it('counts wrong codes toward the lockout', async () => {
    const staff = await t.createStaff({ client: a.client, role: 'agent' });
    const { secret } = await enrol(staff.email, staff.password);
    const step = await passwordStep(staff.email, staff.password);
    for (let i = 0; i < 5; i++) {
      const res = await t.api('/auth/login/2fa', { body: { mfaToken: step.mfaToken, code: '000000' } });
      expect(res.status).toBe(401);
    }
    const right = await t.api('/auth/login/2fa', { body: { mfaToken: step.mfaToken, code: await codeNow(secret) } });
    expect(right.status).toBe(401);
    expect((await t.api('/auth/login', { body: { email: staff.email, password: staff.password } })).status).toBe(401);
    clock.advance(31 * 60_000);
    expect((await passwordStep(staff.email, staff.password)).status).toBe('mfa_required');
  });

  it('refuses an expired or mis-purposed sign-in step token', async () => {
    const staff = await t.createStaff({ client: a.client, role: 'agent' });
    const { secret } = await enrol(staff.email, staff.password);
    const step = await passwordStep(staff.email, staff.password);
    clock.advance(6 * 60_000);
    const expired = await t.api('/auth/login/2fa', { body: { mfaToken: step.mfaToken, code: await codeNow(secret) } });
    expect(expired.status).toBe(401);
    expect(expired.body.error.message).toMatch(/sign in again/);
    const setupUse = await t.api('/auth/2fa/setup', { body: { mfaToken: step.mfaToken } });
    expect(setupUse.status).toBe(401);
  });

  it('regenerates backup codes (old ones stop working) and disables 2FA with password and code', async () => {
    const staff = await t.createStaff({ client: a.client, role: 'admin' });
    const { secret, backupCodes } = await enrol(staff.email, staff.password);
    const step = await passwordStep(staff.email, staff.password);
    const s = await t.api('/auth/login/2fa', { body: { mfaToken: step.mfaToken, code: await codeNow(secret) } });
    nextStep();
    const regen = await t.api('/auth/2fa/backup-codes', {
      token: s.body.accessToken,
      body: { code: await codeNow(secret) },
    });
    nextStep();
    expect(regen.body.backupCodes).toHaveLength(10);
    const step2 = await passwordStep(staff.email, staff.password);
    expect(
      (await t.api('/auth/login/2fa', { body: { mfaToken: step2.mfaToken, backupCode: backupCodes[2] } })).status,
    ).toBe(401);
    const badDisable = await t.api('/auth/2fa/disable', {
      token: s.body.accessToken,
      body: { password: 'wrong-password-1234', code: await codeNow(secret) },
    });
    expect(badDisable.status).toBe(401);
    const disable = await t.api('/auth/2fa/disable', {
      token: s.body.accessToken,
      body: { password: staff.password, code: await codeNow(secret) },
    });
    expect(disable.status).toBe(200);
    expect((await passwordStep(staff.email, staff.password)).status).toBe('authenticated');
  });

  it('lets a client make 2FA mandatory: staff enrol during sign-in before they get a session', async () => {
    const c = await t.newClient('Strict Clinic');
    const staff = await t.createStaff({ client: c.client, role: 'agent' });
    const before = await t.login(staff.email, staff.password); // not required yet
    const flag = await t.api('/client', { method: 'PATCH', token: c.apiKey, body: { config: { require2fa: true } } });
    expect(flag.status).toBe(200);
    expect(flag.body.config.require2fa).toBe(true);
    // An existing session cannot be renewed without 2FA.
    expect((await t.api('/auth/refresh', { body: { refreshToken: before.refreshToken } })).status).toBe(401);

    const step = await passwordStep(staff.email, staff.password);
    expect(step.status).toBe('mfa_setup_required');
    expect(step.accessToken).toBeUndefined();
    expect((await t.api('/auth/login/2fa', { body: { mfaToken: step.mfaToken, code: '123456' } })).status).toBe(401);
    const setup = await t.api('/auth/2fa/setup', { body: { mfaToken: step.mfaToken } });
    expect(setup.status).toBe(200);
    const enabled = await t.api('/auth/2fa/enable', {
      body: { mfaToken: step.mfaToken, code: await codeNow(setup.body.secret), tokenTransport: 'body' },
    });
    expect(enabled.status).toBe(200);
    expect(enabled.body).toMatchObject({ status: 'authenticated', backupCodes: expect.any(Array) });
    expect(enabled.body.backupCodes).toHaveLength(10);
    const me = await t.api('/auth/me', { token: enabled.body.accessToken });
    expect(me.body.user.twoFactorEnabled).toBe(true);
    expect(me.body.client.require2fa).toBe(true);
    nextStep();
    const disable = await t.api('/auth/2fa/disable', {
      token: enabled.body.accessToken,
      body: { password: staff.password, code: await codeNow(setup.body.secret) },
    });
    expect(disable.status).toBe(403);
    expect((await passwordStep(staff.email, staff.password)).status).toBe('mfa_required');
  });
});
