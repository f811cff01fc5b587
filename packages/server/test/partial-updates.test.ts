/**
 * Every partial update is a JSON Merge Patch (RFC 7396), end to end over
 * HTTP: for each PATCH route a full resource is set, one field is patched,
 * and every other field must come back byte for byte as stored before;
 * arrays are replaced whole, null removes an optional field, an invalid
 * merged result is a 400 naming the field with nothing stored, and
 * concurrent patches of different fields all survive.
 */
import { type ClientConfigInput, clientConfigSchema } from '@leaddesk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthTestServer, startAuthServer } from './auth/support.js';
import { DB_KINDS } from './support/databases.js';

/** A configuration with every field set, optional ones included. */
const FULL_CONFIG: ClientConfigInput = {
  businessHours: {
    mon: [
      { open: '08:00', close: '12:00' },
      { open: '13:00', close: '17:00' },
    ],
    tue: [{ open: '09:00', close: '17:00' }],
    wed: [{ open: '09:00', close: '17:00' }],
    thu: [{ open: '09:00', close: '17:00' }],
    fri: [{ open: '09:00', close: '15:00' }],
    sat: [{ open: '10:00', close: '12:00' }],
    sun: [],
  },
  services: ['Cleaning', 'Whitening', 'Implants'],
  personality: 'luxury_concierge',
  customPersonality: 'Warm but brief.',
  channelTone: { web: 'chatty', whatsapp: 'short', sms: 'very short', email: 'formal' },
  customInstructions: 'Never quote prices for implants.',
  qualificationQuestions: [
    {
      id: 'q1',
      field: 'serviceInterest',
      question: 'What can we do for you?',
      type: 'free_text',
      options: [],
      required: true,
    },
    {
      id: 'q2',
      field: 'urgency',
      question: 'How soon?',
      type: 'multiple_choice',
      options: ['today', 'this week'],
      required: false,
    },
  ],
  faqs: [
    { question: 'Do you take insurance?', answer: 'Most plans, yes.' },
    { question: 'Where do I park?', answer: 'Behind the building.' },
  ],
  hotLead: { scoreAtLeast: 65, notify: false },
  escalation: { keywords: ['lawyer', 'complaint'], onHumanRequest: false, noStaffReplyMinutes: 20 },
  responseDelayMs: 1200,
  widget: {
    primaryColor: '#112233',
    position: 'bottom-left',
    greeting: 'Hello there',
    theme: 'dark',
    logoUrl: 'https://cdn.example.com/logo.png',
  },
  requireSignedIdentity: true,
  require2fa: false,
  budgetSoftThreshold: 0.7,
  hotelRevenue: { enabled: true, upsells: [{ id: 'late_checkout', label: 'Late checkout', price: '€20' }] },
  directBooking: { enabled: true, benefit: '10% off', bookingUrl: 'https://book.example.com' },
  promptExperiment: {
    enabled: true,
    variants: [
      { id: 'a', instructions: 'Be short.' },
      { id: 'b', instructions: 'Be warm.' },
    ],
  },
};
const STORED_CONFIG = clientConfigSchema.parse(FULL_CONFIG);

type Json = Record<string, unknown>;

/** `stored` minus the named top-level keys: what must not change. */
function without(stored: Json, ...keys: string[]): Json {
  const rest = { ...stored };
  for (const k of keys) delete rest[k];
  return rest;
}

describe.each(DB_KINDS)('partial updates are merge patches on %s', (kind) => {
  let t: AuthTestServer;
  let clientId = '';
  let apiKey = '';

  beforeAll(async () => {
    t = await startAuthServer({ db: kind });
    const tenant = await t.newClient('Merge Dental');
    clientId = tenant.client.id;
    apiKey = tenant.apiKey;
  });
  afterAll(async () => {
    await t?.server.dispose();
  });

  /** One row as PostgreSQL returns it, JSON columns as their stored text parsed. */
  const row = async (sql: string, id: string): Promise<Json> => {
    const rows = await t.server.db.orm.em.getConnection().execute<Json[]>(sql, [id]);
    if (!rows[0]) throw new Error(`no row for ${id}`);
    return rows[0];
  };
  const storedClient = async () => {
    const r = await row(
      'select name, timezone, locale, allowed_origins::text as origins, config::text as config from clients where id = ?',
      clientId,
    );
    return {
      profile: { name: r.name, timezone: r.timezone, locale: r.locale, origins: r.origins },
      configText: r.config as string,
      config: JSON.parse(r.config as string) as Json,
    };
  };
  const patchClient = (body: unknown) => t.api('/client', { method: 'PATCH', token: apiKey, body });

  describe('PATCH /client', () => {
    beforeAll(async () => {
      const res = await patchClient({
        name: 'Merge Dental',
        timezone: 'Europe/Madrid',
        locale: 'es',
        allowedOrigins: ['https://merge.example'],
        config: FULL_CONFIG,
      });
      expect(res.status, res.text).toBe(200);
    });

    it('changes only customInstructions; every other field survives byte for byte', async () => {
      const before = await storedClient();
      // As stored: the schema's defaults filled in (per-language text, escalation flags).
      expect(before.config.faqs).toEqual(STORED_CONFIG.faqs);
      const res = await patchClient({ config: { customInstructions: 'Mention the free parking.' } });
      expect(res.status, res.text).toBe(200);
      const after = await storedClient();
      expect(after.config.customInstructions).toBe('Mention the free parking.');
      expect(JSON.stringify(without(after.config, 'customInstructions'))).toBe(
        JSON.stringify(without(before.config, 'customInstructions')),
      );
      expect(after.profile).toEqual(before.profile);
      expect(res.body.config).toEqual(after.config);
    });

    it('changes only the name; the configuration text is untouched', async () => {
      const before = await storedClient();
      const res = await patchClient({ name: 'Merge Dental Clinic' });
      expect(res.status, res.text).toBe(200);
      const after = await storedClient();
      expect(after.profile).toEqual({ ...before.profile, name: 'Merge Dental Clinic' });
      expect(after.configText).toBe(before.configText);
    });

    it('merges nested objects and replaces arrays whole', async () => {
      const before = await storedClient();
      const res = await patchClient({
        config: {
          escalation: { noStaffReplyMinutes: 45 },
          faqs: [{ question: 'Open on Sunday?', answer: 'No.' }],
          businessHours: { sat: [] },
        },
      });
      expect(res.status, res.text).toBe(200);
      const after = await storedClient();
      expect(after.config.escalation).toEqual({ ...STORED_CONFIG.escalation, noStaffReplyMinutes: 45 });
      expect(after.config.faqs).toEqual([{ question: 'Open on Sunday?', answer: 'No.', translations: {} }]);
      expect(after.config.businessHours).toEqual({ ...FULL_CONFIG.businessHours, sat: [] });
      expect(JSON.stringify(without(after.config, 'escalation', 'faqs', 'businessHours'))).toBe(
        JSON.stringify(without(before.config, 'escalation', 'faqs', 'businessHours')),
      );
    });

    it('removes optional fields sent as null, and nothing else', async () => {
      const before = await storedClient();
      const res = await patchClient({
        config: { customPersonality: null, hotelRevenue: null, widget: { logoUrl: null } },
      });
      expect(res.status, res.text).toBe(200);
      const after = await storedClient();
      expect(after.config).not.toHaveProperty('customPersonality');
      expect(after.config).not.toHaveProperty('hotelRevenue');
      expect(after.config.widget).toEqual({ ...(before.config.widget as Json), logoUrl: undefined });
      expect(after.config.widget).not.toHaveProperty('logoUrl');
      expect(JSON.stringify(without(after.config, 'customPersonality', 'hotelRevenue', 'widget'))).toBe(
        JSON.stringify(without(before.config, 'customPersonality', 'hotelRevenue', 'widget')),
      );
    });

    it('answers 400 naming the field when the merged result is invalid, and stores nothing', async () => {
      const before = await storedClient();
      const cases: Array<[unknown, string]> = [
        [{ name: null }, 'name'],
        [{ config: { faqs: [{ question: 'No answer?' }] } }, 'config.faqs.0.answer'],
        [{ config: { widget: { primaryColor: 'blue' } } }, 'config.widget.primaryColor'],
        [{ config: { directBooking: { benefit: null } } }, 'config.directBooking.benefit'],
        [{ timezone: 'Mars/Olympus', config: { customInstructions: 'fine on its own' } }, 'timezone'],
        [[{ op: 'replace', path: '/name', value: 'x' }], 'JSON object'],
      ];
      for (const [body, field] of cases) {
        const res = await patchClient(body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.error.code).toBe('validation_failed');
        expect(res.body.error.message).toContain(field);
      }
      const after = await storedClient();
      expect(after.configText).toBe(before.configText);
      expect(after.profile).toEqual(before.profile);
    });

    it('keeps every one of several concurrent patches of different fields', async () => {
      const patches: Json[] = [
        { config: { customInstructions: 'concurrent instructions' } },
        { config: { services: ['Only this'] } },
        { config: { faqs: [{ question: 'Concurrent?', answer: 'Yes.' }] } },
        { config: { escalation: { keywords: ['refund'] } } },
        { config: { hotLead: { scoreAtLeast: 90 } } },
        { config: { widget: { greeting: 'Concurrent hello' } } },
        { config: { responseDelayMs: 777 } },
        { config: { customPersonality: 'Concurrent persona' } },
        { name: 'Concurrent Dental' },
        { locale: 'fr' },
      ];
      const results = await Promise.all(patches.map((p) => patchClient(p)));
      for (const r of results) expect(r.status, r.text).toBe(200);
      const after = await storedClient();
      expect(after.config.customInstructions).toBe('concurrent instructions');
      expect(after.config.services).toEqual(['Only this']);
      expect(after.config.faqs).toEqual([{ question: 'Concurrent?', answer: 'Yes.', translations: {} }]);
      expect((after.config.escalation as Json).keywords).toEqual(['refund']);
      expect((after.config.hotLead as Json).scoreAtLeast).toBe(90);
      expect((after.config.widget as Json).greeting).toBe('Concurrent hello');
      expect(after.config.responseDelayMs).toBe(777);
      expect(after.config.customPersonality).toBe('Concurrent persona');
      expect(after.profile.name).toBe('Concurrent Dental');
      expect(after.profile.locale).toBe('fr');
    });

    it('is described in the OpenAPI document as a merge patch of the full profile', async () => {
      const doc = (await t.api('/openapi.json')).body;
      const body = doc.paths['/client'].patch.requestBody;
      expect(Object.keys(body.content).sort()).toEqual(['application/json', 'application/merge-patch+json']);
      const schema = body.content['application/json'].schema;
      expect(schema.required).toBeUndefined();
      const config = schema.properties.config.anyOf?.[0] ?? schema.properties.config;
      expect(config.required).toBeUndefined();
      expect(config.properties.faqs.anyOf[0].type).toBe('array');
      expect(config.properties.faqs.anyOf[0].default).toBeUndefined();
      expect(config.properties.customPersonality.anyOf).toContainEqual({ type: 'null' });
      expect(config.properties.hotLead.anyOf[0].properties.scoreAtLeast.anyOf[0].default).toBeUndefined();
      // Inside an array item defaults still apply: arrays are replaced whole, each item as sent.
      expect(config.properties.qualificationQuestions.anyOf[0].items.properties.type.default).toBe('free_text');
    });

    it('accepts the application/merge-patch+json media type', async () => {
      const res = await fetch(`${t.server.url}/api/v1/client`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/merge-patch+json', authorization: `Bearer ${apiKey}` },
        body: JSON.stringify({ config: { responseDelayMs: 321 } }),
      });
      expect(res.status).toBe(200);
      expect((await storedClient()).config.responseDelayMs).toBe(321);
    });
  });
});
