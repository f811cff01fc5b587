/**
 * Channel settings are changed by JSON Merge Patch (`PATCH`, and `PUT`, which
 * has always meant the same): fields not sent keep their stored values, the
 * other channels are never touched, write-only secrets are kept when absent
 * and cleared by null, arrays are replaced whole, an invalid merged result is
 * a 400 naming the field with nothing stored, and saving several channels at
 * the same moment keeps all of them (one JSON column, read-modify-write under
 * a row lock).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthTestServer, startAuthServer } from '../auth/support.js';
import { DB_KINDS } from '../support/databases.js';

type Json = Record<string, unknown>;
type Settings = Record<'whatsapp' | 'twilio' | 'telephony' | 'email', Json | undefined>;

const SID = `AC${'0123456789abcdef'.repeat(2)}`;

describe.each(DB_KINDS)('channel settings merge patches on %s', (kind) => {
  let t: AuthTestServer;
  let clientId = '';
  let apiKey = '';

  beforeAll(async () => {
    t = await startAuthServer({ db: kind });
    const tenant = await t.newClient('Patch Hotel');
    clientId = tenant.client.id;
    apiKey = tenant.apiKey;
  });
  afterAll(async () => {
    await t?.server.dispose();
  });

  const storedText = async () => {
    const rows = await t.server.db.orm.em
      .getConnection()
      .execute<{ s: string }[]>('select channel_settings::text as s from clients where id = ?', [clientId]);
    return rows[0]?.s ?? '';
  };
  const stored = async () => JSON.parse(await storedText()) as Settings;
  const send = (method: 'PATCH' | 'PUT', channel: string, body: unknown) =>
    t.api(`/channels/${channel}`, { method, token: apiKey, body });
  const patch = (channel: string, body: unknown) => send('PATCH', channel, body);

  /** Every channel set, optional fields included. */
  const setAll = async () => {
    const saves = [
      await send('PUT', 'whatsapp', {
        phoneNumberId: '1098765432',
        accessToken: 'EAAG-access-token-0001',
        appSecret: 'tenant-app-secret-0002',
        verifyToken: 'verify-token-0003',
        followUpTemplate: { name: 'follow_up', language: 'en_US', parameters: ['lead_name', 'message'] },
      }),
      await send('PUT', 'twilio', { accountSid: SID, authToken: 'twilio-auth-0004', phoneNumber: '+14155552671' }),
      await send('PUT', 'telephony', { signingSecret: 'telephony-signing-secret-0005' }),
      await send('PUT', 'email', { alertRecipients: ['desk@example.com', 'owner@example.com'] }),
    ];
    for (const r of saves) expect(r.status, r.text).toBe(200);
  };
  beforeAll(setAll);

  it('changes one field of the template; secrets and every other channel survive byte for byte', async () => {
    const before = await stored();
    const res = await patch('whatsapp', { followUpTemplate: { language: 'es' } });
    expect(res.status, res.text).toBe(200);
    const after = await stored();
    expect(after.whatsapp).toEqual({
      ...before.whatsapp,
      followUpTemplate: { name: 'follow_up', language: 'es', parameters: ['lead_name', 'message'] },
    });
    for (const ch of ['twilio', 'telephony', 'email'] as const) {
      expect(JSON.stringify(after[ch])).toBe(JSON.stringify(before[ch]));
    }
    expect(res.body.whatsapp).toMatchObject({
      phoneNumberId: '1098765432',
      accessToken: { set: true, last4: '0001' },
      appSecret: { set: true, last4: '0002' },
      verifyToken: { set: true, last4: '0003' },
    });
  });

  it('keeps a write-only secret that is not sent, and replaces arrays whole', async () => {
    const before = await stored();
    const twilio = await patch('twilio', { phoneNumber: '+1 415 555 0000' });
    expect(twilio.status, twilio.text).toBe(200);
    const email = await patch('email', { alertRecipients: ['night@example.com'] });
    expect(email.status, email.text).toBe(200);
    const params = await patch('whatsapp', { followUpTemplate: { parameters: ['business_name'] } });
    expect(params.status, params.text).toBe(200);
    const after = await stored();
    expect(after.twilio).toEqual({ ...before.twilio, phoneNumber: '+14155550000' });
    expect(after.email).toEqual({ alertRecipients: ['night@example.com'] });
    expect(((after.whatsapp as Json).followUpTemplate as Json).parameters).toEqual(['business_name']);
    expect(JSON.stringify(after.telephony)).toBe(JSON.stringify(before.telephony));
  });

  it('removes what is sent as null: an optional secret and the template', async () => {
    const before = await stored();
    const res = await patch('whatsapp', { appSecret: null, followUpTemplate: null });
    expect(res.status, res.text).toBe(200);
    const after = await stored();
    const { appSecret: _s, followUpTemplate: _f, hints, ...kept } = before.whatsapp as Json;
    const { appSecret: _h, ...keptHints } = hints as Json;
    expect(after.whatsapp).toEqual({ ...kept, hints: keptHints });
    expect(res.body.whatsapp).toMatchObject({ appSecret: { set: false }, followUpTemplate: null });
    // PUT is the same merge: an empty body changes nothing (it used to empty the recipients).
    const put = await send('PUT', 'email', {});
    expect(put.status, put.text).toBe(200);
    expect((await stored()).email).toEqual(after.email);
  });

  it('answers 400 naming the field when the merged result is invalid, and stores nothing', async () => {
    const before = await storedText();
    const cases: Array<[string, unknown, string]> = [
      ['whatsapp', { phoneNumberId: null }, 'phoneNumberId'],
      ['whatsapp', { phoneNumberId: 'not-digits', followUpTemplate: { name: 'ok' } }, 'phoneNumberId'],
      ['whatsapp', { followUpTemplate: { name: 'Has Spaces' } }, 'followUpTemplate.name'],
      ['whatsapp', { accessToken: 'x' }, 'accessToken'],
      ['twilio', { accountSid: 'nope' }, 'accountSid'],
      ['twilio', { phoneNumber: 'call me' }, 'phoneNumber'],
      ['email', { alertRecipients: ['not-an-email'] }, 'alertRecipients.0'],
      ['telephony', { signingSecret: 'short' }, 'signingSecret'],
      ['email', [], 'JSON object'],
    ];
    for (const [channel, body, field] of cases) {
      const res = await patch(channel, body);
      expect(res.status, `${channel} ${JSON.stringify(body)}`).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.message).toContain(field);
    }
    expect(await storedText()).toBe(before);
  });

  it('keeps every channel when several are saved at the same moment', async () => {
    const results = await Promise.all([
      patch('whatsapp', { followUpTemplate: { name: 'concurrent', language: 'fr' } }),
      patch('twilio', { phoneNumber: '+14155559999' }),
      patch('telephony', { signingSecret: 'concurrent-signing-secret-9999' }),
      patch('email', { alertRecipients: ['concurrent@example.com'] }),
      send('PUT', 'whatsapp', { verifyToken: 'concurrent-verify-9999' }),
    ]);
    for (const r of results) expect(r.status, r.text).toBe(200);
    const view = (await t.api('/channels', { token: apiKey })).body;
    expect(view.whatsapp).toMatchObject({
      followUpTemplate: { name: 'concurrent', language: 'fr', parameters: [] },
      verifyToken: { set: true, last4: '9999' },
    });
    expect(view.twilio).toMatchObject({ phoneNumber: '+14155559999' });
    expect(view.telephony).toMatchObject({ signingSecret: { set: true, last4: '9999' } });
    expect(view.email).toEqual({ alertRecipients: ['concurrent@example.com'] });
  });

  it('describes the PATCH bodies in the OpenAPI document as merge patches', async () => {
    const doc = (await t.api('/openapi.json')).body;
    const op = doc.paths['/channels/whatsapp'].patch;
    const schema = op.requestBody.content['application/merge-patch+json'].schema;
    expect(schema.required).toBeUndefined();
    expect(schema.properties.phoneNumberId.type).toBe('string');
    expect(schema.properties.followUpTemplate.anyOf.some((s: Json) => s.type === 'null')).toBe(true);
  });
});
