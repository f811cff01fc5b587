import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthToken, User } from '../../src/db/entities/index.js';
import type { createClient } from '../../src/tenants/tenant-service.js';
import { DB_KINDS } from '../support/databases.js';
import { startFakeSendGrid, waitFor } from '../support/fake-providers.js';
import {
  type AuthTestServer,
  logCapture,
  type MailCatcher,
  startAuthServer,
  startMailCatcher,
  strongPassword,
  testClock,
  tokenFromMail,
} from './support.js';

const HOUR = 3_600_000;

describe.each(DB_KINDS)('invitations, password reset and email verification on %s', (kind) => {
  const clock = testClock();
  let mail: MailCatcher;
  let t: AuthTestServer;
  let a: Awaited<ReturnType<typeof createClient>>;
  let admin: Awaited<ReturnType<AuthTestServer['createStaff']>>;
  let adminToken: string;

  beforeAll(async () => {
    mail = await startMailCatcher();
    t = await startAuthServer({ db: kind, clock, env: { SMTP_URL: mail.url } });
    a = await t.newClient('Invite Dental');
    admin = await t.createStaff({ client: a.client, role: 'admin' });
    adminToken = (await t.login(admin.email, admin.password)).accessToken;
  });
  afterAll(async () => {
    await t?.server.dispose();
    await mail?.close();
  });

  const invite = (email: string, role = 'agent') =>
    t.api('/users/invitations', { token: adminToken, body: { email, role, name: 'New Person' } });

  it('invites by email with a single-use link; a weak password is refused with a reason and does not spend it', async () => {
    const res = await invite('Nina@Example.com');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      email: 'nina@example.com',
      role: 'agent',
      status: 'invited',
      clientId: a.client.id,
    });
    expect(res.text).not.toMatch(/ld_inv_/);
    const m = await mail.waitFor((x) => x.to.includes('nina@example.com'));
    expect(m.subject).toContain('Invite Dental');
    expect(m.text).toContain(`${t.server.url}/dashboard/accept-invitation#token=`);
    const token = tokenFromMail(m);
    const stored = await t.server.db.orm.em.fork().findOneOrFail(AuthToken, { user: res.body.id });
    expect(stored.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.tokenHash).not.toBe(token);

    const weak = await t.api('/auth/invitations/accept', { body: { token, password: 'password123' } });
    expect(weak.status).toBe(400);
    expect(weak.body.error.code).toBe('validation_failed');
    expect(weak.body.error.message).toMatch(/too easy to guess|at least/);
    const short = await t.api('/auth/invitations/accept', { body: { token, password: 'Ab1!' } });
    expect(short.body.error.message).toBe('password must be at least 10 characters');
    const named = await t.api('/auth/invitations/accept', { body: { token, password: 'nina@example.com1' } });
    expect(named.status).toBe(400);

    const password = strongPassword();
    const ok = await t.api('/auth/invitations/accept', { body: { token, name: 'Nina', password } });
    expect(ok.status).toBe(200);
    expect(ok.body.user).toMatchObject({ name: 'Nina', status: 'active', emailVerified: true });
    expect((await t.api('/auth/invitations/accept', { body: { token, password: strongPassword() } })).status).toBe(400);
    const s = await t.login('nina@example.com', password);
    const me = await t.api('/auth/me', { token: s.accessToken });
    expect(me.body.user.role).toBe('agent');
    const audit = await t.api('/audit-logs?pageSize=100', { token: adminToken });
    const actions = audit.body.data.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['users.invited', 'auth.invitation_accepted']));
  });

  it('expires invitations, and a re-sent invitation replaces the earlier link', async () => {
    await invite('olga@example.com');
    const first = tokenFromMail(await mail.waitFor((x) => x.to.includes('olga@example.com')));
    clock.advance(73 * HOUR);
    const expired = await t.api('/auth/invitations/accept', { body: { token: first, password: strongPassword() } });
    expect(expired.status).toBe(400);
    expect(expired.body.error.message).toMatch(/invalid, has expired or was already used/);
    adminToken = (await t.login(admin.email, admin.password)).accessToken; // the old one expired too
    const count = mail.messages.length;
    expect((await invite('olga@example.com', 'viewer')).status).toBe(201);
    await mail.waitFor((x) => x.to.includes('olga@example.com') && mail.messages.indexOf(x) >= count);
    const second = tokenFromMail(mail.messages.filter((x) => x.to.includes('olga@example.com')).at(-1)!);
    expect(second).not.toBe(first);
    const ok = await t.api('/auth/invitations/accept', { body: { token: second, password: strongPassword() } });
    expect(ok.body.user.role).toBe('viewer');
    // An active account cannot be invited again, nor a super admin role granted.
    expect((await invite('olga@example.com')).status).toBe(409);
    expect((await invite('zed@example.com', 'super_admin')).status).toBe(400);
  });

  it('resets a password with a single-use, expiring link and ends every session', async () => {
    const user = await t.createStaff({ client: a.client, role: 'agent', email: 'pete@example.com' });
    const session = await t.login(user.email, user.password);
    const unknown = await t.api('/auth/password/forgot', { body: { email: 'nobody@example.com' } });
    const known = await t.api('/auth/password/forgot', { body: { email: 'PETE@example.com' } });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(unknown.text).toBe(known.text);
    const m = await mail.waitFor((x) => x.to.includes('pete@example.com') && /reset/i.test(x.subject));
    expect(m.text).toContain('/dashboard/reset-password#token=');
    const token = tokenFromMail(m);
    await new Promise((r) => setTimeout(r, 200));
    expect(mail.messages.some((x) => x.to.includes('nobody@example.com'))).toBe(false);

    const weak = await t.api('/auth/password/reset', { body: { token, password: 'qwertyuiop' } });
    expect(weak.status).toBe(400);
    const password = strongPassword();
    const ok = await t.api('/auth/password/reset', { body: { token, password } });
    expect(ok.status).toBe(200);
    expect((await t.api('/auth/password/reset', { body: { token, password: strongPassword() } })).status).toBe(400);
    expect((await t.api('/auth/me', { token: session.accessToken })).status).toBe(401);
    expect((await t.api('/auth/login', { body: { email: user.email, password: user.password } })).status).toBe(401);
    await t.login(user.email, password);

    const count = mail.messages.filter((x) => x.to.includes('pete@example.com')).length;
    await t.api('/auth/password/forgot', { body: { email: 'pete@example.com' } });
    await mail.waitFor(() => mail.messages.filter((x) => x.to.includes('pete@example.com')).length > count);
    const late = tokenFromMail(mail.messages.filter((x) => x.to.includes('pete@example.com')).at(-1)!);
    expect(late).not.toBe(token);
    clock.advance(61 * 60_000);
    expect((await t.api('/auth/password/reset', { body: { token: late, password: strongPassword() } })).status).toBe(
      400,
    );
  });

  it('resetting also lifts a lockout', async () => {
    const user = await t.createStaff({ client: a.client, role: 'agent', email: 'quinn@example.com' });
    for (let i = 0; i < 5; i++)
      await t.api('/auth/login', { body: { email: user.email, password: 'nope-nope-nope-1' } });
    const locked = await t.server.db.orm.em.fork().findOneOrFail(User, { id: user.user.id });
    expect(locked.lockedUntil).not.toBeNull();
    await t.api('/auth/password/forgot', { body: { email: user.email } });
    const token = tokenFromMail(await mail.waitFor((x) => x.to.includes('quinn@example.com')));
    const password = strongPassword();
    expect((await t.api('/auth/password/reset', { body: { token, password } })).status).toBe(200);
    await t.login(user.email, password);
  });

  it('verifies an email address once', async () => {
    const user = await t.createStaff({ client: a.client, role: 'viewer', email: 'rita@example.com' });
    const s = await t.login(user.email, user.password);
    expect((await t.api('/auth/me', { token: s.accessToken })).body.user.emailVerified).toBe(false);
    const req = await t.api('/auth/email/verification', { method: 'POST', token: s.accessToken });
    expect(req.status).toBe(202);
    const token = tokenFromMail(await mail.waitFor((x) => x.to.includes('rita@example.com')));
    expect((await t.api('/auth/email/verify', { body: { token } })).status).toBe(200);
    expect((await t.api('/auth/email/verify', { body: { token } })).status).toBe(400);
    expect((await t.api('/auth/me', { token: s.accessToken })).body.user.emailVerified).toBe(true);
    expect((await t.api('/auth/email/verification', { method: 'POST', token: s.accessToken })).status).toBe(409);
  });
});

describe('account emails without SMTP in development', () => {
  it('prints the link to the log at info level, and nothing else secret', async () => {
    const logs = logCapture();
    const t = await startAuthServer({ logStream: logs.stream, env: { LOG_LEVEL: 'info', NODE_ENV: 'development' } });
    try {
      const a = await t.newClient('Log Dental');
      const user = await t.createStaff({ client: a.client, role: 'agent', email: 'sam@example.com' });
      await t.api('/auth/password/forgot', { body: { email: user.email } });
      const deadline = Date.now() + 20_000;
      let line: string | undefined;
      while (!line && Date.now() < deadline) {
        line = logs.lines.find((l) => l.includes('development link'));
        await new Promise((r) => setTimeout(r, 25));
      }
      const entry = JSON.parse(line!);
      expect(entry.level).toBe(30);
      // The address itself is personal data, replaced in every log line (LOG_REDACT_PERSONAL_DATA, docs/privacy.md).
      expect(entry.to).toBe('[email]');
      expect(entry.link).toMatch(/\/dashboard\/reset-password#token=ld_rst_/);
      const token = decodeURIComponent(entry.link.split('#token=')[1]);
      expect(Object.keys(entry).sort()).toEqual([
        'hostname',
        'level',
        'link',
        'msg',
        'name',
        'pid',
        'subject',
        'time',
        'to',
      ]);
      expect(logs.lines.filter((l) => l.includes(token))).toHaveLength(1);
      expect((await t.api('/auth/password/reset', { body: { token, password: strongPassword() } })).status).toBe(200);
    } finally {
      await t.server.dispose();
    }
  });
});

describe('account emails through SendGrid (the channels mailer, no SMTP server)', () => {
  let sendgrid: Awaited<ReturnType<typeof startFakeSendGrid>>;
  let t: AuthTestServer;

  beforeAll(async () => {
    sendgrid = await startFakeSendGrid();
    t = await startAuthServer({
      env: {
        SENDGRID_API_KEY: 'SG.test-key',
        SENDGRID_BASE_URL: sendgrid.url,
        EMAIL_FROM: 'Lead Desk <desk@example.com>',
      },
    });
  });
  afterAll(async () => {
    await t?.server.dispose();
    await sendgrid?.close();
  });

  it('sends the invitation with its link in the text and as an escaped HTML link', async () => {
    const a = await t.newClient('Grid <Dental>');
    const admin = await t.createStaff({ client: a.client, role: 'admin' });
    const token = (await t.login(admin.email, admin.password)).accessToken;
    const res = await t.api('/users/invitations', { token, body: { email: 'omar@example.com', role: 'agent' } });
    expect(res.status).toBe(201);
    const sent = await waitFor(() => sendgrid.requests.find((r) => r.path.endsWith('/v3/mail/send')));
    expect(sent.headers.authorization).toBe('Bearer SG.test-key');
    const mail = sent.json as {
      personalizations: Array<{ to: Array<{ email: string }> }>;
      from: { email: string; name?: string };
      subject: string;
      content: Array<{ type: string; value: string }>;
    };
    expect(mail.personalizations[0]?.to).toEqual([{ email: 'omar@example.com' }]);
    expect(mail.from).toEqual({ email: 'desk@example.com', name: 'Lead Desk' });
    expect(mail.subject).toContain('Grid <Dental>');
    const text = mail.content.find((c) => c.type === 'text/plain')?.value ?? '';
    const html = mail.content.find((c) => c.type === 'text/html')?.value ?? '';
    const link = /(http:\/\/\S+#token=\S+)/.exec(text)?.[1];
    expect(link).toBeDefined();
    expect(html).toContain(`<a href="${link}">`);
    expect(html).toContain('Grid &lt;Dental&gt;');
  });
});
