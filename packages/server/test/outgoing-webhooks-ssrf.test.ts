/**
 * SSRF protection of outgoing webhooks with the operator's allow settings off
 * (production): https only, literal non-public addresses refused when the
 * endpoint is saved, and names checked when the delivery connects (the
 * receiver on loopback never hears from us).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthTestServer, startAuthServer } from './auth/support.js';
import { waitFor } from './support/fake-providers.js';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.js';

describe('outgoing webhooks refuse non-public addresses', () => {
  let t: AuthTestServer;
  let r: WebhookReceiver;
  let token = '';

  beforeAll(async () => {
    r = await startWebhookReceiver();
    t = await startAuthServer({
      db: 'embedded',
      env: { OUTGOING_WEBHOOKS_RETRY_BASE_MS: '50', OUTGOING_WEBHOOKS_TIMEOUT_MS: '2000' },
    });
    const tenant = await t.newClient('Harbor Realty');
    const admin = await t.createStaff({ client: tenant.client, role: 'admin' });
    token = (await t.login(admin.email, admin.password)).accessToken;
  }, 90_000);
  afterAll(async () => {
    await t?.server.dispose();
    await r?.close();
  });

  it.each([
    'https://127.0.0.1/hooks',
    'https://10.0.0.5/hooks',
    'https://192.168.1.20/hooks',
    'https://169.254.169.254/latest/meta-data/',
    'https://0.0.0.0/hooks',
    'https://100.64.0.1/hooks',
    'https://[::1]/hooks',
    'https://[fd00::1]/hooks',
    'https://[fe80::1]/hooks',
    'https://[::ffff:127.0.0.1]/hooks',
  ])('refuses %s when the endpoint is saved', async (url) => {
    const res = await t.api('/webhook-endpoints', { token, body: { url, events: ['lead.created'] } });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/not a public address/);
  });

  it('requires https', async () => {
    const res = await t.api('/webhook-endpoints', {
      token,
      body: { url: 'http://hooks.example.com/x', events: ['lead.created'] },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('https');
    expect((await t.api('/webhook-endpoints', { token })).body.data).toEqual([]);
  });

  it('checks a name when the delivery connects: localhost is refused, nothing reaches the receiver', async () => {
    const port = new URL(r.url).port;
    const created = await t.api('/webhook-endpoints', {
      token,
      body: { url: `https://localhost:${port}/hooks/leaddesk`, events: ['lead.created'] },
    });
    expect(created.status).toBe(201);
    const id = created.body.endpoint.id;
    expect((await t.api(`/webhook-endpoints/${id}/test`, { method: 'POST', token })).status).toBe(202);
    const delivery = await waitFor(async () => {
      const [d] = (await t.api(`/webhook-endpoints/${id}/deliveries`, { token })).body.data;
      return d?.status === 'failed' && d;
    });
    // Refused for good at the first attempt: a refused address is not retried.
    expect(delivery.attempts).toBe(1);
    expect(delivery.attemptLog[0].statusCode).toBeNull();
    expect(delivery.attemptLog[0].error).toMatch(/refused: localhost resolves to .*not a public address/);
    expect(r.received).toEqual([]);
  });
});
