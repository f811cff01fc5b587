import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signMetaBody } from '../src/channels/whatsapp/verify-signature.js';
import type { createClient } from '../src/tenants/tenant-service.js';
import { type AuthTestServer, type MailCatcher, startAuthServer, startMailCatcher } from './auth/support.js';
import { DB_KINDS } from './support/databases.js';

const TELEPHONY_SECRET = 'platform-telephony-secret-0123456789';
const META_SECRET = 'platform-meta-app-secret-0123456789';

/**
 * Plans and their limits, through the API: seats (invitations, members enabled
 * again, two processes' worth of invitations at once), provider channels
 * (connecting, inbound webhooks on the platform's own accounts) and plan
 * changes that would leave a tenant over its plan. Tiers are the operator's
 * (PLAN_* env): starter has 3 seats and SMS; growth 5 seats and every channel.
 */
describe.each(DB_KINDS)('plans and limits on %s', (kind) => {
  let mail: MailCatcher;
  let t: AuthTestServer;
  let a: Awaited<ReturnType<typeof createClient>>;
  let adminToken: string;
  let superToken: string;

  beforeAll(async () => {
    mail = await startMailCatcher();
    t = await startAuthServer({
      db: kind,
      env: {
        SMTP_URL: mail.url,
        PLAN_SEATS_STARTER: '3',
        PLAN_CHANNELS_STARTER: 'sms',
        PLAN_SEATS_GROWTH: '5',
        TELEPHONY_WEBHOOK_SECRET: TELEPHONY_SECRET,
        META_APP_SECRET: META_SECRET,
      },
    });
    a = await t.newClient('Seat Dental', 'starter');
    const admin = await t.createStaff({ client: a.client, role: 'admin' });
    adminToken = (await t.login(admin.email, admin.password)).accessToken;
    const root = await t.createStaff({ client: null, role: 'super_admin' });
    superToken = (await t.login(root.email, root.password)).accessToken;
  });
  afterAll(async () => {
    await t?.server.dispose();
    await mail?.close();
  });

  const invite = (email: string) =>
    t.api('/users/invitations', { token: adminToken, body: { email, role: 'agent', name: 'New Person' } });
  const seatRows = async () =>
    Number(
      (
        await t.server.db.orm.em
          .fork()
          .execute<Array<{ n: number }>>(
            'select count(*)::int as n from users where client_id = ? and disabled_at is null',
            [a.client.id],
          )
      )[0]!.n,
    );
  const setPlan = (plan: string) =>
    t.api(`/admin/clients/${a.client.id}`, { method: 'PATCH', token: superToken, body: { plan } });

  it('shows the plan, its limits and what is in use', async () => {
    const res = await t.api('/plan', { token: adminToken });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      plan: 'starter',
      limits: { seats: 3, channels: ['web', 'web_form', 'sms', 'email'], monthlyTokens: 500_000 },
      usage: { seats: 1, channels: [], monthlyTokens: 0 },
    });
  });

  it('refuses an invitation past the seats with a clear error and stores nothing; a re-invitation takes no new seat', async () => {
    expect((await invite('one@example.com')).status).toBe(201);
    expect((await invite('two@example.com')).status).toBe(201);
    const over = await invite('three@example.com');
    expect(over.status).toBe(403);
    expect(over.body.error.code).toBe('plan_limit_reached');
    expect(over.body.error.message).toMatch(/all 3 seats of the starter plan are in use/);
    expect(await seatRows()).toBe(3);
    expect(
      await t.server.db.orm.em.fork().execute('select 1 from users where email = ?', ['three@example.com']),
    ).toHaveLength(0);
    // The pending invitation is sent again: it already holds its seat.
    expect((await invite('Two@Example.com')).status).toBe(201);
    expect((await t.api('/plan', { token: adminToken })).body.usage.seats).toBe(3);
  });

  it('frees a seat when a member is disabled, and refuses to enable them again while the seats are full', async () => {
    const list = await t.api('/users', { token: adminToken });
    const two = list.body.data.find((u: { email: string }) => u.email === 'two@example.com');
    expect(
      (await t.api(`/users/${two.id}`, { method: 'PATCH', token: adminToken, body: { disabled: true } })).status,
    ).toBe(200);
    expect((await invite('four@example.com')).status).toBe(201);
    const again = await t.api(`/users/${two.id}`, { method: 'PATCH', token: adminToken, body: { disabled: false } });
    expect(again.status).toBe(403);
    expect(again.body.error.code).toBe('plan_limit_reached');
    expect(await seatRows()).toBe(3);
  });

  it('gives the last seat to exactly one of several invitations sent at once', async () => {
    expect((await setPlan('growth')).status).toBe(200); // 5 seats: 2 free
    expect((await invite('five@example.com')).status).toBe(201);
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => invite(`race-${i}@example.com`)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 403)).toHaveLength(5);
    expect(await seatRows()).toBe(5);
  });

  it('refuses a move to a plan the tenant is over, naming why, and changes nothing', async () => {
    const res = await setPlan('starter');
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe('cannot move to the starter plan: 5 seats are in use and it includes 3');
    expect((await t.api('/plan', { token: adminToken })).body.plan).toBe('growth');
  });

  it('connects only the channels of the plan, and refuses a downgrade that would leave one connected', async () => {
    const whatsapp = { phoneNumberId: '109876543210', accessToken: 'EAAG-test-token-1234', appSecret: 'own-secret-1' };
    // Growth includes WhatsApp.
    expect((await t.api('/channels/whatsapp', { method: 'PATCH', token: adminToken, body: whatsapp })).status).toBe(
      200,
    );
    const b = await t.newClient('Starter Hotel', 'starter');
    const bAdmin = await t.createStaff({ client: b.client, role: 'admin' });
    const bToken = (await t.login(bAdmin.email, bAdmin.password)).accessToken;
    const refused = await t.api('/channels/whatsapp', {
      method: 'PATCH',
      token: bToken,
      body: { ...whatsapp, phoneNumberId: '109876543299' },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({
      code: 'plan_limit_reached',
      message: expect.stringMatching(/the starter plan does not include WhatsApp/),
    });
    expect((await t.api('/channels', { token: bToken })).body.whatsapp).toEqual({ configured: false });
    const sms = await t.api('/channels/twilio', {
      method: 'PATCH',
      token: bToken,
      body: { accountSid: `AC${'1'.repeat(32)}`, authToken: 'twilio-auth-token-1234', phoneNumber: '+14155550100' },
    });
    expect(sms.status).toBe(200);
    expect((await t.api('/plan', { token: bToken })).body.usage.channels).toEqual(['sms']);

    // Seats fit starter again, but WhatsApp is connected.
    const users = (await t.api('/users', { token: adminToken })).body.data as Array<{ id: string; email: string }>;
    for (const u of users.filter((x) => x.email.startsWith('race-') || x.email === 'five@example.com')) {
      await t.api(`/users/${u.id}`, { method: 'PATCH', token: adminToken, body: { disabled: true } });
    }
    const down = await setPlan('starter');
    expect(down.status).toBe(409);
    expect(down.body.error.message).toBe('cannot move to the starter plan: WhatsApp connected');
  });

  it('refuses inbound webhooks of a channel outside the plan on the platform accounts, storing nothing', async () => {
    const b = await t.newClient('Quiet Clinic', 'starter');
    const call = Buffer.from(JSON.stringify({ callId: 'call-plan-1', from: '+14155550111', status: 'missed' }));
    const signature = `sha256=${createHmac('sha256', TELEPHONY_SECRET).update(call).digest('hex')}`;
    const missed = await fetch(`${t.server.url}/webhooks/missed-call?client=${b.client.slug}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature-256': signature },
      body: call,
    });
    expect(missed.status).toBe(403);
    expect(((await missed.json()) as { error: { code: string } }).error.code).toBe('plan_limit_reached');

    const event = Buffer.from(JSON.stringify({ object: 'whatsapp_business_account', entry: [] }));
    const wa = await fetch(`${t.server.url}/webhooks/whatsapp?client=${b.client.slug}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMetaBody(event, META_SECRET) },
      body: event,
    });
    expect(wa.status).toBe(403);
    const em = t.server.db.orm.em.fork();
    expect(await em.execute('select 1 from conversations where client_id = ?', [b.client.id])).toHaveLength(0);
    expect(await em.execute('select 1 from webhook_events where client_id = ?', [b.client.id])).toHaveLength(0);

    // The same missed call on a plan with missed calls is taken.
    const c = await t.newClient('Busy Clinic', 'growth');
    const taken = await fetch(`${t.server.url}/webhooks/missed-call?client=${c.client.slug}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature-256': signature },
      body: call,
    });
    expect(taken.status).toBe(200);
  });
});
