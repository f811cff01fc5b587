/**
 * `/api/v1/channels` as the dashboard's Channels page uses it, with staff
 * sign-in tokens: the webhook URLs to paste into Meta and Twilio, what the
 * platform provides, write-only secrets (never in a response, the database
 * or the logs), bad input refused with nothing changed, and only admins may
 * change anything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthTestServer, logCapture, startAuthServer } from '../auth/support.js';

const AUTH_TOKEN = 'twilio-auth-token-5f0e1d2c3b4a';
const ACCESS_TOKEN = 'EAAG-whatsapp-access-token-9a8b7c';
const VERIFY_TOKEN = 'verify-me-please-31337';

describe('channel settings API for the dashboard', () => {
  let t: AuthTestServer;
  const logs = logCapture();
  let slug = '';
  let clientId = '';
  const tokens: Record<'admin' | 'agent' | 'viewer', string> = { admin: '', agent: '', viewer: '' };

  beforeAll(async () => {
    t = await startAuthServer({
      db: 'postgres',
      logStream: logs.stream,
      env: {
        LOG_LEVEL: 'trace',
        SMTP_URL: 'smtp://127.0.0.1:2525',
        META_APP_SECRET: 'platform-meta-app-secret',
      },
    });
    const tenant = await t.newClient('Casa Sol');
    slug = tenant.client.slug;
    clientId = tenant.client.id;
    for (const role of ['admin', 'agent', 'viewer'] as const) {
      const s = await t.createStaff({ client: tenant.client, role });
      tokens[role] = (await t.login(s.email, s.password)).accessToken;
    }
  }, 60_000);
  afterAll(async () => {
    await t?.server.dispose();
  });

  const stored = async () => {
    const rows = await t.server.db.orm.em
      .getConnection()
      .execute<{ s: string | null }[]>('select channel_settings::text as s from clients where id = ?', [clientId]);
    return rows[0]?.s ?? '';
  };

  it('shows each channel unconfigured, the webhook URLs for this tenant and what the platform provides', async () => {
    // Without PUBLIC_URL the URLs use the origin the dashboard reached the server on.
    const res = await t.api('/channels', { token: tokens.viewer });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      whatsapp: { configured: false },
      twilio: { configured: false },
      telephony: { configured: false },
      email: { alertRecipients: [] },
      setup: {
        webhooks: {
          whatsapp: `${t.server.url}/webhooks/whatsapp?client=${slug}`,
          sms: `${t.server.url}/webhooks/sms?client=${slug}`,
          missedCall: `${t.server.url}/webhooks/missed-call?client=${slug}`,
        },
        platform: { whatsappAppSecret: true, whatsappVerifyToken: false, email: 'smtp', secretsStorable: true },
      },
    });
  });

  it('saves credentials for an admin and answers with "set" and the last 4 characters, never the secret', async () => {
    const twilio = await t.api('/channels/twilio', {
      method: 'PUT',
      token: tokens.admin,
      body: { accountSid: `AC${'0123456789abcdef'.repeat(2)}`, authToken: AUTH_TOKEN, phoneNumber: '+1 415 555 2671' },
    });
    expect(twilio.status).toBe(200);
    expect(twilio.body.twilio).toEqual({
      configured: true,
      accountSid: `AC${'0123456789abcdef'.repeat(2)}`,
      phoneNumber: '+14155552671',
      authToken: { set: true, last4: '3b4a' },
    });
    const whatsapp = await t.api('/channels/whatsapp', {
      method: 'PUT',
      token: tokens.admin,
      body: { phoneNumberId: '1098765432', accessToken: ACCESS_TOKEN, verifyToken: VERIFY_TOKEN },
    });
    expect(whatsapp.status).toBe(200);
    expect(whatsapp.body.whatsapp).toMatchObject({
      configured: true,
      accessToken: { set: true, last4: '7c'.padStart(4, '8b') },
      verifyToken: { set: true, last4: '1337' },
      appSecret: { set: false },
    });
    // The verify token the admin pasted into Meta answers Meta's verification for this tenant.
    const verify = await fetch(
      `${t.server.url}/webhooks/whatsapp?hub.mode=subscribe&hub.challenge=4242&hub.verify_token=${VERIFY_TOKEN}&client=${slug}`,
    );
    expect(await verify.text()).toBe('4242');

    // A later save without the secret keeps it.
    const keep = await t.api('/channels/twilio', {
      method: 'PUT',
      token: tokens.admin,
      body: { accountSid: `AC${'fedcba9876543210'.repeat(2)}`, phoneNumber: '+14155552671' },
    });
    expect(keep.status).toBe(200);
    expect(keep.body.twilio.authToken).toEqual({ set: true, last4: '3b4a' });

    // The verification request was logged, with the token in its URL and query redacted.
    const logged = logs.lines.find((l) => l.includes('hub.challenge=4242'));
    expect(logged).toContain('hub.verify_token=[redacted]');
    expect(logged).toContain('"hub.verify_token":"[redacted]"');
    const all = [twilio.text, whatsapp.text, keep.text, (await t.api('/channels', { token: tokens.admin })).text];
    for (const text of [...all, await stored(), logs.lines.join('\n')]) {
      for (const secret of [AUTH_TOKEN, ACCESS_TOKEN, VERIFY_TOKEN]) expect(text).not.toContain(secret);
    }
  });

  it('refuses bad input with 400 and the field named, and changes nothing', async () => {
    const before = await stored();
    const bad = await t.api('/channels/twilio', {
      method: 'PUT',
      token: tokens.admin,
      body: { accountSid: 'nope', authToken: 'short-but-valid', phoneNumber: '+15550000000' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    expect(bad.body.error.message).toContain('accountSid');
    const badPhone = await t.api('/channels/twilio', {
      method: 'PUT',
      token: tokens.admin,
      body: { accountSid: `AC${'0'.repeat(32)}`, phoneNumber: 'call me' },
    });
    expect(badPhone.status).toBe(400);
    expect(badPhone.body.error).toEqual({ code: 'validation_failed', message: expect.stringContaining('phoneNumber') });
    expect(await stored()).toBe(before);
  });

  it('refuses agents and viewers on every change, with nothing changed', async () => {
    const before = await stored();
    for (const role of ['agent', 'viewer'] as const) {
      for (const [method, path, body] of [
        [
          'PUT',
          '/channels/twilio',
          { accountSid: `AC${'1'.repeat(32)}`, authToken: 'agent-token', phoneNumber: '+15559999999' },
        ],
        ['PUT', '/channels/whatsapp', { phoneNumberId: '123456', accessToken: 'agent-access' }],
        ['PUT', '/channels/email', { alertRecipients: ['agent@example.com'] }],
        ['DELETE', '/channels/twilio', undefined],
      ] as const) {
        const res = await t.api(path, { method, token: tokens[role], body });
        expect(res.status, `${role} ${method} ${path}`).toBe(403);
        expect(res.body.error.code).toBe('forbidden');
      }
    }
    expect(await stored()).toBe(before);
  });
});
