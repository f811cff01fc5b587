import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AuthTestServer,
  type MailCatcher,
  startAuthServer,
  startMailCatcher,
  strongPassword,
} from './auth/support.js';

/**
 * Public sign-up (issue 18): closed by default; open, a business creates its
 * client on the sign-up plan with itself as admin, and a refused sign-up
 * (weak password, taken email, two at once with one email) leaves no client.
 */
describe('public sign-up', () => {
  let mail: MailCatcher;
  let open: AuthTestServer;
  let closed: AuthTestServer;

  beforeAll(async () => {
    mail = await startMailCatcher();
    [open, closed] = await Promise.all([
      startAuthServer({ env: { SMTP_URL: mail.url, PUBLIC_SIGNUP: 'true', SIGNUP_PLAN: 'growth' } }),
      startAuthServer({}),
    ]);
  });
  afterAll(async () => {
    await open?.server.dispose();
    await closed?.server.dispose();
    await mail?.close();
  });

  const body = (email: string, extra: Record<string, unknown> = {}) => ({
    businessName: 'Marigold Dental',
    industry: 'dental',
    name: 'Rosa Marin',
    email,
    password: strongPassword(),
    website: 'https://marigold.example/contact',
    timezone: 'Europe/Madrid',
    ...extra,
  });
  const clients = async (t: AuthTestServer) =>
    Number(
      (await t.server.db.orm.em.fork().execute<Array<{ n: number }>>('select count(*)::int as n from clients'))[0]!.n,
    );

  it('is closed unless the deployment opens it, and creates nothing', async () => {
    expect((await closed.api('/signup')).body).toEqual({ open: false });
    const res = await closed.api('/signup', { body: body('closed@example.com') });
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe('sign-up is not open on this deployment');
    expect(await clients(closed)).toBe(0);
  });

  it('creates the client on the sign-up plan with its owner as admin, who signs in and is asked to verify', async () => {
    expect((await open.api('/signup')).body).toEqual({ open: true });
    const input = body('Rosa@Marigold.example');
    const res = await open.api('/signup', { body: input });
    expect(res.status).toBe(201);
    const session = await open.login('rosa@marigold.example', input.password);
    const me = await open.api('/client', { token: session.accessToken });
    expect(me.body).toMatchObject({
      id: res.body.clientId,
      name: 'Marigold Dental',
      plan: 'growth',
      timezone: 'Europe/Madrid',
      allowedOrigins: ['https://marigold.example'],
    });
    // The dental template's intake questions came with it.
    expect(me.body.config.qualificationQuestions.length).toBeGreaterThan(0);
    expect((await open.api('/auth/me', { token: session.accessToken })).body.user).toMatchObject({ role: 'admin' });
    const m = await mail.waitFor((x) => x.to.includes('rosa@marigold.example'));
    expect(m.text).toContain('/dashboard/verify-email#token=');
  });

  it('refuses a weak password, a taken email and a bad body with clear errors, leaving no client', async () => {
    const before = await clients(open);
    const weak = await open.api('/signup', { body: body('weak@example.com', { password: 'password123' }) });
    expect(weak.status).toBe(400);
    expect(weak.body.error.code).toBe('validation_failed');
    const taken = await open.api('/signup', { body: body('rosa@marigold.example') });
    expect(taken.status).toBe(409);
    expect(taken.body.error.message).toBe('an account with this email already exists: sign in instead');
    const bad = await open.api('/signup', { body: { businessName: '', email: 'nope' } });
    expect(bad.status).toBe(400);
    expect(await clients(open)).toBe(before);
  });

  it('gives one of two sign-ups with the same email at once its client, and leaves no client without an owner', async () => {
    const before = await clients(open);
    const results = await Promise.all([
      open.api('/signup', { body: body('twice@example.com') }),
      open.api('/signup', { body: body('twice@example.com') }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(await clients(open)).toBe(before + 1);
    const orphans = await open.server.db.orm.em
      .fork()
      .execute('select id from clients c where not exists (select 1 from users u where u.client_id = c.id)');
    expect(orphans).toHaveLength(0);
  });
});
